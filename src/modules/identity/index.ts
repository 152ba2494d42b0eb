/** The identity module: the only file other modules import. */
export { identityRoutes } from './identity.routes.ts';
export type { IdentityService } from './identity.service.ts';
export { createIdentityService } from './identity.service.ts';
export { defaultPasswordPolicy, passwordProblems } from './passwords.ts';
export type { ServicePrincipal } from './service-tokens.service.ts';
export { totpCode } from './totp.ts';
export type { Operator } from './users.service.ts';
