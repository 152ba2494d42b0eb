/**
 * SMS delivery for one-time codes (IAM-03). Design note: SMS is a "restricted" authenticator under NIST
 * SP 800-63B §5.1.3.3 (SIM swap, interception), offered beside TOTP and passkeys, never instead of them.
 * Phone numbers and message texts are personal data (DAT-05): adapters never log either, and errors name a
 * cause category only. The development adapter keeps messages sealed in the database (AES-256-GCM, AAD bound
 * to the row id), readable only through `listDevOutbox` (an admin function), never on the console.
 */
import type { Clock } from '../../../platform/clock.ts';
import { systemClock } from '../../../platform/clock.ts';
import { open, seal } from '../../../platform/crypto/seal.ts';
import type { Queryable } from '../../../platform/db/db.ts';
import { newId } from '../../../platform/ids.ts';
import { smsDeliveryFailed } from './mfa.errors.ts';
import * as repo from './sms.repository.ts';

export interface SmsSender {
  /** Resolves once the provider accepted the message; rejects with `mfa.sms_delivery_failed` otherwise. */
  send(to: string, text: string): Promise<void>;
}

export interface HttpSmsSenderOptions {
  /** The provider's endpoint. HTTPS is required, except on a loopback host (a relay on the same machine). */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Sender id or number, passed to the provider as `from`. */
  from: string;
  timeoutMs?: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** POSTs `{ from, to, text }` as JSON. Any non-2xx answer, network error or timeout is an error. */
export function createHttpSmsSender(opts: HttpSmsSenderOptions): SmsSender {
  const url = new URL(opts.url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    // A plain-HTTP provider would expose the bearer token, the number and the code on the network (NET-01).
    throw new Error('the SMS provider URL must use https://');
  }
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    async send(to, text) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ from: opts.from, to, text }),
          // A redirect could carry the message somewhere unintended; the provider's URL is configured exactly.
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        // The original error is dropped on purpose: causes can quote request details.
        const name = (err as { name?: string } | null)?.name;
        throw smsDeliveryFailed(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
      }
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status > 299) throw smsDeliveryFailed('rejected');
    },
  };
}

const outboxAad = (id: string, field: 'to' | 'text') => `identity.sms_dev_outbox:${id}:${field}`;

/** Development sender: stores each message sealed in `identity.sms_dev_outbox` instead of sending it. */
export function createDevOutboxSmsSender(db: Queryable, sealKey: Buffer, clock: Clock = systemClock): SmsSender {
  return {
    async send(to, text) {
      const id = newId();
      await repo.insertDevOutbox(db, {
        id,
        at: clock.now(),
        toSealed: seal(sealKey, to, outboxAad(id, 'to')),
        textSealed: seal(sealKey, text, outboxAad(id, 'text')),
      });
    },
  };
}

export interface DevOutboxMessage {
  id: string;
  createdAt: Date;
  to: string;
  text: string;
}

/** Newest first, at most `limit` (1–100). For an admin screen in development installations only. */
export async function listDevOutbox(db: Queryable, sealKey: Buffer, limit: number): Promise<DevOutboxMessage[]> {
  const rows = await repo.listDevOutbox(db, Math.min(100, Math.max(1, Math.trunc(limit) || 1)));
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    to: open(sealKey, r.to_sealed, outboxAad(r.id, 'to')).toString('utf8'),
    text: open(sealKey, r.text_sealed, outboxAad(r.id, 'text')).toString('utf8'),
  }));
}
