/**
 * Alert webhooks (LOG-06): security tooling (a SIEM, a pager, a chat channel) receives every alert at or above
 * a severity as signed JSON (`Strongroom-Signature: t=…,v1=HMAC-SHA-256(secret, "t.body")`), through the same
 * outbox as email and SMS, with retries. The secret is shown once at creation and stored sealed.
 */
import { randomBytes } from 'node:crypto';
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { open, seal } from '../../platform/crypto/seal.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog } from '../audit/index.ts';
import { type Severity, severities } from './rules.ts';

const aad = (id: string) => `detection.webhook-secret:${id}`;
const urlAad = (id: string) => `detection.webhook-url:${id}`;

/** What the list shows: the origin only, since the path or query often holds the receiver's token. */
export function displayUrl(url: string): string {
  const u = new URL(url);
  return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…`;
}

export function validateWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('validation', 'webhooks.url_invalid', 'The webhook URL is not a valid URL.');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new AppError(
      'validation',
      'webhooks.https_required',
      'A webhook URL must use https:// (plain http is accepted only for a receiver on this machine).',
    );
  if (url.username || url.password)
    throw new AppError('validation', 'webhooks.url_invalid', 'Put no credentials in the webhook URL.');
  return url.toString();
}

export function createWebhooks(deps: { db: Db; clock: Clock; audit: Pick<AuditLog, 'append'>; sealKey: Buffer }) {
  const { db, clock, audit } = deps;
  return {
    async list() {
      const { rows } = await db.query<{
        id: string;
        name: string;
        url: string;
        min_severity: Severity;
        created_by: string;
        created_at: Date;
      }>(
        `SELECT id, name, url, min_severity, created_by, created_at FROM detection.webhooks
          WHERE deleted_at IS NULL ORDER BY created_at`,
      );
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        url: r.url,
        minSeverity: r.min_severity,
        createdBy: r.created_by,
        createdAt: r.created_at.toISOString(),
      }));
    },
    async create(p: Principal, input: { name: string; url: string; minSeverity: Severity }, ctx: RequestContext) {
      const url = validateWebhookUrl(input.url);
      const id = newId();
      const secret = randomBytes(32);
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO detection.webhooks (id, name, url, url_sealed, secret_sealed, min_severity, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            id,
            input.name,
            displayUrl(url),
            seal(deps.sealKey, url, urlAad(id)),
            seal(deps.sealKey, secret, aad(id)),
            input.minSeverity,
            p.userId,
            clock.now(),
          ],
        );
        await audit.append(tx, {
          action: 'detection.webhook.created',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'webhook', id },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { minSeverity: input.minSeverity },
        });
      });
      return { id, secret: secret.toString('base64url') };
    },
    async remove(p: Principal, id: string, ctx: RequestContext) {
      await db.transaction(async (tx) => {
        const res = await tx.query(
          'UPDATE detection.webhooks SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL',
          [id, clock.now()],
        );
        if (!res.rowCount) throw new AppError('not_found', 'webhooks.not_found', 'There is no such webhook.');
        await audit.append(tx, {
          action: 'detection.webhook.deleted',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'webhook', id },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: {},
        });
      });
    },
    /** Webhook ids that want an alert of this severity. */
    async forSeverity(q: Queryable, severity: Severity): Promise<string[]> {
      const ok = severities.slice(0, severities.indexOf(severity) + 1);
      const { rows } = await q.query<{ id: string }>(
        'SELECT id FROM detection.webhooks WHERE deleted_at IS NULL AND min_severity = ANY($1::text[])',
        [ok],
      );
      return rows.map((r) => r.id);
    },
    /** The notifications port: URL and secret of a live webhook. */
    async resolve(q: Queryable, id: string) {
      const { rows } = await q.query<{ url: string; url_sealed: Buffer | null; secret_sealed: Buffer }>(
        'SELECT url, url_sealed, secret_sealed FROM detection.webhooks WHERE id = $1 AND deleted_at IS NULL',
        [id],
      );
      const r = rows[0];
      if (!r) return null;
      const url = r.url_sealed ? open(deps.sealKey, Buffer.from(r.url_sealed), urlAad(id)).toString('utf8') : r.url;
      return { url, secret: open(deps.sealKey, Buffer.from(r.secret_sealed), aad(id)) };
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
