/**
 * Key hierarchy (DAT-01, DAT-02).
 * - The **platform key** (`keys/platform.key`, 0600): purpose keys for sessions, sealing of small secrets
 *   (TOTP seeds, phone numbers), audit pseudonyms and signatures are derived from it with HKDF-SHA-256 and a
 *   distinct label, so no two uses share a key.
 * - **Root keys** (`keys/root-v<N>.key`, 0600), versioned: the key-encryption keys (KEK) that wrap every
 *   record's data key, and the source of blind-index keys. `strongroom keys rotate` adds a version, re-wraps
 *   every data key and rebuilds the indexes, then retires (destroys) the old version.
 * Providers: `file` (generated at first start in the data directory) or `env` (STRONGROOM_ROOT_KEY, one
 * secret from which both are derived; no rotation). A KMS adapter implements the same interface.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface RootKey {
  readonly version: number;
  readonly key: Buffer;
}

export interface KeyProvider {
  readonly name: 'file' | 'env';
  readonly canRotate: boolean;
  platformKey(): Buffer;
  currentRoot(): RootKey;
  root(version: number): RootKey | undefined;
  rootVersions(): number[];
  /** Creates and returns the next root-key version (file provider). */
  createRootVersion(): Promise<RootKey>;
  /** Destroys a root-key version (after nothing uses it any more). */
  retireRootVersion(version: number): Promise<void>;
  /** Re-reads the versions (another process may have rotated). */
  reload(): Promise<void>;
}

const ROOT_RE = /^root-v(\d+)\.key$/;
const PLATFORM_FILE = 'platform.key';
const hkdf = (key: Buffer, info: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));

async function writeKey(file: string, key: Buffer) {
  // flag 'wx': never overwrite a key, even if two processes race
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
}

async function readKey(file: string): Promise<Buffer> {
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== 32) throw new Error(`key file ${path.basename(file)} does not hold 32 bytes`);
  return key;
}

/** Creates the platform key and root key v1 when missing. Returns true when it created anything. */
export async function ensureKeyFiles(keysDir: string): Promise<boolean> {
  const files = await readdir(keysDir).catch(() => [] as string[]);
  let created = false;
  if (!files.includes(PLATFORM_FILE)) {
    await writeKey(path.join(keysDir, PLATFORM_FILE), randomBytes(32)).catch((e) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
    created = true;
  }
  if (!files.some((f) => ROOT_RE.test(f))) {
    await writeKey(path.join(keysDir, 'root-v1.key'), randomBytes(32)).catch((e) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
    created = true;
  }
  return created;
}

export async function fileKeyProvider(keysDir: string): Promise<KeyProvider> {
  const platform = await readKey(path.join(keysDir, PLATFORM_FILE));
  let roots = new Map<number, RootKey>();
  const load = async () => {
    const next = new Map<number, RootKey>();
    for (const f of await readdir(keysDir)) {
      const m = ROOT_RE.exec(f);
      if (m) next.set(Number(m[1]), { version: Number(m[1]), key: await readKey(path.join(keysDir, f)) });
    }
    if (!next.size) throw new Error('no root key found');
    roots = next;
  };
  await load();
  const latest = () => Math.max(...roots.keys());
  return {
    name: 'file',
    canRotate: true,
    platformKey: () => platform,
    currentRoot: () => roots.get(latest()) as RootKey,
    root: (v) => roots.get(v),
    rootVersions: () => [...roots.keys()].sort((a, b) => a - b),
    async createRootVersion() {
      await load();
      const version = latest() + 1;
      await writeKey(path.join(keysDir, `root-v${version}.key`), randomBytes(32));
      await load();
      return roots.get(version) as RootKey;
    },
    async retireRootVersion(version) {
      if (version === latest()) throw new Error('the current root key cannot be retired');
      const file = path.join(keysDir, `root-v${version}.key`);
      // overwrite before unlinking, so the key is gone even from a naive undelete of the file's blocks
      await writeFile(file, randomBytes(64)).catch(() => {});
      await rm(file, { force: true });
      roots.get(version)?.key.fill(0);
      roots.delete(version);
    },
    reload: load,
  };
}

export function envKeyProvider(base64: string): KeyProvider {
  const secret = Buffer.from(base64, 'base64');
  if (secret.length !== 32) throw new Error('STRONGROOM_ROOT_KEY must be 32 bytes, base64-encoded');
  const root: RootKey = { version: 1, key: hkdf(secret, 'strongroom:root-v1') };
  const refuse = async (): Promise<never> => {
    throw new Error('root-key rotation needs the file provider or a KMS; STRONGROOM_ROOT_KEY holds one version');
  };
  return {
    name: 'env',
    canRotate: false,
    platformKey: () => hkdf(secret, 'strongroom:platform'),
    currentRoot: () => root,
    root: (v) => (v === 1 ? root : undefined),
    rootVersions: () => [1],
    createRootVersion: refuse,
    retireRootVersion: refuse,
    reload: async () => {},
  };
}

/** Labels of platform purpose keys. Changing a label changes the key: add new labels, never rename. */
export type KeyPurpose =
  | 'audit.pseudonym.v1'
  | 'identity.session-mac.v1'
  | 'identity.secret-seal.v1'
  | 'identity.mfa-code-mac.v1'
  | 'vault.secret-seal.v1'
  | 'audit.signing.v1'
  | 'detection.secret-seal.v1'
  | 'detection.session-context.v1'
  | 'risk.device.v1';

export interface Keyring {
  readonly provider: KeyProvider;
  /** A 32-byte platform purpose key. */
  derive(purpose: KeyPurpose): Buffer;
  /** The key-encryption key of a root version, for wrapping data keys. */
  kek(rootVersion: number): Buffer;
  /** The root key itself, for derivations bound to a root version (blind-index keys). */
  rootKey(rootVersion: number): Buffer;
}

export function createKeyring(provider: KeyProvider): Keyring {
  const cache = new Map<string, Buffer>();
  const cached = (id: string, make: () => Buffer) => {
    let k = cache.get(id);
    if (!k) {
      k = make();
      cache.set(id, k);
    }
    return k;
  };
  const root = (v: number) => {
    const r = provider.root(v);
    if (!r) throw new Error(`root key version ${v} is not available`);
    return r.key;
  };
  return {
    provider,
    derive: (purpose) => cached(`p:${purpose}`, () => hkdf(provider.platformKey(), `strongroom:${purpose}`)),
    kek: (v) => cached(`kek:${v}`, () => hkdf(root(v), 'strongroom:vault.kek.v1')),
    rootKey: root,
  };
}
