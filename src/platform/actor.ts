/** Who is acting on a request, established by authentication and read by authorisation and audit. */
export interface Principal {
  kind: 'user';
  userId: string;
  sessionId: string;
  roles: readonly string[];
  permissions: readonly string[];
  mfaAt: Date;
  csrfToken: string;
  sessionExpiresAt: Date;
  sessionIdleExpiresAt: Date;
}

/** Network context of a request: the client IP after trusted-proxy resolution, and the request id. */
export interface RequestContext {
  ip: string;
  requestId: string;
  route: string;
}
