/**
 * IAM-14 false positives: an integration or a test suite driving the API with a plain HTTP library (a scripted
 * User-Agent, no browser headers, the session cookie sent alone) is unusual for a person, so its sign-in is
 * stepped up to the strongest factor — and once it has answered with it, its ordinary work (records of several
 * owners revealed one after another within the quota) is not refused or challenged by the risk engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createTestApp, sessionCookieOf, type TestApp } from '../../../test/app.ts';
import { totpCode } from '../identity/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('a scripted API client', () => {
  it('IAM-14: signs in with TOTP (stepped up) and reveals a quick series of records without a risk refusal', async () => {
    const owner = await createOwner(t, 'script.owner@example.test');
    const h = { 'user-agent': 'python-requests/2.31.0' };
    t.clock.advance(30_000);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: h,
      payload: { email: owner.email, password: owner.password },
    });
    expect(login.json().methods).toEqual(['totp']);
    const mfa = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa',
      headers: h,
      payload: {
        challengeId: login.json().challengeId,
        method: 'totp',
        code: totpCode(owner.totpSecret, t.clock.now()),
      },
    });
    expect(mfa.statusCode).toBe(200);
    const s = { ...h, cookie: sessionCookieOf(mfa), 'x-csrf-token': mfa.json().csrfToken };
    const post = (url: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url, headers: s, payload });
    const owners: string[] = [];
    for (let i = 0; i < 3; i++)
      owners.push((await post('/api/v1/owners', { name: `Client ${i}`, contactEmails: ['dpo@c.example'] })).json().id);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push(
        (
          await post('/api/v1/records', {
            ownerId: owners[i % 3],
            fields: { fullName: `Sam Scripted${i}`, email: `sam${i}@c.example` },
          })
        ).json().id,
      );
    const purposes = ['customer_request', 'data_quality', 'legal', 'data_subject_request'];
    for (let i = 0; i < 10; i++) {
      const r = await post(`/api/v1/records/${ids[i]}/reveal`, {
        purpose: purposes[i % purposes.length],
        justification: 'Customer asked for a copy of their data',
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const decisions = (await t.testDb.superuser(
      `SELECT details->>'decision' AS d, count(*)::int AS n FROM audit.entries
        WHERE action = 'risk.assessed' AND details->>'stage' = 'reveal' GROUP BY 1`,
    )) as { d: string; n: number }[];
    expect(decisions).toEqual([{ d: 'allow', n: 10 }]);
  });
});
