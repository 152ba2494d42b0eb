/**
 * The audit module wired up, for the composition root: the log (append, integrator, verify), IP pseudonym keys,
 * signed checkpoints (database, files, auditor mail), retention and the jobs that keep them going.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/db.ts';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from '../notifications/index.ts';
import { type AuditLog, createAuditLog, type PublishedAuditEntry } from './audit.service.ts';
import { createCheckpointMail } from './checkpoint-mail.ts';
import { createCheckpoints, latestCheckpointFile } from './checkpoints.ts';
import { createPseudonymKeys } from './pseudonyms.ts';
import { createRetention } from './retention.ts';
import { createSigner } from './signer.ts';

export interface AuditTrailDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: EventBus<PublishedAuditEntry>;
  /** Platform purpose keys: the checkpoint signing seed and the root the pseudonym keys are sealed under. */
  signingSeed: Buffer;
  pseudonymWrapRoot: Buffer;
  /** `<data-dir>/checkpoints`: where each checkpoint is also written. */
  checkpointDir: string | undefined;
  /** A private directory for exports on their way to a client. */
  exportDir?: string | undefined;
  retentionDays: number;
  checkpointEmail: string | undefined;
  /** Resolved at delivery (the mailer may be created after the audit log). */
  mailer: () => Mailer | undefined;
  baseUrl: string;
}

export async function createAuditTrail(deps: AuditTrailDeps) {
  const { db, clock, logger } = deps;
  const signer = createSigner(deps.signingSeed);
  let log: AuditLog | undefined;
  const pseudonyms = createPseudonymKeys({
    db,
    clock,
    logger,
    wrapRoot: deps.pseudonymWrapRoot,
    onCreated: (tx, epoch) =>
      (log as AuditLog)
        .append(tx, {
          action: 'audit.pseudonym_key.created',
          outcome: 'success',
          actor: { type: 'system' },
          details: { epoch },
        })
        .then(() => undefined),
  });
  const audit = createAuditLog({
    db,
    clock,
    bus: deps.bus,
    logger,
    pseudonyms,
    verifyKeys: new Map([[signer.keyId, Buffer.from(signer.publicKey, 'base64')]]),
    trustedCheckpoint: () => latestCheckpointFile(deps.checkpointDir),
  });
  log = audit;
  // whatever a stopped node left pending is sequenced now; then the keys of this epoch and the next are ready
  await audit.integrate();
  await pseudonyms.ensure();
  const mail = createCheckpointMail({
    db,
    clock,
    mailer: undefined,
    address: deps.checkpointEmail,
    publicKey: signer.publicKey,
    baseUrl: deps.baseUrl,
    logger,
    resolveMailer: deps.mailer,
  });
  const checkpoints = createCheckpoints({
    db,
    clock,
    signer,
    dir: deps.checkpointDir,
    integrate: () => audit.integrate(),
    onCut: (tx, c) => mail.enqueue(tx, c.body.treeSize),
  });
  const retention = createRetention({
    db,
    clock,
    signer,
    audit,
    retentionDays: deps.retentionDays,
    pruneFiles: (size) => checkpoints.pruneFiles(size),
    logger,
  });
  Object.assign(audit.extras, { checkpoints, retention, checkpointMail: mail, exportDir: deps.exportDir });
  // Housekeeping that moves by hours, not seconds: the next epoch's pseudonym key, and retention (whole days).
  let lastHousekeeping = Number.NEGATIVE_INFINITY;
  const housekeeping = async () => {
    const now = clock.now().getTime();
    if (now - lastHousekeeping < 3600_000) return;
    lastHousekeeping = now;
    await pseudonyms.ensure();
    await retention.prune();
  };
  /**
   * One scheduled job for the whole module: the platform scheduler keeps a pooled connection per running job, so
   * the module takes one slot, not five. Each run integrates what is pending (a safety net: every commit asks for
   * its own integration; this picks up what a stopped node left), cuts a checkpoint, mails due checkpoints, and
   * hourly runs the housekeeping above.
   */
  const job = async () => {
    await checkpoints.cut();
    await mail.deliverDue();
    await housekeeping();
  };
  return {
    audit,
    checkpoints,
    retention,
    checkpointMail: mail,
    pseudonyms,
    signer,
    /** The module's scheduled job (runs on one node at a time). */
    jobs: (checkpointSeconds: number) => [{ name: 'audit.checkpoint', intervalMs: checkpointSeconds * 1000, run: job }],
  };
}

export type AuditTrail = Awaited<ReturnType<typeof createAuditTrail>>;
