/** The audit module: the only file other modules import. */
export type { AuditAction } from './audit.catalogue.ts';
export { auditActions, auditCatalogue } from './audit.catalogue.ts';
export { auditRoutes, verifyToJson } from './audit.routes.ts';
export type { AuditEvent, AuditLog, PublishedAuditEntry, VerifyResult } from './audit.service.ts';
export { createAuditLog } from './audit.service.ts';
