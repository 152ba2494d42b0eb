/**
 * Roles → permissions, in one declarative table (IAM-02). Least privilege: each built-in role gets only what
 * its job needs. `records.reveal` belongs to the top-level admin (`owner`) alone; everyone else gets it only
 * through a two-person grant asked and approved by two owners (IAM-08). Privileged permissions are dormant
 * until the holder elevates for a window (IAM-09).
 */
export const permissions = [
  'audit.read',
  'audit.export',
  'users.read',
  'users.create',
  'users.approve',
  'users.manage',
  'roles.manage',
  'grants.request',
  'grants.approve',
  'service_tokens.manage',
  'settings.manage',
  'keys.manage',
  'owners.read',
  'owners.manage',
  'records.search',
  'records.write',
  'records.delete',
  'records.reveal',
  'canaries.manage',
  'alerts.read',
  'alerts.manage',
  'detection.manage',
  'lockdown.manage',
  'incidents.read',
  'incidents.manage',
  'privacy.read',
  'privacy.manage',
  'governance.read',
  'governance.manage',
] as const;

export type Permission = (typeof permissions)[number];

export const builtInRoles = [
  'owner',
  'admin',
  'security_analyst',
  'privacy_officer',
  'compliance_officer',
  'analyst',
  'auditor',
] as const;

export type BuiltInRole = (typeof builtInRoles)[number];

/** Dormant until the session is elevated (JIT, IAM-09): user admin, grants, settings, keys, tokens, roles. */
export const privilegedPermissions: ReadonlySet<Permission> = new Set<Permission>([
  'users.create',
  'users.approve',
  'users.manage',
  'roles.manage',
  'grants.request',
  'grants.approve',
  'service_tokens.manage',
  'settings.manage',
  'keys.manage',
]);

/** Permissions that can be given to a person by a two-person grant (IAM-08). */
export const grantablePermissions: ReadonlySet<Permission> = new Set<Permission>(['records.reveal']);

export const rolePermissions: Record<BuiltInRole, readonly Permission[]> = {
  owner: permissions,
  admin: [
    'users.read',
    'users.create',
    'users.approve',
    'users.manage',
    'service_tokens.manage',
    'owners.read',
    'owners.manage',
    'audit.read',
    'alerts.read',
    'incidents.read',
    'governance.read',
  ],
  security_analyst: [
    'audit.read',
    'audit.export',
    'alerts.read',
    'alerts.manage',
    'detection.manage',
    'lockdown.manage',
    'canaries.manage',
    'incidents.read',
    'incidents.manage',
    'users.read',
    'owners.read',
  ],
  privacy_officer: [
    'privacy.read',
    'privacy.manage',
    'owners.read',
    'records.search',
    'records.delete',
    'incidents.read',
  ],
  compliance_officer: ['governance.read', 'governance.manage', 'audit.read', 'incidents.read', 'users.read'],
  analyst: ['records.search', 'owners.read'],
  auditor: ['audit.read', 'audit.export', 'governance.read', 'incidents.read', 'users.read'],
};

export const isBuiltInRole = (r: string): r is BuiltInRole => (builtInRoles as readonly string[]).includes(r);

export const isPermission = (p: string): p is Permission => (permissions as readonly string[]).includes(p);

/** Permissions of built-in roles plus custom roles (name → permissions), in catalogue order. */
export function permissionsOf(roles: readonly string[], custom: ReadonlyMap<string, readonly string[]> = new Map()) {
  const out = new Set<string>();
  for (const r of roles) {
    if (isBuiltInRole(r)) for (const p of rolePermissions[r]) out.add(p);
    else for (const p of custom.get(r) ?? []) out.add(p);
  }
  return permissions.filter((p) => out.has(p));
}
