/**
 * "My account" second factors (IAM-03): list, add a passkey, an SMS number, recovery codes; remove a method
 * (never the last one). Adding or removing a factor needs a recent second factor (step-up), so a stolen
 * session cannot plant its own. Also the development SMS outbox for admins when no SMS provider is set.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import type { AuditLog } from '../audit/index.ts';
import * as repo from './identity.repository.ts';
import { listDevOutbox, type MfaMethods, mfaSchemas as m } from './mfa/index.ts';

export interface MfaRouteDeps {
  db: Db;
  clock: Clock;
  mfa: MfaMethods;
  audit: Pick<AuditLog, 'append'>;
  guard: Guard;
  stepUpMaxAgeSeconds: number;
  smsDevOutbox: boolean;
  sealKey: Buffer;
}

const errs = { 400: errorResponse, 404: errorResponse, 409: errorResponse, 429: errorResponse, ...authErrors };

export function mfaRoutes(deps: MfaRouteDeps) {
  const { db, mfa, audit, guard } = deps;
  const requireFreshMfa = (p: Principal) => {
    if (deps.clock.now().getTime() - p.mfaAt.getTime() > deps.stepUpMaxAgeSeconds * 1000) {
      throw new AppError(
        'forbidden',
        'auth.step_up_required',
        'Confirm with a second factor first (step-up), then retry.',
      );
    }
  };
  const record = (tx: Tx, p: Principal, ctx: RequestContext, event: Parameters<AuditLog['append']>[1]) =>
    audit.append(tx, { ...event, actor: { type: 'user', id: p.userId }, ip: ctx.ip, requestId: ctx.requestId });
  /** Runs `fn`; a refusal from the MFA library is audited, committed, then thrown. */
  async function attempt<T extends { ok: boolean }>(
    p: Principal,
    ctx: RequestContext,
    method: 'webauthn' | 'sms',
    fn: (tx: Tx) => Promise<T>,
    onOk: (tx: Tx, r: T) => Promise<void>,
  ): Promise<T> {
    const r = await db.transaction(async (tx) => {
      const out = await fn(tx);
      if (out.ok) await onOk(tx, out);
      else {
        const reason = (out as unknown as { reason: string }).reason;
        await record(tx, p, ctx, {
          action: 'identity.mfa.enrolment_failed',
          outcome: 'failure',
          actor: { type: 'user', id: p.userId },
          details: { method, reason: reason as never },
        });
      }
      return out;
    });
    if (!r.ok) throw (r as unknown as { error: AppError }).error;
    return r;
  }

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['my account'];

    r.get(
      '/api/v1/me/mfa',
      {
        preHandler: guard(),
        schema: { tags, summary: 'My second factors', response: { 200: m.mfaOverviewResponse, ...errs } },
      },
      async (req) => {
        const o = await mfa.getMfaOverview(db, principalOf(req).userId);
        const iso = (d: Date | null) => d?.toISOString() ?? null;
        return {
          methods: o.methods,
          passkeys: o.passkeys.map((k) => ({
            ...k,
            createdAt: k.createdAt.toISOString(),
            lastUsedAt: iso(k.lastUsedAt),
          })),
          sms: o.sms && {
            maskedPhone: o.sms.maskedPhone,
            confirmedAt: iso(o.sms.confirmedAt),
            lastUsedAt: iso(o.sms.lastUsedAt),
          },
          recoveryCodesRemaining: o.recoveryCodesRemaining,
        };
      },
    );

    r.post(
      '/api/v1/me/mfa/webauthn/options',
      {
        preHandler: guard(),
        schema: {
          tags,
          summary: 'Options to create a passkey (navigator.credentials.create)',
          response: { 200: m.webauthnCreationOptions, ...errs },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireFreshMfa(p);
        const user = await repo.findUserById(db, p.userId);
        if (!user) throw new AppError('unauthenticated', 'auth.unauthenticated', 'Sign in to continue.');
        const options = await mfa.beginWebauthnRegistration(db, {
          id: user.id,
          name: user.email,
          displayName: user.name,
        });
        return options as unknown as z.infer<typeof m.webauthnCreationOptions>;
      },
    );

    r.post(
      '/api/v1/me/mfa/webauthn',
      {
        preHandler: guard(),
        schema: {
          tags,
          summary: 'Register the passkey just created',
          body: m.webauthnRegistrationFinishBody,
          response: { 201: m.webauthnRegistrationFinishResponse, ...errs },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireFreshMfa(p);
        const ctx = contextOf(req);
        const out = await attempt(
          p,
          ctx,
          'webauthn',
          (tx) => mfa.finishWebauthnRegistration(tx, p.userId, req.body as never),
          async (tx) => {
            await record(tx, p, ctx, {
              action: 'identity.mfa.enrolled',
              outcome: 'success',
              actor: { type: 'user' },
              details: { method: 'webauthn' },
            });
          },
        );
        return reply.status(201).send({ id: (out as unknown as { credentialId: string }).credentialId });
      },
    );

    r.post(
      '/api/v1/me/mfa/sms',
      {
        preHandler: guard(),
        schema: {
          tags,
          summary: 'Start adding a phone: a code is sent to it',
          body: m.smsEnrolmentBody,
          response: { 200: m.smsSentResponse, ...errs },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireFreshMfa(p);
        const ctx = contextOf(req);
        const out = await attempt(
          p,
          ctx,
          'sms',
          (tx) => mfa.beginSmsEnrolment(tx, p.userId, req.body.phone),
          async (tx) => {
            await record(tx, p, ctx, {
              action: 'auth.mfa.sms_sent',
              outcome: 'success',
              actor: { type: 'user' },
              details: { purpose: 'enrolment' },
            });
          },
        );
        const sent = out as unknown as { expiresAt: Date; deliver(): Promise<void> };
        await sent.deliver();
        return { expiresAt: sent.expiresAt.toISOString() };
      },
    );

    r.post(
      '/api/v1/me/mfa/sms/confirm',
      {
        preHandler: guard(),
        schema: {
          tags,
          summary: 'Confirm the phone with the code it received',
          body: m.smsCodeBody,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const ctx = contextOf(req);
        await attempt(
          p,
          ctx,
          'sms',
          (tx) => mfa.confirmSmsEnrolment(tx, p.userId, req.body.code),
          async (tx) => {
            await record(tx, p, ctx, {
              action: 'identity.mfa.enrolled',
              outcome: 'success',
              actor: { type: 'user' },
              details: { method: 'sms' },
            });
          },
        );
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/me/mfa/recovery-codes',
      {
        preHandler: guard(),
        schema: {
          tags,
          summary: 'A new set of 10 recovery codes (shown once; the old set stops working)',
          response: { 200: m.recoveryCodesResponse, ...errs },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireFreshMfa(p);
        const ctx = contextOf(req);
        const out = await db.transaction(async (tx) => {
          const gen = await mfa.generateRecoveryCodes(tx, p.userId);
          await record(tx, p, ctx, {
            action: 'identity.mfa.recovery_codes_generated',
            outcome: 'success',
            actor: { type: 'user' },
            details: { replacedUnused: gen.replacedUnused },
          });
          return gen;
        });
        return reply.header('cache-control', 'no-store').send({ codes: out.codes });
      },
    );

    r.delete(
      '/api/v1/me/mfa/:method',
      {
        preHandler: guard(),
        schema: {
          tags,
          summary: 'Remove a method (TOTP, SMS, recovery codes); never the last factor',
          params: m.removeMethodParams,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireFreshMfa(p);
        if (req.params.method === 'webauthn') {
          throw new AppError(
            'validation',
            'mfa.passkey_id_required',
            'Remove a passkey by its id: DELETE /api/v1/me/mfa/webauthn/{id}.',
          );
        }
        await db.transaction(async (tx) => {
          await mfa.removeMethod(tx, p.userId, req.params.method);
          await record(tx, p, contextOf(req), {
            action: 'identity.mfa.removed',
            outcome: 'success',
            actor: { type: 'user' },
            details: { method: req.params.method },
          });
        });
        return reply.status(204).send(null);
      },
    );

    r.delete(
      '/api/v1/me/mfa/webauthn/:id',
      {
        preHandler: guard(),
        schema: {
          tags,
          summary: 'Remove one passkey',
          params: m.removePasskeyParams,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireFreshMfa(p);
        await db.transaction(async (tx) => {
          await mfa.removeMethod(tx, p.userId, 'webauthn', req.params.id);
          await record(tx, p, contextOf(req), {
            action: 'identity.mfa.removed',
            outcome: 'success',
            actor: { type: 'user' },
            details: { method: 'webauthn' },
          });
        });
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/admin/sms-outbox',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags: ['admin'],
          summary: 'Development SMS outbox (only when no SMS provider is configured)',
          querystring: m.devOutboxQuery,
          response: { 200: m.devOutboxResponse, ...errs },
        },
      },
      async (req, reply) => {
        if (!deps.smsDevOutbox)
          throw new AppError(
            'not_found',
            'sms_outbox.not_in_use',
            'An SMS provider is configured; there is no development outbox.',
          );
        const p = principalOf(req);
        const items = await listDevOutbox(db, deps.sealKey, req.query.limit);
        await db.transaction((tx) =>
          record(tx, p, contextOf(req), {
            action: 'identity.sms_outbox.read',
            outcome: 'success',
            actor: { type: 'user' },
            details: { returned: items.length },
          }),
        );
        return reply.header('cache-control', 'no-store').send({
          items: items.map((i) => ({ id: i.id, createdAt: i.createdAt.toISOString(), to: i.to, text: i.text })),
        });
      },
    );
  };
}
