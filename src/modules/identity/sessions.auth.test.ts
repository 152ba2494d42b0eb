/**
 * Authentication on every request (IAM-02, IAM-04, IAM-08, IAM-12): the session, its user, roles, active grants and
 * custom roles are read in one query, and read fresh each time, so a revoked or expired grant, a new role or a lock
 * applies to the very next request of a session that is already signed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEnrolledUser,
  createOwner,
  createTestApp,
  type SignedIn,
  signIn,
  type TestApp,
} from '../../../test/app.ts';
import { newId } from '../../platform/ids.ts';

let t: TestApp;
let owner: SignedIn;
let analyst: SignedIn;
let grantId: string;
const ctx = { ip: '127.0.0.1', requestId: 'test', route: 'test' };
const tokenOf = (s: SignedIn) => s.cookie.split('=').slice(1).join('=');
const authenticate = (s: SignedIn) => t.core.identity.authenticate(tokenOf(s), ctx);

beforeAll(async () => {
  t = await createTestApp();
  const o = await createOwner(t, 'auth.owner@example.test');
  owner = await signIn(t, o);
  const a = await createEnrolledUser(t, owner, { email: 'auth.analyst@example.test', roles: ['analyst'] });
  analyst = await signIn(t, a);
  grantId = newId();
  await t.testDb.superuser(
    `INSERT INTO access.grants (id, user_id, permission, owner_ids, expires_at, status, requested_by, requested_at)
     VALUES ($1, $2, 'records.reveal', NULL, $3, 'active', $4, $5)`,
    [grantId, a.userId, new Date(t.clock.now().getTime() + 600_000), o.userId, t.clock.now()],
  );
});
afterAll(() => t.close());

describe('authentication of a session (one query, fresh every request)', () => {
  it('reads session, user, roles, grants and custom roles in a single database query', async () => {
    await authenticate(analyst); // the first call may move the idle expiry (a write every 15 s at most)
    const db = t.core.db;
    const query = db.query;
    let queries = 0;
    db.query = ((sql: string, params?: readonly unknown[]) => {
      queries++;
      return query(sql, params);
    }) as typeof db.query;
    try {
      const p = await authenticate(analyst);
      expect(queries).toBe(1);
      expect(p.roles).toEqual(['analyst']);
      expect(p.permissions).toContain('records.reveal');
      expect(p.grants).toEqual([
        {
          id: grantId,
          permission: 'records.reveal',
          ownerIds: null,
          expiresAt: new Date(t.clock.now().getTime() + 600_000).toISOString(),
        },
      ]);
    } finally {
      db.query = query;
    }
  });

  it('IAM-02: a custom role given to a signed-in person applies to their next request', async () => {
    await t.testDb.superuser(
      `INSERT INTO access.custom_roles (name, description, permissions, created_by, created_at)
       VALUES ('alert_reader', 'Reads alerts', ARRAY['alerts.read', 'users.manage'], $1, $2)`,
      [owner.userId, t.clock.now()],
    );
    await t.testDb.superuser(
      `INSERT INTO access.role_assignments (user_id, role, granted_via, granted_at) VALUES ($1, 'alert_reader', 'admin', $2)`,
      [analyst.userId, t.clock.now()],
    );
    const p = await authenticate(analyst);
    expect(p.roles).toEqual(['alert_reader', 'analyst']);
    expect(p.permissions).toContain('alerts.read');
    // privileged permissions of a custom role stay dormant until the session elevates (IAM-09)
    expect(p.permissions).not.toContain('users.manage');
    expect(p.dormantPermissions).toContain('users.manage');
  });

  it('IAM-08: a grant that expires while the session lives is gone on the next request', async () => {
    t.clock.advance(600_000 + 1000);
    const p = await authenticate(analyst);
    expect(p.permissions).not.toContain('records.reveal');
    expect(p.grants).toEqual([]);
  });

  it('IAM-12: a revoked grant is gone on the next request', async () => {
    await t.testDb.superuser(`UPDATE access.grants SET expires_at = NULL WHERE id = $1`, [grantId]);
    expect((await authenticate(analyst)).permissions).toContain('records.reveal');
    await t.testDb.superuser(`UPDATE access.grants SET status = 'revoked', revoked_at = $2 WHERE id = $1`, [
      grantId,
      t.clock.now(),
    ]);
    expect((await authenticate(analyst)).permissions).not.toContain('records.reveal');
  });

  it('IAM-05: a person locked while signed in is refused on the next request', async () => {
    await t.testDb.superuser(`UPDATE identity.users SET locked_until = $2 WHERE id = $1`, [
      analyst.userId,
      new Date(t.clock.now().getTime() + 60_000),
    ]);
    await expect(authenticate(analyst)).rejects.toMatchObject({ code: 'auth.unauthenticated' });
  });

  it('an unknown token is refused', async () => {
    await expect(t.core.identity.authenticate('not-a-session-token', ctx)).rejects.toMatchObject({
      code: 'auth.unauthenticated',
    });
  });
});
