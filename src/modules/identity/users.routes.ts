/** HTTP adapter for user administration, enrolment and service tokens. No SQL and no rules here. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import * as s from './identity.schemas.ts';
import type { IdentityService } from './identity.service.ts';

const errs = { 400: errorResponse, 404: errorResponse, 409: errorResponse, ...authErrors };
const userOut = z.record(z.string(), z.unknown());

export function userRoutes(deps: {
  identity: IdentityService;
  guard: Guard;
  authRateLimit: { max: number; timeWindow: string };
}) {
  const { identity, guard } = deps;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['users'];

    r.post(
      '/api/v1/users',
      {
        preHandler: guard('users.create'),
        schema: {
          tags,
          summary: 'Create an account; it waits for approval by someone else (IAM-07)',
          body: s.createUserBody,
          response: { 201: s.userStatusResponse, ...errs },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await identity.createUser(principalOf(req), req.body, contextOf(req))),
    );

    r.get(
      '/api/v1/users',
      {
        preHandler: guard('users.read'),
        schema: {
          tags,
          summary: 'List accounts',
          querystring: s.listUsersQuery,
          response: { 200: z.object({ items: z.array(userOut) }), ...errs },
        },
      },
      async (req) => ({ items: await identity.listUsers(req.query) }),
    );

    r.get(
      '/api/v1/users/:id',
      {
        preHandler: guard('users.read'),
        schema: {
          tags,
          summary: 'One account: roles with provenance, grants, live sessions, MFA',
          params: s.uuidParam,
          response: { 200: userOut, ...errs },
        },
      },
      async (req) => identity.userDetail(req.params.id),
    );

    const transition = (
      path: string,
      permission: string,
      summary: string,
      run: (req: { params: { id: string } } & Parameters<typeof principalOf>[0]) => Promise<Record<string, unknown>>,
    ) =>
      r.post(
        `/api/v1/users/:id/${path}`,
        {
          preHandler: guard(permission),
          schema: { tags, summary, params: s.uuidParam, response: { 200: userOut, ...errs } },
        },
        async (req) => run(req as never),
      );

    transition('approve', 'users.approve', 'Approve a pending account (never by its creator)', (req) =>
      identity.approveUser({ type: 'user', principal: principalOf(req) }, req.params.id, contextOf(req)),
    );
    transition('reject', 'users.approve', 'Reject a pending account', (req) =>
      identity.rejectUser(principalOf(req), req.params.id, contextOf(req)),
    );
    transition('lock', 'users.manage', 'Lock an account and end its sessions', (req) =>
      identity.lockUser(principalOf(req), req.params.id, contextOf(req)),
    );
    transition('unlock', 'users.manage', 'Unlock an account (after lockout, inactivity or an admin lock)', (req) =>
      identity.unlockUser(principalOf(req), req.params.id, contextOf(req)),
    );

    r.post(
      '/api/v1/users/:id/enrollment-link',
      {
        preHandler: guard('users.create'),
        schema: {
          tags,
          summary: 'A single-use enrolment link (24 h) for an approved account that has not enrolled',
          params: s.uuidParam,
          response: { 201: s.enrollmentLinkResponse, ...errs },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .header('cache-control', 'no-store')
          .send(await identity.createEnrollmentLink(principalOf(req), req.params.id, contextOf(req))),
    );

    r.post(
      '/api/v1/users/:id/offboard',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags,
          summary:
            'Offboard now (sessions, grants, tokens and roles revoked in one transaction) or at a departure time',
          params: s.uuidParam,
          body: s.offboardBody,
          response: { 200: userOut, ...errs },
        },
      },
      async (req) =>
        identity.offboard({ type: 'user', principal: principalOf(req) }, req.params.id, req.body ?? {}, contextOf(req)),
    );

    r.delete(
      '/api/v1/users/:id/departure',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags,
          summary: 'Cancel a planned departure',
          params: s.uuidParam,
          response: { 200: userOut, ...errs },
        },
      },
      async (req) => identity.cancelDeparture(principalOf(req), req.params.id, contextOf(req)),
    );

    r.delete(
      '/api/v1/users/:id/sessions/:sessionId',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags,
          summary: "End one of another person's sessions",
          params: z.strictObject({ id: z.uuid(), sessionId: z.uuid() }),
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        await identity.endUserSession(principalOf(req), req.params.id, req.params.sessionId, contextOf(req));
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/users/:id/roles',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags,
          summary: 'Add or remove roles',
          params: s.uuidParam,
          body: s.changeRolesBody,
          response: { 200: userOut, ...errs },
        },
      },
      async (req) => identity.changeRoles(principalOf(req), req.params.id, req.body, contextOf(req)),
    );

    const limited = { rateLimit: deps.authRateLimit };
    r.post(
      '/api/v1/enrollment/start',
      {
        config: limited,
        schema: {
          tags: ['enrollment'],
          summary: 'Begin enrolment with the link token: returns a TOTP secret to scan',
          body: s.enrollmentStartBody,
          response: { 200: s.totpEnrolment, ...errs },
        },
      },
      async (req, reply) => reply.header('cache-control', 'no-store').send(await identity.startEnrollment(req.body)),
    );

    r.post(
      '/api/v1/enrollment/complete',
      {
        config: limited,
        schema: {
          tags: ['enrollment'],
          summary: 'Finish enrolment: set the password and confirm the TOTP code; the link is then spent',
          body: s.enrollmentCompleteBody,
          response: { 200: z.object({ user: z.object({ id: z.uuid(), email: z.string() }) }), ...errs },
        },
      },
      async (req) => identity.completeEnrollment(req.body, contextOf(req)),
    );

    r.post(
      '/api/v1/service-tokens',
      {
        preHandler: guard('service_tokens.manage'),
        schema: {
          tags: ['service-tokens'],
          summary: 'Create a token for an ingestion client (shown once)',
          body: s.createServiceTokenBody,
          response: { 201: z.object({ id: z.uuid(), token: z.string() }), ...errs },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .header('cache-control', 'no-store')
          .send(await identity.createServiceToken(principalOf(req), req.body, contextOf(req))),
    );

    r.get(
      '/api/v1/service-tokens',
      {
        preHandler: guard('users.read'),
        schema: {
          tags: ['service-tokens'],
          summary: 'List service tokens (never their secrets)',
          response: { 200: z.object({ items: z.array(userOut) }), ...errs },
        },
      },
      async () => ({ items: await identity.listServiceTokens() }),
    );

    r.delete(
      '/api/v1/service-tokens/:id',
      {
        preHandler: guard('service_tokens.manage'),
        schema: {
          tags: ['service-tokens'],
          summary: 'Revoke a service token',
          params: s.uuidParam,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        await identity.revokeServiceToken(principalOf(req), req.params.id, contextOf(req));
        return reply.status(204).send(null);
      },
    );
  };
}
