/** The access module: roles and permissions (grants, allow-lists, elevation and risk come with the identity issue). */
export type { BuiltInRole, Permission } from './roles.ts';
export { builtInRoles, permissions, permissionsOf, rolePermissions } from './roles.ts';
