/** First-run setup through HTTP (IAM-01: no default credentials; the first owner needs the one-time link). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, STRONG_PASSWORD, type TestApp } from '../../../test/app.ts';
import { totpCode } from './index.ts';

let t: TestApp;
let enrolledSecret = '';
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, payload });

describe('first-run setup', () => {
  it('creates the first owner with password and TOTP, then the link cannot be used again', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup/status' })).json()).toEqual({ needed: true });
    const token = await t.core.identity.issueSetupToken();
    expect(token).toBeTruthy();
    const start = await post('/api/v1/setup/start', { token: token as string, email: 'first@example.test' });
    expect(start.statusCode).toBe(200);
    const { totpSecret, otpauthUrl } = start.json();
    enrolledSecret = totpSecret;
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Strongroom:first%40example\.test\?/);
    const body = {
      token: token as string,
      email: 'first@example.test',
      name: 'First Owner',
      password: STRONG_PASSWORD,
      totpCode: totpCode(totpSecret, t.clock.now()),
    };

    const weak = await post('/api/v1/setup/complete', { ...body, password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('identity.password_policy');

    const badCode = await post('/api/v1/setup/complete', {
      ...body,
      totpCode: totpCode(totpSecret, new Date(t.clock.now().getTime() + 10 * 60_000)),
    });
    expect(badCode.json().error.code).toBe('setup.totp_invalid');

    const done = await post('/api/v1/setup/complete', body);
    expect(done.statusCode).toBe(201);
    expect(done.json().user).toMatchObject({ email: 'first@example.test', roles: ['owner'] });

    const reuse = await post('/api/v1/setup/complete', { ...body, email: 'second@example.test' });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().error.code).toBe('setup.token_invalid');
    const reuseStart = await post('/api/v1/setup/start', { token: token as string });
    expect(reuseStart.json().error.code).toBe('setup.token_invalid');

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup/status' })).json()).toEqual({ needed: false });
    expect(await t.core.identity.issueSetupToken()).toBeUndefined();

    const rows = (await t.testDb.superuser(
      "SELECT action FROM audit.entries WHERE action LIKE 'setup.%' OR action LIKE 'identity.%' ORDER BY seq",
    )) as { action: string }[];
    expect(rows.map((r) => r.action)).toEqual([
      'setup.token.issued',
      'identity.user.created',
      'identity.password.set',
      'identity.mfa.enrolled',
      'setup.completed',
      'setup.token.rejected',
      'setup.token.rejected',
    ]);
  });

  it('refuses a made-up token and a superseded one', async () => {
    const r = await post('/api/v1/setup/start', { token: 'A'.repeat(43) });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('setup.token_invalid');
  });

  it('stores the password as argon2id and the TOTP secret sealed, never in clear', async () => {
    const pw = (await t.testDb.superuser('SELECT hash FROM identity.password_credentials')) as { hash: string }[];
    expect(pw[0]?.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const rows = (await t.testDb.superuser('SELECT secret_sealed FROM identity.totp_credentials')) as {
      secret_sealed: Buffer;
    }[];
    expect(enrolledSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.secret_sealed.includes(Buffer.from(enrolledSecret))).toBe(false);
    expect(rows[0]?.secret_sealed.length).toBeGreaterThan(enrolledSecret.length + 28);
  });
});
