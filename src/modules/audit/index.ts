/** The audit module: the only file other modules import. */
export type { AuditAction } from './audit.catalogue.ts';
export { auditActions, auditCatalogue } from './audit.catalogue.ts';
export { auditRoutes, verifyToJson } from './audit.routes.ts';
export type { AuditEvent, AuditLog, PublishedAuditEntry, VerifyResult } from './audit.service.ts';
export { auditPrivilegeWarnings, createAuditLog } from './audit.service.ts';
export { exportBundle, type InclusionProof, proveInclusion, verifyBundle, verifyProof } from './bundle.ts';
export { type Checkpoints, createCheckpoints } from './checkpoints.ts';
export { createSigner } from './signer.ts';
