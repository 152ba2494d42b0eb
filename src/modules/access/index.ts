/** The access module: roles and permissions, grants, allow-lists. The only file other modules import. */

export { type ActiveGrant, accessSql } from './access.repository.ts';
export { accessRoutes } from './access.routes.ts';
export type { AccessService, EffectiveAccess } from './access.service.ts';
export { createAccessService, isIpAllowedBy, resolveLoaded } from './access.service.ts';
export { defaultAllowedCidrs, ipInCidrs } from './ip.ts';
export type { BuiltInRole, Permission } from './roles.ts';
export { builtInRoles, permissions, permissionsOf, privilegedPermissions, rolePermissions } from './roles.ts';
