/**
 * Signed checkpoints mailed to an outside auditor (LOG-02). Each checkpoint gets a notice row in the transaction
 * that stores it (an outbox: no checkpoint without its notice, no notice without its checkpoint); delivery runs
 * after commit from a job, with FOR UPDATE SKIP LOCKED so several nodes never send one twice, and exponential
 * back-off up to 8 attempts. The auditor's address is configuration (STRONGROOM_AUDIT_CHECKPOINT_EMAIL), read at
 * delivery, never stored. The mail carries the checkpoint as JSON (save it and pass it to
 * `strongroom audit verify --bundle FILE --checkpoint CP.json`) and its fingerprint, for a comparison by eye or by
 * phone with what the server shows.
 *
 * It uses the notifications module's mailer. The notifications outbox itself addresses only accounts and roles
 * (it resolves them at delivery so no address is ever copied into a table); an outside auditor is neither, hence
 * this small outbox of the audit module's own, with the same delivery rules.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from '../notifications/index.ts';
import { type CheckpointRow, type SignedCheckpoint, signedOf } from './checkpoints.ts';

const MAX_ATTEMPTS = 8;

export function renderCheckpointMail(c: SignedCheckpoint, baseUrl: string) {
  return {
    subject: `Strongroom audit checkpoint: ${c.body.treeSize} entries, ${c.fingerprint.slice(0, 14)}`,
    text: [
      'A new signed checkpoint of the Strongroom audit log.',
      '',
      `  Entries (tree size): ${c.body.treeSize}`,
      `  Merkle root:         ${c.body.rootHash}`,
      `  Head entry hash:     ${c.body.headHash}`,
      `  Signed at:           ${c.body.at}`,
      `  Key id:              ${c.body.keyId}`,
      `  Fingerprint:         ${c.fingerprint}`,
      '',
      'Keep this message: it is evidence held outside the server. To check an exported bundle against it, save the',
      'JSON below as checkpoint.json and run',
      '',
      '  strongroom audit verify --bundle audit-bundle.ndjson --checkpoint checkpoint.json',
      '',
      `The same checkpoint is shown on ${baseUrl}/audit.`,
      '',
      '-----BEGIN STRONGROOM CHECKPOINT-----',
      JSON.stringify({ body: c.body, signature: c.signature, publicKey: c.publicKey }, null, 2),
      '-----END STRONGROOM CHECKPOINT-----',
    ].join('\n'),
  };
}

export function createCheckpointMail(deps: {
  db: Db;
  clock: Clock;
  mailer: Mailer | undefined;
  /** Or a mailer looked up at delivery (the composition root may create it later). */
  resolveMailer?: () => Mailer | undefined;
  /** The auditor's address; without it nothing is enqueued. */
  address: string | undefined;
  publicKey: string;
  baseUrl: string;
  logger?: Logger | undefined;
}) {
  const { db, clock } = deps;
  return {
    enabled: Boolean(deps.address),

    /** Inside the transaction that stores the checkpoint. */
    async enqueue(tx: Queryable, treeSize: number): Promise<void> {
      if (!deps.address) return;
      const now = clock.now();
      await tx.query(
        `INSERT INTO audit.checkpoint_notices (tree_size, status, next_attempt_at, created_at)
         VALUES ($1, 'pending', $2, $2) ON CONFLICT (tree_size) DO NOTHING`,
        [treeSize, now],
      );
    },

    /** Sends every due notice once; returns how many were sent. */
    async deliverDue(limit = 20): Promise<number> {
      if (!deps.address) return 0;
      let sent = 0;
      const due = await db.query<{ tree_size: string }>(
        `SELECT tree_size FROM audit.checkpoint_notices WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY tree_size LIMIT $2`,
        [clock.now(), limit],
      );
      for (const { tree_size } of due.rows) {
        await db.transaction(async (tx) => {
          const { rows } = await tx.query<{ attempts: number }>(
            `SELECT attempts FROM audit.checkpoint_notices WHERE tree_size = $1 AND status = 'pending'
               FOR UPDATE SKIP LOCKED`,
            [tree_size],
          );
          const n = rows[0];
          if (!n) return;
          const cp = (
            await tx.query<CheckpointRow>('SELECT * FROM audit.checkpoints WHERE tree_size = $1', [tree_size])
          ).rows[0];
          const mailer = deps.mailer ?? deps.resolveMailer?.();
          if (!cp || !mailer) {
            await tx.query(
              `UPDATE audit.checkpoint_notices SET status = 'failed', last_error = $2 WHERE tree_size = $1`,
              [tree_size, cp ? 'no email channel' : 'checkpoint pruned'],
            );
            return;
          }
          try {
            const message = renderCheckpointMail(signedOf(cp, deps.publicKey), deps.baseUrl);
            await mailer.send({ to: deps.address as string, ...message });
            await tx.query(
              `UPDATE audit.checkpoint_notices SET status = 'sent', sent_at = $2, attempts = attempts + 1
                WHERE tree_size = $1`,
              [tree_size, clock.now()],
            );
            sent++;
          } catch (err) {
            const attempts = n.attempts + 1;
            const backoffMs = Math.min(3600_000, 2 ** attempts * 1000);
            // only the error code: an SMTP message can quote the recipient's address
            const code = String((err as { code?: string }).code ?? 'send_failed').slice(0, 80);
            deps.logger?.warn({ code, treeSize: tree_size, attempts }, 'checkpoint mail delivery failed');
            await tx.query(
              `UPDATE audit.checkpoint_notices SET attempts = $2, status = $3, next_attempt_at = $4, last_error = $5
                WHERE tree_size = $1`,
              [
                tree_size,
                attempts,
                attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
                new Date(clock.now().getTime() + backoffMs),
                code,
              ],
            );
          }
        });
      }
      return sent;
    },
  };
}

export type CheckpointMail = ReturnType<typeof createCheckpointMail>;
