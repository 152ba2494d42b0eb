/** Lock notices through the outbox to a real SMTP server (IAM-05 "every lock is notified", LOG-06 groundwork). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createEnrolledUser, createOwner, createTestApp, signIn, type TestApp } from '../../../test/app.ts';
import { startSmtp } from '../../../test/support/smtp.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let rejecting = false;

beforeAll(async () => {
  smtp = await startSmtp({ reject: () => rejecting });
  t = await createTestApp({ STRONGROOM_SMTP_URL: smtp.url, STRONGROOM_MAIL_FROM: 'vault@example.test' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('account-lock notices', () => {
  it('IAM-05: a lockout emails the person and every owner, once, with no secret in the message', async () => {
    const owner = await createOwner(t, 'boss@example.test');
    const a = await signIn(t, owner);
    const user = await createEnrolledUser(t, a, { email: 'locked@example.test', roles: ['analyst'] });
    const http = api(t);
    for (let i = 0; i < 5; i++) {
      await http.post('/api/v1/auth/login', { email: user.email, password: 'Wrong-But-Close-1' });
    }
    expect(await t.core.notifications.deliverDue()).toBe(2); // one to the user, one to the owner role
    expect(await t.core.notifications.deliverDue()).toBe(0); // never twice
    const recipients = smtp.received.flatMap((m) => m.to).sort();
    expect(recipients).toEqual(['boss@example.test', 'locked@example.test']);
    const mail = smtp.received[0]?.raw ?? '';
    expect(mail).toContain('Strongroom: an account was locked');
    expect(mail).toContain(user.userId);
    expect(mail).toContain('vault@example.test');
    expect(mail).not.toContain('Wrong-But-Close-1');
  });

  it('retries with back-off when the mail server refuses, then delivers', async () => {
    const before = smtp.received.length;
    rejecting = true;
    await t.core.db.transaction((tx) =>
      t.core.notifications.enqueue(
        tx,
        'identity.account_locked',
        { userId: crypto.randomUUID(), reason: 'admin', minutes: null },
        {
          roles: ['owner'],
        },
      ),
    );
    expect(await t.core.notifications.deliverDue()).toBe(0);
    const rows = (await t.testDb.superuser(
      `SELECT attempts, status FROM notifications.outbox WHERE status = 'pending'`,
    )) as { attempts: number; status: string }[];
    expect(rows).toEqual([{ attempts: 1, status: 'pending' }]);
    rejecting = false;
    expect(await t.core.notifications.deliverDue()).toBe(0); // not due yet (back-off)
    t.clock.advance(3000);
    expect(await t.core.notifications.deliverDue()).toBe(1);
    expect(smtp.received.length).toBe(before + 1);
  });

  it('refuses params outside the template schema (no free text can carry personal data)', async () => {
    await expect(
      t.core.db.transaction((tx) =>
        t.core.notifications.enqueue(
          tx,
          'identity.account_locked',
          { userId: crypto.randomUUID(), reason: 'admin', minutes: null, email: 'x@y.z' } as never,
          { roles: ['owner'] },
        ),
      ),
    ).rejects.toThrow();
  });
});
