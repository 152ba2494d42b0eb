/**
 * Route guards. `guard(permission?)` is a preHandler that resolves the session cookie to a principal
 * (401 otherwise), enforces the CSRF header on state-changing requests made with the cookie (403
 * auth.csrf_invalid), and checks a permission (403 access.denied, audited for detection: LOG-04).
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Principal, RequestContext } from '../actor.ts';
import { AppError } from '../errors.ts';

export const SESSION_COOKIE = '__Host-strongroom_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** An ingestion client authenticated by a service token (Bearer). */
export interface ServiceActor {
  kind: 'service';
  tokenId: string;
  createdBy: string;
  scopes: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    service: ServiceActor | null;
  }
}

export interface AuthPorts {
  authenticate(sessionToken: string, ctx: RequestContext): Promise<Principal>;
  checkCsrf(principal: Principal, header: string | undefined): boolean;
  onCsrfRejected(principal: Principal, ctx: RequestContext): Promise<void>;
  /** `dormant`: the permission is held but not elevated (not an intrusion attempt). */
  onPermissionDenied(principal: Principal, permission: string, ctx: RequestContext, dormant: boolean): Promise<void>;
  onPermissionUsed?(principal: Principal, permission: string): Promise<void>;
  authenticateService?(token: string, scope: string, ctx: RequestContext): Promise<ServiceActor>;
  /**
   * Sees every request a session authenticated (detection: request rate, session context). Returns true when
   * something happened that may have ended the session; the guard then authenticates again.
   */
  observe?(principal: Principal, ctx: RequestContext, userAgent: string): Promise<boolean>;
}

export interface GuardOptions {
  /** Also accept `Authorization: Bearer <service token>` holding this scope (no cookie, no CSRF). */
  serviceScope?: string;
}

export const contextOf = (req: FastifyRequest): RequestContext => ({
  ip: req.ip,
  requestId: String(req.id),
  route: req.routeOptions.url ?? 'unknown',
  ...(req.headers['x-strongroom-background'] === '1' ? { background: true } : {}),
});

export function createGuard(ports: AuthPorts) {
  return function guard(permission?: string, opts: GuardOptions = {}): preHandlerAsyncHookHandler {
    return async (req: FastifyRequest, _reply: FastifyReply) => {
      const authz = req.headers.authorization;
      if (authz !== undefined) {
        const bearer = /^Bearer (\S+)$/.exec(authz)?.[1];
        if (!bearer || !opts.serviceScope || !ports.authenticateService) {
          throw new AppError(
            'unauthenticated',
            'auth.invalid_token',
            'This endpoint does not accept that Authorization.',
          );
        }
        req.service = await ports.authenticateService(bearer, opts.serviceScope, contextOf(req));
        return;
      }
      const token = req.cookies[SESSION_COOKIE];
      if (!token) throw new AppError('unauthenticated', 'auth.unauthenticated', 'Sign in to continue.');
      const ctx = contextOf(req);
      let principal = await ports.authenticate(token, ctx);
      if (ports.observe && (await ports.observe(principal, ctx, req.headers['user-agent'] ?? '')))
        principal = await ports.authenticate(token, ctx);
      req.principal = principal;
      if (!SAFE_METHODS.has(req.method)) {
        const header = req.headers['x-csrf-token'];
        if (!ports.checkCsrf(principal, typeof header === 'string' ? header : undefined)) {
          await ports.onCsrfRejected(principal, ctx);
          throw new AppError(
            'forbidden',
            'auth.csrf_invalid',
            'The X-CSRF-Token header is missing or does not match this session.',
          );
        }
      }
      if (permission && !principal.permissions.includes(permission)) {
        const dormant = principal.dormantPermissions.includes(permission);
        await ports.onPermissionDenied(principal, permission, ctx, dormant);
        if (dormant) {
          throw new AppError(
            'forbidden',
            'access.elevation_required',
            'This is a privileged action: elevate your session (with a reason) and try again.',
            { permission },
          );
        }
        throw new AppError('forbidden', 'access.denied', 'You do not have permission to do this.', { permission });
      }
      if (permission) await ports.onPermissionUsed?.(principal, permission);
    };
  };
}

export type Guard = ReturnType<typeof createGuard>;

/** The user or the service client that the guard let in. */
export function actorOf(req: FastifyRequest): { kind: 'user'; principal: Principal } | ServiceActor {
  if (req.service) return req.service;
  return { kind: 'user', principal: principalOf(req) };
}

/** The principal set by the guard; a route that calls this without a guard is a programming error. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('route has no auth guard');
  return req.principal;
}
