import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { ConfigError } from './platform/errors.ts';

describe('config', () => {
  it('has secure, documented defaults', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(8443);
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.http.publicUrl).toBe('https://localhost:8443');
    expect(c.dataDir.endsWith('.strongroom')).toBe(true);
    expect(c.http.trustedProxies).toEqual([]);
    expect(c.audit.checkpointSeconds).toBe(10);
    expect(c.database.url).toBeUndefined();
    expect(Object.isFrozen(c.http)).toBe(true);
  });

  it('lists every problem at once instead of stopping at the first', () => {
    try {
      loadConfig({
        STRONGROOM_PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        STRONGROOM_TRUSTED_PROXIES: '10.0.0.0/8, not-a-cidr',
        STRONGROOM_SMTP_URL: 'http://mail',
      });
      expect.unreachable('loadConfig accepted bad input');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['STRONGROOM_PORT', 'DATABASE_URL', 'STRONGROOM_TRUSTED_PROXIES', 'STRONGROOM_SMTP_URL']) {
        expect(problems).toContain(name);
      }
    }
  });

  it('refuses a certificate without its key', () => {
    expect(() => loadConfig({ STRONGROOM_TLS_CERT_FILE: '/x/cert.pem' })).toThrow(/set together/);
  });

  it('accepts trusted proxies as a comma-separated CIDR list and a --data-dir override', () => {
    const c = loadConfig({ STRONGROOM_TRUSTED_PROXIES: '10.0.0.0/8,::1' }, { dataDir: '/tmp/sr-x' });
    expect(c.http.trustedProxies).toEqual(['10.0.0.0/8', '::1']);
    expect(c.dataDir).toBe('/tmp/sr-x');
  });

  it('refuses a root key that is not 32 bytes', () => {
    expect(() => loadConfig({ STRONGROOM_ROOT_KEY: Buffer.alloc(16).toString('base64') })).toThrow(ConfigError);
  });
});
