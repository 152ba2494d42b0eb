/** Dependencies and small helpers shared by the identity use cases. */
import { createHmac } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import type { AccessService } from '../access/access.service.ts';
import type { AuditLog } from '../audit/index.ts';
import type { MfaMethods } from './mfa/index.ts';
import type { PasswordPolicy } from './passwords.ts';

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append' | 'pseudonymiseIp'>;
  access: Pick<AccessService, 'resolve' | 'revokeAllGrantsOf' | 'assertKnownRoles' | 'listGrants'>;
  sealKey: Buffer;
  sessionMacKey: Buffer;
  session: Config['session'];
  identity: Config['identity'];
  publicUrl: string;
  passwordPolicy: PasswordPolicy;
  mfa: MfaMethods;
  /** IAM-14: the risk engine's sign-in hooks (the risk module implements them); none means no scoring. */
  risk?: SignInRisk | undefined;
  /** Tells the person and the admins that an account was locked (enqueued in the same transaction). */
  onAccountLocked(tx: Tx, userId: string, reason: LockReason, minutes: number | null): Promise<void>;
}

export interface SignInRisk {
  /** After a correct password; `challengeId` is the id of the challenge row about to be created. */
  assessLogin(
    userId: string,
    ctx: RequestContext,
    challengeId: string,
  ): Promise<{
    decision: 'allow' | 'step_up' | 'deny';
    /** The second factors this sign-in accepts (all, or the strongest when stepping up); records the assessment. */
    narrowMethods<M extends string>(methods: M[]): Promise<M[]>;
    recordDenied(tx: Tx): Promise<void>;
  }>;
  isMethodAllowed(tx: Tx, challengeId: string, method: string): Promise<boolean>;
  onSignedIn(tx: Tx, s: { userId: string; challengeId: string; sessionId: string }, ctx: RequestContext): Promise<void>;
}

export type LockReason = 'failed_logins' | 'inactivity' | 'admin' | 'detection' | 'offboarding';

export const addMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
export const minDate = (a: Date, b: Date): Date => (a < b ? a : b);

export function csrfFor(macKey: Buffer, sessionToken: string): string {
  return createHmac('sha256', macKey).update(`csrf\0${sessionToken}`).digest('base64url');
}

/** Privileged sessions (holders of privileged permissions) live shorter (IAM-09). */
export function sessionLifetimes(s: Config['session'], privileged: boolean) {
  return privileged
    ? { idleMs: s.privilegedIdleTimeoutSeconds * 1000, absoluteMs: s.privilegedAbsoluteTimeoutSeconds * 1000 }
    : { idleMs: s.idleTimeoutSeconds * 1000, absoluteMs: s.absoluteTimeoutSeconds * 1000 };
}
