/** The audit module: the only file other modules import. */
export type { AuditAction } from './audit.catalogue.ts';
export { auditActions, auditCatalogue } from './audit.catalogue.ts';
export { auditRoutes, verifyToJson } from './audit.routes.ts';
export type {
  AppendedEntry,
  AuditEvent,
  AuditLog,
  PublishedAuditEntry,
  VerifyResult,
} from './audit.service.ts';
export { auditPrivilegeWarnings, createAuditLog } from './audit.service.ts';
export { type AuditTrail, createAuditTrail } from './audit.trail.ts';
export {
  type BundleResult,
  exportBundle,
  type InclusionProof,
  proveInclusion,
  verifyBundle,
  verifyProof,
} from './bundle.ts';
export { type CheckpointMail, createCheckpointMail } from './checkpoint-mail.ts';
export {
  type Checkpoints,
  createCheckpoints,
  latestCheckpointFile,
  type SignedCheckpoint,
} from './checkpoints.ts';
export { createIntegrator, type Integrator } from './integrator.ts';
export { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './log-verifier.ts';
export { createPseudonymKeys, type PseudonymKeys, staticPseudonymKeys } from './pseudonyms.ts';
export { createRetention, type PruneResult, type Retention, retentionCutoff } from './retention.ts';
export { createSigner, publicKeyFromRaw } from './signer.ts';
