/** Who is acting on a request, established by authentication and read by authorisation and audit. */
export interface Principal {
  kind: 'user';
  userId: string;
  sessionId: string;
  roles: readonly string[];
  /** Usable now. */
  permissions: readonly string[];
  /** Held but dormant until the session elevates (IAM-09). */
  dormantPermissions: readonly string[];
  /** Active two-person grants (IAM-08), e.g. records.reveal scoped to data owners. */
  grants: readonly { id: string; permission: string; ownerIds: string[] | null; expiresAt: string | null }[];
  mfaAt: Date;
  elevatedUntil: Date | null;
  csrfToken: string;
  sessionExpiresAt: Date;
  sessionIdleExpiresAt: Date;
}

/** Network context of a request: the client IP after trusted-proxy resolution, and the request id. */
export interface RequestContext {
  ip: string;
  requestId: string;
  route: string;
  /**
   * Sent by the web UI's own polling (`X-Strongroom-Background: 1`): the request is served as usual but does not
   * count as activity, so an unattended tab still reaches its idle timeout (IAM-06 sessions).
   */
  background?: boolean;
}
