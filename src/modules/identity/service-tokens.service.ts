/**
 * Service tokens for ingestion clients: scoped, bound to CIDRs, optionally expiring, shown once and stored
 * only as SHA-256; last use recorded (IAM-12). A token whose owner is offboarded is revoked with them (IAM-11).
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { newId, newSecret, sha256 } from '../../platform/ids.ts';
import { ipInCidrs, parseCidr } from '../access/ip.ts';
import type { IdentityDeps } from './identity.deps.ts';
import * as users from './users.repository.ts';

export const serviceScopes = ['records.write'] as const;
export const SERVICE_TOKEN_PREFIX = 'srt_';

export interface ServicePrincipal {
  kind: 'service';
  tokenId: string;
  createdBy: string;
  scopes: readonly string[];
}

const invalidToken = () =>
  new AppError('unauthenticated', 'auth.invalid_token', 'The bearer token is invalid, expired or not allowed here.');

export function createServiceTokenUseCases(deps: IdentityDeps) {
  const { db, clock, audit } = deps;
  return {
    async createServiceToken(
      p: Principal,
      input: { name: string; scopes: string[]; allowedCidrs: string[]; expiresAt?: string | undefined },
      ctx: RequestContext,
    ) {
      const cidrs = input.allowedCidrs.map((c) => {
        const parsed = parseCidr(c);
        if (!parsed)
          throw new AppError('validation', 'service_tokens.invalid_cidr', `"${c}" is not an IP address or CIDR.`);
        return `${parsed.address}/${parsed.prefix}`;
      });
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && expiresAt <= clock.now()) {
        throw new AppError('validation', 'service_tokens.expiry_in_past', 'The expiry must be in the future.');
      }
      const id = newId();
      const token = `${SERVICE_TOKEN_PREFIX}${newSecret()}`;
      await db.transaction(async (tx) => {
        await users.insertServiceToken(tx, {
          id,
          name: input.name,
          tokenHash: sha256(token),
          scopes: [...new Set(input.scopes)],
          cidrs,
          by: p.userId,
          at: clock.now(),
          expiresAt,
        });
        await audit.append(tx, {
          action: 'identity.service_token.created',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'service_token', id },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { scopes: [...new Set(input.scopes)], expires: expiresAt !== null },
        });
      });
      return { id, token };
    },

    async listServiceTokens() {
      return (await users.listServiceTokens(db)).map((t) => ({
        id: t.id,
        name: t.name,
        scopes: t.scopes,
        allowedCidrs: t.allowed_cidrs,
        createdBy: t.created_by,
        createdAt: t.created_at.toISOString(),
        expiresAt: t.expires_at?.toISOString() ?? null,
        lastUsedAt: t.last_used_at?.toISOString() ?? null,
        revokedAt: t.revoked_at?.toISOString() ?? null,
      }));
    },

    async revokeServiceToken(p: Principal, id: string, ctx: RequestContext) {
      const ok = await db.transaction(async (tx) => {
        if (!(await users.revokeServiceToken(tx, id, p.userId, clock.now()))) return false;
        await audit.append(tx, {
          action: 'identity.service_token.revoked',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'service_token', id },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: {},
        });
        return true;
      });
      if (!ok) throw new AppError('not_found', 'service_tokens.not_found', 'There is no such active token.');
    },

    /** Bearer authentication: known, live, from an allowed CIDR, holding the scope. Refusals are audited. */
    async authenticateServiceToken(token: string, scope: string, ctx: RequestContext): Promise<ServicePrincipal> {
      const row = token.startsWith(SERVICE_TOKEN_PREFIX) ? await users.findServiceToken(db, sha256(token)) : undefined;
      const now = clock.now();
      const reason = !row
        ? 'unknown'
        : row.revoked_at
          ? 'revoked'
          : row.expires_at && row.expires_at <= now
            ? 'expired'
            : !ipInCidrs(ctx.ip, row.allowed_cidrs)
              ? 'cidr'
              : !row.scopes.includes(scope)
                ? 'scope'
                : undefined;
      if (reason || !row) {
        await db.transaction((tx) =>
          audit.append(tx, {
            action: 'auth.service_token.rejected',
            outcome: 'denied',
            actor: row ? { type: 'service', id: row.id } : { type: 'anonymous' },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { reason: reason ?? 'unknown' },
          }),
        );
        if (reason === 'scope') {
          throw new AppError('forbidden', 'access.denied', 'This token does not have the scope for this endpoint.');
        }
        throw invalidToken();
      }
      await users.touchServiceToken(db, row.id, now, audit.pseudonymiseIp(ctx.ip));
      return { kind: 'service', tokenId: row.id, createdBy: row.created_by, scopes: row.scopes };
    },
  };
}
