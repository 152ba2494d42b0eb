/**
 * Roles → permissions, in one declarative table (IAM-02). Least privilege: each built-in role gets only what
 * its job needs. `records.reveal` is deliberately in no role: it exists only as a two-person grant (IAM-08).
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

const all = permissions.filter((p) => p !== 'records.reveal');

export const rolePermissions: Record<BuiltInRole, readonly Permission[]> = {
  owner: all,
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

export function permissionsOf(roles: readonly string[]): Permission[] {
  const out = new Set<Permission>();
  for (const r of roles) if (isBuiltInRole(r)) for (const p of rolePermissions[r]) out.add(p);
  return permissions.filter((p) => out.has(p));
}
