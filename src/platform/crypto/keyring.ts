/**
 * Key hierarchy (DAT-01, DAT-02). A versioned root key (KEK) comes from a provider: `file` (generated at
 * first start, mode 0600 in the data directory) or `env` (STRONGROOM_ROOT_KEY); a KMS adapter can implement
 * the same interface. Purpose keys (blind indexes, audit pseudonyms, session MACs, sealing of small secrets)
 * are derived from the root key with HKDF-SHA-256 and a distinct `info` label, so no two uses share a key.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface RootKey {
  readonly version: number;
  readonly key: Buffer;
}

export interface RootKeyProvider {
  readonly name: 'file' | 'env';
  current(): RootKey;
  get(version: number): RootKey | undefined;
}

const FILE_RE = /^root-v(\d+)\.key$/;

/** Creates `keys/root-v1.key` when no root key exists yet. Returns true when it created one. */
export async function ensureRootKeyFile(keysDir: string): Promise<boolean> {
  const existing = (await readdir(keysDir).catch(() => [] as string[])).filter((f) => FILE_RE.test(f));
  if (existing.length) return false;
  // flag 'wx': never overwrite a key, even if two processes race at first start
  await writeFile(path.join(keysDir, 'root-v1.key'), `${randomBytes(32).toString('base64')}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return true;
}

export async function fileRootKeyProvider(keysDir: string): Promise<RootKeyProvider> {
  const files = (await readdir(keysDir)).filter((f) => FILE_RE.test(f));
  const keys = new Map<number, RootKey>();
  for (const f of files) {
    const version = Number(FILE_RE.exec(f)?.[1]);
    const key = Buffer.from((await readFile(path.join(keysDir, f), 'utf8')).trim(), 'base64');
    if (key.length !== 32) throw new Error(`root key file ${f} does not hold 32 bytes`);
    keys.set(version, { version, key });
  }
  return providerFrom('file', keys);
}

export function envRootKeyProvider(base64: string): RootKeyProvider {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('STRONGROOM_ROOT_KEY must be 32 bytes, base64-encoded');
  return providerFrom('env', new Map([[1, { version: 1, key }]]));
}

function providerFrom(name: 'file' | 'env', keys: Map<number, RootKey>): RootKeyProvider {
  if (!keys.size) throw new Error('no root key found');
  const latest = Math.max(...keys.keys());
  return {
    name,
    current: () => keys.get(latest) as RootKey,
    get: (v) => keys.get(v),
  };
}

/** Labels of derived keys. Changing a label changes the key: add new labels, never rename. */
export type KeyPurpose =
  | 'audit.pseudonym.v1'
  | 'identity.session-mac.v1'
  | 'identity.secret-seal.v1'
  | 'identity.mfa-code-mac.v1'
  | 'audit.signing.v1';

export interface Keyring {
  readonly provider: RootKeyProvider;
  /** A 32-byte key for one purpose, derived from the root key version given (default: version 1). */
  derive(purpose: KeyPurpose, rootVersion?: number): Buffer;
}

export function createKeyring(provider: RootKeyProvider): Keyring {
  const cache = new Map<string, Buffer>();
  return {
    provider,
    derive(purpose, rootVersion = 1) {
      const id = `${purpose}@${rootVersion}`;
      let k = cache.get(id);
      if (!k) {
        const root = provider.get(rootVersion);
        if (!root) throw new Error(`root key version ${rootVersion} is not available`);
        k = Buffer.from(hkdfSync('sha256', root.key, Buffer.alloc(0), `strongroom:${purpose}`, 32));
        cache.set(id, k);
      }
      return k;
    },
  };
}
