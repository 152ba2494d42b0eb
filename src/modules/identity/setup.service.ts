/**
 * First-run setup and the scripted first owner (IAM-01: no default credentials; the first owner is created
 * only through a one-time link printed on the host, or by `init` on the host).
 */
import type { RequestContext } from '../../platform/actor.ts';
import { open, seal } from '../../platform/crypto/seal.ts';
import { isUniqueViolation, type Tx } from '../../platform/db/db.ts';
import { newId, newSecret, sha256 } from '../../platform/ids.ts';
import { addMs, type IdentityDeps } from './identity.deps.ts';
import * as errors from './identity.errors.ts';
import * as repo from './identity.repository.ts';
import { assertPasswordPolicy, hashPassword } from './passwords.ts';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.ts';

const SETUP_TOKEN_TTL_MS = 24 * 3600_000;
type Refusal = 'invalid' | 'expired' | 'used' | 'not_needed';

export interface NewOwnerInput {
  email: string;
  name: string;
  password: string;
}

export function createSetupUseCases(deps: IdentityDeps) {
  const { db, clock, audit } = deps;

  const setupNeeded = async () => (await repo.countActiveOwners(db)) === 0;

  async function loadSetupToken(tx: Tx, token: string) {
    const row = await repo.lockSetupToken(tx, sha256(token));
    const now = clock.now();
    if (!row) return { row: undefined, reason: 'invalid' as Refusal };
    if (row.consumed_at) return { row: undefined, reason: 'used' as Refusal };
    if (row.revoked_at || row.expires_at <= now) return { row: undefined, reason: 'expired' as Refusal };
    if ((await repo.countActiveOwners(tx)) > 0) return { row: undefined, reason: 'not_needed' as Refusal };
    return { row, reason: undefined };
  }

  async function refuse(reason: Refusal, ctx: RequestContext): Promise<never> {
    await db.transaction((tx) =>
      audit.append(tx, {
        action: 'setup.token.rejected',
        outcome: 'denied',
        actor: { type: 'anonymous' },
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { reason },
      }),
    );
    throw errors.setupTokenInvalid();
  }

  /** Creates an active, enrolled owner with password and TOTP; runs inside the caller's transaction. */
  async function insertOwner(
    tx: Tx,
    input: NewOwnerInput & { passwordHash: string; totpSecret: string; via: 'setup' | 'init' },
    ctx: { ip?: string | undefined; requestId?: string | undefined; actorType: 'anonymous' | 'host_operator' },
  ): Promise<string> {
    const at = clock.now();
    const userId = newId();
    try {
      await repo.insertActiveUser(tx, { id: userId, email: input.email, name: input.name, at, createdBy: null });
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.emailTaken();
      throw err;
    }
    await repo.insertPassword(tx, { id: newId(), userId, hash: input.passwordHash, at });
    await repo.insertTotp(tx, {
      id: newId(),
      userId,
      sealed: seal(deps.sealKey, input.totpSecret, `identity.totp:${userId}`),
      at,
    });
    await repo.assignRole(tx, { userId, role: 'owner', grantedBy: null, via: input.via, at });
    const base = {
      outcome: 'success' as const,
      ip: ctx.ip,
      requestId: ctx.requestId,
      target: { type: 'user', id: userId },
      actor: { type: ctx.actorType },
    };
    await audit.append(tx, { ...base, action: 'identity.user.created', details: { roles: ['owner'], via: input.via } });
    await audit.append(tx, { ...base, action: 'identity.password.set', details: { via: input.via } });
    await audit.append(tx, { ...base, action: 'identity.mfa.enrolled', details: { method: 'totp' } });
    return userId;
  }

  return {
    setupNeeded,

    /** At start-up, when no owner exists: a fresh one-time link; any earlier link stops working. */
    async issueSetupToken(): Promise<string | undefined> {
      if (!(await setupNeeded())) return undefined;
      const token = newSecret();
      const at = clock.now();
      await db.transaction(async (tx) => {
        await repo.revokeOpenSetupTokens(tx, at);
        await repo.insertSetupToken(tx, {
          id: newId(),
          tokenHash: sha256(token),
          at,
          expiresAt: addMs(at, SETUP_TOKEN_TTL_MS),
        });
        await audit.append(tx, {
          action: 'setup.token.issued',
          outcome: 'success',
          actor: { type: 'system' },
          details: {},
        });
      });
      return token;
    },

    async startSetup(input: { token: string; email?: string | undefined }, ctx: RequestContext) {
      const secret = newTotpSecret();
      const refused = await db.transaction(async (tx) => {
        const { row, reason } = await loadSetupToken(tx, input.token);
        if (!row) return reason;
        await repo.setSetupPendingTotp(tx, row.id, seal(deps.sealKey, secret, `identity.setup:${row.id}`));
        return undefined;
      });
      if (refused) return refuse(refused, ctx);
      return { totpSecret: secret, otpauthUrl: otpauthUrl(secret, input.email?.trim() || 'owner') };
    },

    async completeSetup(input: NewOwnerInput & { token: string; totpCode: string }, ctx: RequestContext) {
      assertPasswordPolicy(input.password, deps.passwordPolicy, input.email);
      const passwordHash = await hashPassword(input.password);
      const outcome = await db.transaction(async (tx) => {
        const { row, reason } = await loadSetupToken(tx, input.token);
        if (!row) return { refused: (reason ?? 'invalid') as Refusal } as const;
        if (!row.pending_totp_sealed) throw errors.setupNotStarted();
        const secret = open(deps.sealKey, row.pending_totp_sealed, `identity.setup:${row.id}`).toString('utf8');
        if (matchTotp(secret, input.totpCode, clock.now()) === undefined) throw errors.setupTotpInvalid();
        const userId = await insertOwner(
          tx,
          { ...input, passwordHash, totpSecret: secret, via: 'setup' },
          { ip: ctx.ip, requestId: ctx.requestId, actorType: 'anonymous' },
        );
        await repo.consumeSetupToken(tx, row.id, clock.now());
        await audit.append(tx, {
          action: 'setup.completed',
          outcome: 'success',
          actor: { type: 'user', id: userId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: {},
        });
        return { userId } as const;
      });
      if ('refused' in outcome) return refuse(outcome.refused ?? 'invalid', ctx);
      return { id: outcome.userId, email: input.email.trim(), roles: ['owner'] };
    },

    /** `strongroom init`: the first owner, created by the host operator. Refused once any account exists. */
    async createFirstOwner(input: NewOwnerInput): Promise<{ userId: string; totpSecret: string }> {
      assertPasswordPolicy(input.password, deps.passwordPolicy, input.email);
      const passwordHash = await hashPassword(input.password);
      const totpSecret = newTotpSecret();
      const userId = await db.transaction(async (tx) => {
        if ((await repo.countUsers(tx)) > 0) throw errors.alreadyInitialised();
        await repo.revokeOpenSetupTokens(tx, clock.now());
        return insertOwner(tx, { ...input, passwordHash, totpSecret, via: 'init' }, { actorType: 'host_operator' });
      });
      return { userId, totpSecret };
    },
  };
}
