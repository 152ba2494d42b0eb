/**
 * Notifications through a transactional outbox (LOG-06 groundwork): `enqueue(tx, …)` commits with the event;
 * `deliverDue()` (a scheduled job) sends what is due, retrying with exponential back-off up to 8 attempts.
 * Rows are claimed with FOR UPDATE SKIP LOCKED so several nodes never send the same notice twice.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from './mailer.ts';
import { type TemplateName, type TemplateParams, templates } from './templates.ts';

const MAX_ATTEMPTS = 8;

export interface Recipients {
  users?: string[];
  roles?: string[];
}

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  mailer: Mailer | undefined;
  baseUrl: string;
}

export type Notifications = ReturnType<typeof createNotifications>;

export function createNotifications(deps: NotificationsDeps) {
  const { db, clock } = deps;
  return {
    async enqueue<T extends TemplateName>(tx: Tx, template: T, params: TemplateParams<T>, to: Recipients) {
      const parsed = templates[template].params.parse(params);
      const now = clock.now();
      const rows = [
        ...(to.users ?? []).map((u) => ({ user: u, role: null })),
        ...(to.roles ?? []).map((r) => ({ user: null, role: r })),
      ];
      for (const r of rows) {
        await tx.query(
          `INSERT INTO notifications.outbox (id, template, params, channel, recipient_user, recipient_role, status,
                                             next_attempt_at, created_at)
           VALUES ($1, $2, $3, 'email', $4, $5, 'pending', $6, $6)`,
          [newId(), template, JSON.stringify(parsed), r.user, r.role, now],
        );
      }
    },

    /** Sends every due notice once; returns how many were sent. */
    async deliverDue(limit = 50): Promise<number> {
      let sent = 0;
      const due = await db.query<{ id: string }>(
        `SELECT id FROM notifications.outbox WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at LIMIT $2`,
        [clock.now(), limit],
      );
      for (const { id } of due.rows) {
        await db.transaction(async (tx) => {
          const { rows } = await tx.query<{
            template: TemplateName;
            params: unknown;
            recipient_user: string | null;
            recipient_role: string | null;
            attempts: number;
          }>(
            `SELECT template, params, recipient_user, recipient_role, attempts FROM notifications.outbox
              WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED`,
            [id],
          );
          const n = rows[0];
          if (!n) return;
          if (!deps.mailer) {
            await tx.query(
              `UPDATE notifications.outbox SET status = 'skipped', last_error = 'no email channel' WHERE id = $1`,
              [id],
            );
            return;
          }
          const addresses = await tx.query<{ email: string }>(
            `SELECT DISTINCT u.email FROM identity.users u
               LEFT JOIN access.role_assignments r ON r.user_id = u.id
              WHERE u.status = 'active' AND (u.id = $1 OR r.role = $2)`,
            [n.recipient_user, n.recipient_role],
          );
          if (!addresses.rows.length) {
            await tx.query(
              `UPDATE notifications.outbox SET status = 'skipped', last_error = 'no recipients' WHERE id = $1`,
              [id],
            );
            return;
          }
          const t = templates[n.template];
          const message = t.render(t.params.parse(n.params) as never, deps.baseUrl);
          try {
            for (const a of addresses.rows) await deps.mailer.send({ to: a.email, ...message });
            await tx.query(
              `UPDATE notifications.outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1`,
              [id, clock.now()],
            );
            sent++;
          } catch (err) {
            const attempts = n.attempts + 1;
            const backoffMs = Math.min(3600_000, 2 ** attempts * 1000);
            // only the error code: SMTP messages can quote the recipient's address
            deps.logger.warn({ code: (err as { code?: string }).code, notice: id, attempts }, 'notice delivery failed');
            await tx.query(
              `UPDATE notifications.outbox SET attempts = $2, status = $3, next_attempt_at = $4, last_error = $5 WHERE id = $1`,
              [
                id,
                attempts,
                attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
                new Date(clock.now().getTime() + backoffMs),
                (err as { code?: string }).code ?? 'send_failed',
              ],
            );
          }
        });
      }
      return sent;
    },
  };
}
