/**
 * TLS material (NET-01). Operators may configure their own certificate and key; otherwise a self-signed
 * ECDSA P-256 certificate for localhost, 127.0.0.1 and ::1 is generated once in the data directory.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

export interface TlsMaterial {
  cert: string;
  key: string;
  selfSigned: boolean;
}

const VALIDITY_DAYS = 397;

export async function generateSelfSigned(now = new Date()): Promise<{ cert: string; key: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '7'),
    name: 'CN=localhost, O=Strongroom self-signed',
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + VALIDITY_DAYS * 86_400_000),
    keys: keys as never,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey);
  const key = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { cert: cert.toString('pem'), key };
}

/** Loads configured files, or the data directory's self-signed pair (creating it on first start). */
export async function loadTls(
  dataDir: string,
  configured: { certFile: string | undefined; keyFile: string | undefined },
): Promise<TlsMaterial> {
  if (configured.certFile && configured.keyFile) {
    return {
      cert: await readFile(configured.certFile, 'utf8'),
      key: await readFile(configured.keyFile, 'utf8'),
      selfSigned: false,
    };
  }
  const certPath = path.join(dataDir, 'tls', 'cert.pem');
  const keyPath = path.join(dataDir, 'tls', 'key.pem');
  try {
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), selfSigned: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const pair = await generateSelfSigned();
  await writeFile(keyPath, pair.key, { mode: 0o600 });
  await writeFile(certPath, pair.cert, { mode: 0o600 });
  return { ...pair, selfSigned: true };
}
