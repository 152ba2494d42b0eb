/**
 * Signed-in owners for the benchmarks, as a team would be: each inserted with a password and a TOTP secret
 * (enrolment is not what is measured), then signed in over HTTPS from an address of its own (X-Forwarded-For from
 * the trusted loopback proxy). Spreading reveals over them keeps each person's volume what the detection and risk
 * rules expect of real people.
 */
import type { Core } from '../../src/core.ts';
import { totpCode } from '../../src/modules/identity/index.ts';
import { hashPassword } from '../../src/modules/identity/passwords.ts';
import { newTotpSecret } from '../../src/modules/identity/totp.ts';
import { seal } from '../../src/platform/crypto/seal.ts';
import { newId } from '../../src/platform/ids.ts';
import type { httpsClient } from './harness.ts';

const PASSWORD = 'Bench-Owner-Passphrase-7';

export interface BenchSession {
  userId: string;
  /** Cookie, CSRF token and the owner's own address. */
  headers: Record<string, string>;
}

export async function signedInOwners(
  core: Core,
  call: ReturnType<typeof httpsClient>,
  n: number,
  label = 'bench',
): Promise<BenchSession[]> {
  const sealKey = core.keyring.derive('identity.secret-seal.v1');
  const hash = await hashPassword(PASSWORD);
  const out: BenchSession[] = [];
  for (let u = 0; u < n; u++) {
    const id = newId();
    const email = `${label}.owner.${u}@example.test`;
    const secret = newTotpSecret();
    const at = new Date();
    await core.db.query(
      `INSERT INTO identity.users (id, email, email_normalized, name, status, created_at, activated_at, enrolled_at)
       VALUES ($1, $2, $2, 'Bench', 'active', $3, $3, $3)`,
      [id, email, at],
    );
    await core.db.query(
      'INSERT INTO identity.password_credentials (id, user_id, hash, created_at, is_current) VALUES ($1, $2, $3, $4, true)',
      [newId(), id, hash, at],
    );
    await core.db.query(
      'INSERT INTO identity.totp_credentials (id, user_id, secret_sealed, created_at) VALUES ($1, $2, $3, $4)',
      [newId(), id, seal(sealKey, secret, `identity.totp:${id}`), at],
    );
    await core.db.query(
      `INSERT INTO access.role_assignments (user_id, role, granted_via, granted_at) VALUES ($1, 'owner', 'admin', $2)`,
      [id, at],
    );
    const xff = { 'x-forwarded-for': `127.0.${Math.floor(u / 250)}.${1 + (u % 250)}` };
    const login = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD }, xff);
    const mfa = await call(
      'POST',
      '/api/v1/auth/mfa',
      { challengeId: login.json.challengeId, method: 'totp', code: totpCode(secret) },
      xff,
    );
    if (mfa.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(mfa.json)}`);
    const cookie = String((mfa.headers['set-cookie'] as string[])[0]).split(';')[0] as string;
    out.push({ userId: id, headers: { cookie, 'x-csrf-token': String(mfa.json.csrfToken), ...xff } });
  }
  return out;
}
