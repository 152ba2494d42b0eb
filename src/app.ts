/**
 * The composition root of the HTTP server: platform plugins, then each module's routes. HTTPS only (NET-01):
 * when TLS material is given the server speaks TLS 1.2+ and nothing else; tests may build it without TLS to
 * use `inject`, which never opens a socket.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Core } from './core.ts';
import { accessRoutes } from './modules/access/index.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { detectionRoutes } from './modules/detection/index.ts';
import { identityRoutes } from './modules/identity/index.ts';
import { mfaRoutes } from './modules/identity/mfa.routes.ts';
import { userRoutes } from './modules/identity/users.routes.ts';
import { installRiskHooks, riskRoutes } from './modules/risk/index.ts';
import { vaultRoutes } from './modules/vault/index.ts';
import { AppError } from './platform/errors.ts';
import { createGuard } from './platform/http/auth.ts';
import { registerErrorHandler, sendError } from './platform/http/error-handler.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import type { TlsMaterial } from './platform/http/tls.ts';
import { newId } from './platform/ids.ts';

export interface AppOptions {
  tls?: TlsMaterial;
  /** Directory of the built web UI; defaults to web/dist. */
  webDir?: string;
  /** Requests per minute per IP on sign-in and setup routes. */
  authRateLimitPerMinute?: number;
}

const defaultWebDir = path.resolve(import.meta.dirname, '../web/dist');

export async function buildApp(core: Core, opts: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = core;
  const app = Fastify({
    ...(opts.tls ? { https: { key: opts.tls.key, cert: opts.tls.cert, minVersion: 'TLSv1.2' as const } } : {}),
    loggerInstance: core.logger as FastifyBaseLogger,
    genReqId: () => newId(),
    trustProxy: config.http.trustedProxies.length ? [...config.http.trustedProxies] : false,
    bodyLimit: config.http.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: a cross-site form cannot send application/json, which closes one CSRF path.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', null);
  app.decorateRequest('service', null);
  registerErrorHandler(app);
  await registerSecurityHeaders(app);
  await app.register(cookie);
  // IAM-14: classified client signals for the risk engine (after the cookie parser: it reads the device cookie)
  installRiskHooks(app, core.risk);
  await app.register(rateLimit, { global: true, max: 3000, timeWindow: '1 minute' });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Strongroom API',
        version: core.version,
        description:
          'Self-hosted vault for confidential personal data. Browser sessions use the `__Host-strongroom_session` ' +
          'cookie and send `X-CSRF-Token` on state-changing requests. Errors: `{ error: { code, message, requestId } }`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: '__Host-strongroom_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false, uiConfig: { deepLinking: true } });

  const guard = createGuard({
    authenticate: core.identity.authenticate,
    checkCsrf: core.identity.checkCsrf,
    onCsrfRejected: (p, ctx) =>
      core.db.transaction(async (tx) => {
        await core.audit.append(tx, {
          action: 'auth.csrf.rejected',
          outcome: 'denied',
          actor: { type: 'user', id: p.userId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { route: ctx.route },
        });
      }),
    onPermissionUsed: (p, permission) => core.access.recordUse(core.db, p, permission),
    authenticateService: core.identity.authenticateServiceToken,
    observe: (p, ctx, userAgent) => core.detection.activity.observe(p, ctx, userAgent),
    onPermissionDenied: (p, permission, ctx, dormant) =>
      core.db.transaction(async (tx) => {
        await core.audit.append(tx, {
          action: dormant ? 'access.elevation.required' : 'access.denied',
          outcome: 'denied',
          actor: { type: 'user', id: p.userId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { permission, route: ctx.route },
        });
      }),
  });

  // NET-02/LOG-05: a blocked address gets 403 on everything but the health check, before any other work
  app.addHook('onRequest', async (req) => {
    if (req.url !== '/healthz' && (await core.blocklist.isBlocked(req.ip))) {
      throw new AppError('forbidden', 'security.ip_blocked', 'Requests from this network address are blocked.');
    }
  });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    identityRoutes({
      identity: core.identity,
      guard,
      sessionMaxAgeSeconds: config.session.absoluteTimeoutSeconds,
      authRateLimit: { max: opts.authRateLimitPerMinute ?? 300, timeWindow: '1 minute' },
      passwordPolicy: core.identity.passwordPolicy,
    }),
  );
  const authRateLimit = { max: opts.authRateLimitPerMinute ?? 300, timeWindow: '1 minute' };
  await app.register(userRoutes({ identity: core.identity, guard, authRateLimit }));
  await app.register(
    mfaRoutes({
      db: core.db,
      clock: core.clock,
      mfa: core.mfa,
      audit: core.audit,
      guard,
      stepUpMaxAgeSeconds: config.session.stepUpMaxAgeSeconds,
      smsDevOutbox: core.smsDevOutbox,
      sealKey: core.keyring.derive('identity.secret-seal.v1'),
    }),
  );
  await app.register(
    accessRoutes({
      db: core.db,
      access: core.access,
      guard,
      pendingUsers: () => core.identity.listUsers({ status: 'pending_approval', limit: 200, offset: 0 }),
    }),
  );
  await app.register(auditRoutes({ db: core.db, audit: core.audit, guard }));
  await app.register(
    vaultRoutes({
      db: core.db,
      vault: core.vault,
      ingest: core.ingest,
      rotation: core.keyRotation,
      guard,
      bulkMaxBytes: config.http.bulkMaxBytes,
    }),
  );

  await app.register(detectionRoutes({ db: core.db, detection: core.detection, guard, audit: core.audit }));
  await app.register(riskRoutes({ risk: core.risk, guard }));
  await registerWebUi(app, opts.webDir ?? defaultWebDir);
  return app;
}

/** Serves the built React app; unknown non-API GETs get index.html so client-side routes survive reloads. */
async function registerWebUi(app: FastifyInstance, webDir: string): Promise<void> {
  const hasUi = existsSync(path.join(webDir, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, {
      root: webDir,
      // wildcard: files are looked up per request, so a rebuilt UI is served without a restart
      wildcard: true,
      index: ['index.html'],
      setHeaders: (res, filePath) => {
        res.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler(async (req, reply) => {
    const isApi = req.url.startsWith('/api/') || req.url === '/api';
    if (req.method === 'GET' && !isApi) {
      if (!hasUi) {
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The web UI is not built yet: run `npm run build:web` (npm start does this for you).');
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendError(reply, req, 404, 'route.not_found', 'There is no such endpoint.');
  });
}
