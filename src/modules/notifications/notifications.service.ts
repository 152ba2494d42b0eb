/**
 * Notifications through a transactional outbox (LOG-06 groundwork): `enqueue(tx, …)` commits with the event;
 * `deliverDue()` (a scheduled job) sends what is due, retrying with exponential back-off up to 8 attempts.
 * Rows are claimed with FOR UPDATE SKIP LOCKED so several nodes never send the same notice twice.
 */

import { createHmac } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Mailer } from './mailer.ts';
import { type TemplateName, type TemplateParams, templates } from './templates.ts';

const MAX_ATTEMPTS = 8;
/** How long a claimed notice is held by its sender before another node may retry it. */
const LEASE_MS = 5 * 60_000;

interface OutboxRow {
  template: TemplateName;
  params: unknown;
  channel: 'email' | 'sms' | 'webhook';
  recipient_user: string | null;
  recipient_role: string | null;
  recipient_webhook: string | null;
  attempts: number;
}

export interface Recipients {
  users?: string[];
  roles?: string[];
  /** Channels for people (default email only). SMS goes to each person's active, confirmed number. */
  channels?: readonly ('email' | 'sms')[];
  /** Webhook endpoint ids (detection.webhooks), each delivered once per notice. */
  webhooks?: string[];
}

/** Where SMS texts go: the person's active number, looked up (and unsealed) only at delivery. */
export interface SmsPort {
  phoneOf(q: Queryable, userId: string): Promise<string | null>;
  send(to: string, text: string): Promise<void>;
}

/** A configured webhook endpoint, resolved at delivery (a deleted endpoint resolves to null). */
export interface WebhookPort {
  resolve(q: Queryable, id: string): Promise<{ url: string; secret: Buffer } | null>;
}

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  mailer: Mailer | undefined;
  baseUrl: string;
  sms?: SmsPort;
  webhooks?: WebhookPort;
  /** For tests and development: plain http to a loopback webhook is accepted; https is required otherwise. */
  fetch?: typeof fetch;
}

/** Stripe-style signature: `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`. */
export function signWebhook(secret: Buffer, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

class DeliveryError extends Error {
  code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

export type Notifications = ReturnType<typeof createNotifications>;

export function createNotifications(deps: NotificationsDeps) {
  const { db, clock } = deps;
  const doFetch = deps.fetch ?? fetch;

  async function postWebhook(hook: { url: string; secret: Buffer }, payload: Record<string, unknown>) {
    const url = new URL(hook.url);
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new DeliveryError('insecure_url');
    const body = JSON.stringify({ ...payload, sentAt: clock.now().toISOString() });
    const res = await doFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Strongroom-Webhook/1',
        'strongroom-signature': signWebhook(hook.secret, body, clock.now()),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    }).catch((err: unknown) => {
      throw new DeliveryError((err as { name?: string }).name === 'TimeoutError' ? 'timeout' : 'unreachable');
    });
    await res.body?.cancel();
    if (!res.ok) throw new DeliveryError(`http_${res.status}`);
  }

  return {
    async enqueue<T extends TemplateName>(tx: Tx, template: T, params: TemplateParams<T>, to: Recipients) {
      const parsed = templates[template].params.parse(params);
      const now = clock.now();
      const channels = to.channels ?? ['email'];
      type Row = { channel: string; user: string | null; role: string | null; webhook: string | null };
      const rows: Row[] = channels.flatMap((channel) => [
        ...(to.users ?? []).map((u) => ({ channel, user: u, role: null, webhook: null })),
        ...(to.roles ?? []).map((r) => ({ channel, user: null, role: r, webhook: null })),
      ]);
      for (const w of to.webhooks ?? []) rows.push({ channel: 'webhook', user: null, role: null, webhook: w });
      for (const r of rows) {
        await tx.query(
          `INSERT INTO notifications.outbox (id, template, params, channel, recipient_user, recipient_role,
                                             recipient_webhook, status, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8)`,
          [newId(), template, JSON.stringify(parsed), r.channel, r.user, r.role, r.webhook, now],
        );
      }
    },

    /**
     * Sends every due notice once; returns how many were sent. Each notice is claimed in a short transaction
     * (a 5-minute lease on `next_attempt_at`, so a crashed sender's notice is retried, never lost), sent with
     * no transaction open (no database connection held across SMTP, SMS or HTTP), then marked.
     */
    async deliverDue(limit = 50): Promise<number> {
      let sent = 0;
      const due = await db.query<{ id: string }>(
        `SELECT id FROM notifications.outbox WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at LIMIT $2`,
        [clock.now(), limit],
      );
      for (const { id } of due.rows) {
        const claim = await db.transaction(async (tx) => {
          const { rows } = await tx.query<OutboxRow>(
            `SELECT template, params, channel, recipient_user, recipient_role, recipient_webhook, attempts
               FROM notifications.outbox
              WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $2 FOR UPDATE SKIP LOCKED`,
            [id, clock.now()],
          );
          const n = rows[0];
          if (!n) return null;
          const skip = async (why: string) => {
            await tx.query(`UPDATE notifications.outbox SET status = 'skipped', last_error = $2 WHERE id = $1`, [
              id,
              why,
            ]);
            return null;
          };
          const t = templates[n.template];
          const params = t.params.parse(n.params);
          const message = t.render(params as never, deps.baseUrl);
          let send: () => Promise<void>;
          if (n.channel === 'webhook') {
            const hook = n.recipient_webhook ? await deps.webhooks?.resolve(tx, n.recipient_webhook) : null;
            if (!hook) return skip('no such webhook');
            send = () => postWebhook(hook, { id, type: n.template, subject: message.subject, data: params });
          } else {
            const people = await tx.query<{ id: string; email: string }>(
              `SELECT DISTINCT u.id, u.email FROM identity.users u
                 LEFT JOIN access.role_assignments r ON r.user_id = u.id
                WHERE u.status = 'active' AND (u.id = $1 OR r.role = $2)`,
              [n.recipient_user, n.recipient_role],
            );
            if (!people.rows.length) return skip('no recipients');
            if (n.channel === 'email') {
              const mailer = deps.mailer;
              if (!mailer) return skip('no email channel');
              send = async () => {
                for (const a of people.rows) await mailer.send({ to: a.email, ...message });
              };
            } else {
              const sms = deps.sms;
              if (!sms) return skip('no sms channel');
              const numbers = (await Promise.all(people.rows.map((u) => sms.phoneOf(tx, u.id)))).filter(
                (x): x is string => x !== null,
              );
              if (!numbers.length) return skip('no recipient has a phone');
              const text = `${message.subject}\n${message.short}`;
              send = async () => {
                for (const to of numbers) await sms.send(to, text);
              };
            }
          }
          await tx.query('UPDATE notifications.outbox SET next_attempt_at = $2 WHERE id = $1', [
            id,
            new Date(clock.now().getTime() + LEASE_MS),
          ]);
          return { n, send };
        });
        if (!claim) continue;
        try {
          await claim.send();
          await db.query(
            `UPDATE notifications.outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1`,
            [id, clock.now()],
          );
          sent++;
        } catch (err) {
          const attempts = claim.n.attempts + 1;
          const backoffMs = Math.min(3600_000, 2 ** attempts * 1000);
          // only the error code: SMTP and SMS messages can quote the recipient's address or number
          const code = String((err as { code?: string }).code ?? 'send_failed').slice(0, 80);
          deps.logger.warn({ code, notice: id, channel: claim.n.channel, attempts }, 'notice delivery failed');
          await db.query(
            `UPDATE notifications.outbox SET attempts = $2, status = $3, next_attempt_at = $4, last_error = $5 WHERE id = $1`,
            [
              id,
              attempts,
              attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
              new Date(clock.now().getTime() + backoffMs),
              code,
            ],
          );
        }
      }
      return sent;
    },

    /** Delivery state per channel, for the operations screens (counts only). */
    async stats() {
      const { rows } = await db.query<{ channel: string; status: string; n: string }>(
        'SELECT channel, status, count(*) AS n FROM notifications.outbox GROUP BY channel, status ORDER BY 1, 2',
      );
      return rows.map((r) => ({ channel: r.channel, status: r.status, count: Number(r.n) }));
    },
  };
}
