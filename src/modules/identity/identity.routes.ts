/** HTTP adapter for identity: setup, sign-in, session. No SQL and no rules here. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf, type Guard, principalOf, SESSION_COOKIE } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import * as s from './identity.schemas.ts';
import type { IdentityService } from './identity.service.ts';
import type { PasswordPolicy } from './passwords.ts';

export interface IdentityRouteDeps {
  identity: IdentityService;
  guard: Guard;
  sessionMaxAgeSeconds: number;
  authRateLimit: { max: number; timeWindow: string };
  passwordPolicy: PasswordPolicy;
}

export function identityRoutes(deps: IdentityRouteDeps) {
  const { identity, guard } = deps;
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'strict',
      maxAge: deps.sessionMaxAgeSeconds,
    });
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const limited = { rateLimit: deps.authRateLimit };

    r.get(
      '/api/v1/setup/status',
      {
        schema: {
          tags: ['setup'],
          summary: 'Whether first-run setup is still needed',
          response: { 200: s.setupStatusResponse },
        },
      },
      async () => ({ needed: await identity.setupNeeded() }),
    );

    r.post(
      '/api/v1/setup/start',
      {
        config: limited,
        schema: {
          tags: ['setup'],
          summary: 'Begin TOTP enrolment of the first owner with the one-time setup token',
          body: s.setupStartBody,
          response: { 200: s.totpEnrolment, 400: errorResponse, 401: errorResponse },
        },
      },
      async (req, reply) =>
        reply.header('cache-control', 'no-store').send(await identity.startSetup(req.body, contextOf(req))),
    );

    r.post(
      '/api/v1/setup/complete',
      {
        config: limited,
        schema: {
          tags: ['setup'],
          summary: 'Create the first owner (password + TOTP); the token cannot be used again',
          body: s.setupCompleteBody,
          response: { 201: s.setupCompleteResponse, 400: errorResponse, 401: errorResponse, 409: errorResponse },
        },
      },
      async (req, reply) => reply.status(201).send({ user: await identity.completeSetup(req.body, contextOf(req)) }),
    );

    r.get(
      '/api/v1/auth/password-policy',
      {
        schema: { tags: ['auth'], summary: 'The password rules in force', response: { 200: s.passwordPolicyResponse } },
      },
      async () => deps.passwordPolicy,
    );

    r.post(
      '/api/v1/auth/login',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Sign-in step 1: email and password; answers a challenge for the second factor',
          description: 'Every failure answers 401 auth.invalid_credentials, whatever the cause.',
          body: s.loginBody,
          response: { 200: s.loginResponse, 400: errorResponse, 401: errorResponse },
        },
      },
      async (req, reply) =>
        reply.header('cache-control', 'no-store').send(await identity.login(req.body, contextOf(req))),
    );

    r.post(
      '/api/v1/auth/mfa',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Sign-in step 2: the second factor; sets the session cookie and ends every other session',
          body: s.mfaBody,
          response: { 200: s.mfaResponse, 400: errorResponse, 401: errorResponse },
        },
      },
      async (req, reply) => {
        const out = await identity.verifyMfa(req.body, contextOf(req));
        setSessionCookie(reply, out.sessionToken);
        return reply.header('cache-control', 'no-store').send({ user: out.user, csrfToken: out.csrfToken });
      },
    );

    r.post(
      '/api/v1/auth/logout',
      {
        preHandler: guard(),
        schema: { tags: ['auth'], summary: 'End this session', response: { 204: noContent, ...authErrors } },
      },
      async (req, reply) => {
        await identity.logout(principalOf(req), contextOf(req));
        reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'strict' });
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/auth/mfa/options',
      {
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Sign-in step 2 preparation: passkey options, or send an SMS code',
          body: s.mfaOptionsBody,
          response: { 200: s.mfaOptionsResponse, 400: errorResponse, 401: errorResponse, 429: errorResponse },
        },
      },
      async (req, reply) =>
        reply.header('cache-control', 'no-store').send(await identity.beginSecondFactor(req.body, contextOf(req))),
    );

    r.post(
      '/api/v1/auth/step-up/options',
      {
        preHandler: guard(),
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Step-up preparation: passkey options, or send an SMS code',
          body: s.stepUpOptionsBody,
          response: { 200: s.mfaOptionsResponse, 400: errorResponse, ...authErrors },
        },
      },
      async (req, reply) =>
        reply
          .header('cache-control', 'no-store')
          .send(await identity.beginStepUp(principalOf(req), req.body.method, contextOf(req))),
    );

    r.post(
      '/api/v1/auth/step-up',
      {
        preHandler: guard(),
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Confirm a second factor inside the session (needed before reveals and elevation)',
          body: s.stepUpBody,
          response: { 200: z.object({ mfaAt: z.string() }), 400: errorResponse, ...authErrors },
        },
      },
      async (req) => identity.stepUp(principalOf(req), req.body, contextOf(req)),
    );

    r.post(
      '/api/v1/me/elevation',
      {
        preHandler: guard(),
        schema: {
          tags: ['auth'],
          summary: 'Just-in-time elevation: privileged permissions for up to 60 minutes, with a reason (IAM-09)',
          description: 'Needs a second factor within the step-up window. The session cookie and CSRF token rotate.',
          body: s.elevateBody,
          response: { 200: s.elevateResponse, 400: errorResponse, ...authErrors },
        },
      },
      async (req, reply) => {
        const out = await identity.elevate(principalOf(req), req.body, contextOf(req));
        setSessionCookie(reply, out.sessionToken);
        return reply
          .header('cache-control', 'no-store')
          .send({ csrfToken: out.csrfToken, elevatedUntil: out.elevatedUntil });
      },
    );

    r.delete(
      '/api/v1/me/elevation',
      {
        preHandler: guard(),
        schema: { tags: ['auth'], summary: 'End elevation now', response: { 204: noContent, ...authErrors } },
      },
      async (req, reply) => {
        await identity.dropElevation(principalOf(req), contextOf(req));
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/me/sessions',
      {
        preHandler: guard(),
        schema: {
          tags: ['auth'],
          summary: 'My recent sessions (the live one and those that ended)',
          response: { 200: z.object({ items: z.array(s.sessionItem) }), ...authErrors },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return { items: await identity.listSessions(p.userId, p.sessionId) };
      },
    );

    r.delete(
      '/api/v1/me/sessions/:id',
      {
        preHandler: guard(),
        schema: {
          tags: ['auth'],
          summary: 'End one of my sessions',
          params: s.uuidParam,
          response: { 204: noContent, 404: errorResponse, ...authErrors },
        },
      },
      async (req, reply) => {
        await identity.endOwnSession(principalOf(req), req.params.id, contextOf(req));
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/me/password',
      {
        preHandler: guard(),
        config: limited,
        schema: {
          tags: ['auth'],
          summary: 'Change my password (policy, breached-password list and the last 12 passwords apply)',
          body: s.changePasswordBody,
          response: { 204: noContent, 400: errorResponse, ...authErrors },
        },
      },
      async (req, reply) => {
        await identity.changePassword(principalOf(req), req.body, contextOf(req));
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/me',
      {
        preHandler: guard(),
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, CSRF token and session',
          response: { 200: s.meResponse, ...authErrors },
        },
      },
      async (req, reply) => reply.header('cache-control', 'no-store').send(await identity.me(principalOf(req))),
    );
  };
}
