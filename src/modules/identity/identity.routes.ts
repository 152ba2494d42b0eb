/** HTTP adapter for identity: setup, sign-in, session. No SQL and no rules here. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf, type Guard, principalOf, SESSION_COOKIE } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import * as s from './identity.schemas.ts';
import type { IdentityService } from './identity.service.ts';
import { defaultPasswordPolicy } from './passwords.ts';

export interface IdentityRouteDeps {
  identity: IdentityService;
  guard: Guard;
  sessionMaxAgeSeconds: number;
  authRateLimit: { max: number; timeWindow: string };
}

export function identityRoutes(deps: IdentityRouteDeps) {
  const { identity, guard } = deps;
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
      async () => defaultPasswordPolicy,
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
        reply.setCookie(SESSION_COOKIE, out.sessionToken, {
          path: '/',
          secure: true,
          httpOnly: true,
          sameSite: 'strict',
          maxAge: deps.sessionMaxAgeSeconds,
        });
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
