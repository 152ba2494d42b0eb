/**
 * The vault's use cases: data owners (DAT-09), ingest of one record (DAT-06: encrypted before the first write),
 * masked search (DAT-03, DAT-04: ≤ 25 masked results, never a total, never plaintext), one-record reveal with
 * purpose, step-up, allow-listed IP, quotas and audit in the same transaction (DAT-04, IAM-13, LOG-01),
 * canaries (LOG-04) and crypto-shredding (DAT-07 groundwork). Bulk ingest and key rotation live beside this.
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { open, seal } from '../../platform/crypto/seal.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { ServiceActor } from '../../platform/http/auth.ts';
import { newId } from '../../platform/ids.ts';
import { type AccessService, accessSql, isIpAllowedBy } from '../access/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { fakeRecordFields } from './canary-data.ts';
import { builtInFields, type FieldSpec, normaliseField, queryTerms } from './field-catalogue.ts';
import { maskField } from './masking.ts';
import type { RecordCrypto } from './record-crypto.ts';
import * as errors from './vault.errors.ts';
import * as repo from './vault.repository.ts';

export type VaultActor = { kind: 'user'; principal: Principal } | ServiceActor | { kind: 'host_operator' };

export interface RevealQuotas {
  perMinute: number;
  perHour: number;
  perDay: number;
  distinctPerWeek: number;
}

export interface VaultDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append'>;
  access: Pick<AccessService, 'isIpAllowed'>;
  crypto: RecordCrypto;
  sealKey: Buffer;
  quotas: RevealQuotas;
  stepUpMaxAgeSeconds: number;
  /** Lock-down (INC-03) in force for this person (incident responders are exempt). */
  isLockedDown(q: Queryable, p: Principal): Promise<boolean>;
  /** IAM-05/LOG-05 response to a canary reveal: lock the account now (same transaction). */
  onCanaryTouched(tx: Tx, userId: string, ctx: RequestContext): Promise<void>;
  /**
   * IAM-14: the risk engine's verdict on this reveal (one features query); `record` stores it in the reveal's
   * transaction. A refusal is audited here and thrown.
   */
  assessRevealRisk?(
    p: Principal,
    r: { ownerId: string; purpose: string },
    ctx: RequestContext,
  ): Promise<{ refusal?: { reason: 'risk' | 'step_up'; error: Error }; record(tx: Tx): Promise<void> }>;
}

export const SEARCH_LIMIT = 25;
const fieldSpecs = new Map<string, FieldSpec>(builtInFields.map((f) => [f.name, f]));

export function auditActorOf(a: VaultActor) {
  if (a.kind === 'user') return { type: 'user' as const, id: a.principal.userId };
  if (a.kind === 'service') return { type: 'service' as const, id: a.tokenId };
  return { type: 'host_operator' as const };
}

/** Validates and normalises every field; the first problem names the field, never its value. */
export function normaliseRecordFields(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(fields)) {
    if (raw === undefined || raw === null || raw === '') continue;
    const spec = fieldSpecs.get(name);
    if (!spec) throw errors.unknownField(name);
    const r = normaliseField(spec, raw);
    if (!r.ok) throw errors.fieldInvalid(name, r.code, r.message);
    out[name] = r.value;
  }
  if (!Object.keys(out).length) throw errors.noFields();
  return out;
}

export function createVaultService(deps: VaultDeps) {
  const { db, clock, audit, crypto } = deps;
  const base = (ctx: RequestContext) => ({ ip: ctx.ip, requestId: ctx.requestId });

  /** Inserts one sealed record in `tx`; idempotent by (owner, externalRef). */
  async function insertRecord(
    tx: Tx,
    actor: VaultActor,
    input: { ownerId: string; externalRef?: string | undefined; values: Record<string, string> },
    opts: { isCanary?: boolean; ingestId?: string | null } = {},
  ): Promise<{ id: string; created: boolean }> {
    const refIdx = input.externalRef ? crypto.externalRefIndex(input.ownerId, input.externalRef) : null;
    if (refIdx) {
      const existing = await repo.findRecordByRef(tx, input.ownerId, refIdx);
      if (existing) return { id: existing, created: false };
    }
    const id = newId();
    await repo.insertRecord(tx, {
      id,
      ownerId: input.ownerId,
      refIdx,
      sealed: crypto.seal(id, fieldSpecs, input.values),
      isCanary: opts.isCanary ?? false,
      at: clock.now(),
      byUser: actor.kind === 'user' ? actor.principal.userId : null,
      byToken: actor.kind === 'service' ? actor.tokenId : null,
      ingestId: opts.ingestId ?? null,
    });
    return { id, created: true };
  }

  async function decryptRecords(q: Queryable, ids: string[]) {
    const rows = await repo.loadRecords(q, ids);
    const fields = repo.fieldsOf(rows);
    return rows.map((r) => ({
      row: r,
      values: crypto.open(
        r.id,
        r,
        fields.filter((f) => f.record_id === r.id),
      ),
    }));
  }

  async function refuse(p: Principal, recordId: string, reason: string, ctx: RequestContext, window?: string) {
    await db.transaction((tx) =>
      audit.append(tx, {
        action: 'vault.reveal.refused',
        outcome: 'denied',
        actor: { type: 'user', id: p.userId },
        target: { type: 'record', id: recordId },
        ...base(ctx),
        details: { reason: reason as never, window: (window ?? null) as never },
      }),
    );
  }

  return {
    fieldSpecs,
    insertRecord,

    async createOwner(p: Principal, input: { name: string; contactEmails: string[] }, ctx: RequestContext) {
      const id = newId();
      await db.transaction(async (tx) => {
        await repo.insertOwner(tx, {
          id,
          name: input.name,
          emailsSealed: seal(deps.sealKey, JSON.stringify(input.contactEmails), `vault.owner:${id}`),
          createdBy: p.userId,
          at: clock.now(),
        });
        await audit.append(tx, {
          action: 'vault.owner.created',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'owner', id },
          ...base(ctx),
          details: {},
        });
      });
      return { id };
    },

    async listOwners() {
      return (await repo.listOwners(db)).map((o) => ({
        id: o.id,
        name: o.name,
        contactEmails: JSON.parse(open(deps.sealKey, o.contact_emails_sealed, `vault.owner:${o.id}`).toString('utf8')),
        records: Number(o.records),
        createdAt: o.created_at.toISOString(),
      }));
    },

    async createRecord(
      actor: VaultActor,
      input: { ownerId: string; externalRef?: string | undefined; fields: Record<string, unknown> },
      ctx: RequestContext,
    ) {
      const values = normaliseRecordFields(input.fields);
      if (!(await repo.ownerExists(db, input.ownerId))) throw errors.ownerNotFound();
      return db.transaction(async (tx) => {
        const out = await insertRecord(tx, actor, { ...input, values });
        if (out.created) {
          await audit.append(tx, {
            action: 'vault.record.created',
            outcome: 'success',
            actor: auditActorOf(actor),
            target: { type: 'record', id: out.id },
            ...base(ctx),
            details: { ownerId: input.ownerId, fields: Object.keys(values).length, via: 'api' },
          });
        }
        return out;
      });
    },

    /** Masked search over blind indexes: at most 25, newest first, no totals (DAT-03, DAT-04). */
    async search(
      p: Principal,
      query: {
        email?: string | undefined;
        phone?: string | undefined;
        q?: string | undefined;
        externalRef?: string | undefined;
        ownerId?: string | undefined;
      },
      ctx: RequestContext,
    ) {
      const versions = [...new Set(deps.crypto.versionsInUse())];
      const groups: Buffer[][] = [];
      const criteria: ('email' | 'phone' | 'q' | 'externalRef')[] = [];
      if (query.email !== undefined) {
        const terms = queryTerms('email', query.email);
        if (!terms.length) throw errors.queryTooBroad();
        groups.push(crypto.queryIndexes('email', terms, versions));
        criteria.push('email');
      }
      if (query.phone !== undefined) {
        const terms = queryTerms('phone', query.phone);
        if (!terms.length) throw errors.queryTooBroad();
        groups.push(crypto.queryIndexes('phone', terms, versions));
        criteria.push('phone');
      }
      if (query.q !== undefined) {
        const terms = queryTerms('q', query.q);
        if (!terms.length || !terms.some((t) => t.length >= 3)) throw errors.queryTooBroad();
        for (const t of terms) {
          // a name word may be in the full name or the company: either field's index matches
          groups.push(['fullName', 'company'].flatMap((field) => crypto.queryIndexes(field, [t], versions)));
        }
        criteria.push('q');
      }
      let refIds: string[] | undefined;
      if (query.externalRef !== undefined) {
        if (!query.ownerId) throw errors.queryTooBroad();
        const id = await repo.findRecordByRef(
          db,
          query.ownerId,
          crypto.externalRefIndex(query.ownerId, query.externalRef),
        );
        refIds = id ? [id] : [];
        criteria.push('externalRef');
      }
      if (!criteria.length) throw errors.queryMissing();
      const owners = query.ownerId ? [query.ownerId] : null;
      let ids = groups.length ? await repo.searchByIndexes(db, groups, SEARCH_LIMIT, owners) : (refIds ?? []);
      if (refIds && groups.length) ids = ids.filter((i) => refIds.includes(i));
      const records = await decryptRecords(db, ids);
      const byId = new Map(records.map((r) => [r.row.id, r]));
      const items = ids.flatMap((id) => {
        const r = byId.get(id);
        if (!r) return [];
        const masked: Record<string, string> = {};
        for (const [name, value] of Object.entries(r.values)) {
          const spec = fieldSpecs.get(name);
          if (spec) masked[name] = maskField(spec, value);
        }
        return [{ id, ownerId: r.row.owner_id, masked }];
      });
      await db.transaction(async (tx) => {
        await audit.append(tx, {
          action: 'vault.record.searched',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          ...base(ctx),
          details: { criteria, returned: items.length },
        });
        for (const r of records.filter((x) => x.row.is_canary)) {
          await audit.append(tx, {
            action: 'vault.canary.hit',
            outcome: 'success',
            actor: { type: 'user', id: p.userId },
            target: { type: 'record', id: r.row.id },
            ...base(ctx),
            details: { kind: 'search' },
          });
        }
      });
      return { items };
    },

    /**
     * One record in clear (DAT-04). Order of checks: lock-down, allow-listed IP, recent second factor, the
     * record and the grant's owner scope (not found either way), quotas; then the audit entry commits with the
     * reveal row, and only after that is anything decrypted.
     */
    async reveal(
      p: Principal,
      recordId: string,
      input: { purpose: string; justification: string },
      ctx: RequestContext,
    ) {
      if (await deps.isLockedDown(db, p)) {
        await refuse(p, recordId, 'lockdown', ctx);
        throw errors.lockedDown();
      }
      const now = clock.now();
      // one round trip reads what the checks below need: allow-list entries, the record, the quota counts
      const found = await repo.loadRevealContext(db, {
        recordId,
        userId: p.userId,
        now,
        allowlistSql: accessSql.allowlist,
      });
      if (!isIpAllowedBy(found.allowlist, ctx.ip)) {
        await refuse(p, recordId, 'ip', ctx);
        throw errors.ipNotAllowed();
      }
      if (now.getTime() - p.mfaAt.getTime() > deps.stepUpMaxAgeSeconds * 1000) {
        await refuse(p, recordId, 'step_up', ctx);
        throw errors.stepUpRequired();
      }
      const row = found.record;
      const scoped = p.roles.includes('owner')
        ? null
        : p.grants.filter((g) => g.permission === 'records.reveal').some((g) => g.ownerIds === null)
          ? null
          : p.grants.flatMap((g) => (g.permission === 'records.reveal' ? (g.ownerIds ?? []) : []));
      if (!row || (scoped && !scoped.includes(row.owner_id))) {
        await refuse(p, recordId, row ? 'scope' : 'not_found', ctx);
        throw errors.recordNotFound();
      }
      const counts = found.counts;
      const q = deps.quotas;
      const over =
        counts.minute >= q.perMinute
          ? (['minute', q.perMinute] as const)
          : counts.hour >= q.perHour
            ? (['hour', q.perHour] as const)
            : counts.day >= q.perDay
              ? (['day', q.perDay] as const)
              : counts.weekDistinct >= q.distinctPerWeek && !found.revealedThisWeek
                ? (['week', q.distinctPerWeek] as const)
                : undefined;
      if (over) {
        await refuse(p, recordId, 'quota', ctx, over[0]);
        throw errors.quotaExceeded(over[0], over[1]);
      }
      const risk = await deps.assessRevealRisk?.(p, { ownerId: row.owner_id, purpose: input.purpose }, ctx);
      if (risk?.refusal) {
        await refuse(p, recordId, risk.refusal.reason, ctx);
        throw risk.refusal.error;
      }
      const revealId = newId();
      const live = await db.transaction(async (tx) => {
        const recorded = await repo.insertReveal(tx, {
          id: revealId,
          recordId,
          userId: p.userId,
          at: now,
          purpose: input.purpose,
          justificationSealed: seal(deps.sealKey, input.justification, `vault.reveal:${revealId}`),
        });
        if (!recorded) return false;
        await audit.append(tx, {
          action: 'vault.record.revealed',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'record', id: recordId },
          ...base(ctx),
          details: { purpose: input.purpose as never, ownerId: row.owner_id, revealId },
        });
        await risk?.record(tx);
        if (row.is_canary) {
          await audit.append(tx, {
            action: 'vault.canary.touched',
            outcome: 'success',
            actor: { type: 'user', id: p.userId },
            target: { type: 'record', id: recordId },
            ...base(ctx),
            details: { kind: 'reveal' },
          });
          await deps.onCanaryTouched(tx, p.userId, ctx);
        }
        return true;
      });
      if (!live) throw errors.recordNotFound();
      // the row read before the transaction is the one the reveal was recorded for; decrypt it now
      const fields = crypto.open(recordId, row, repo.fieldsOf([row]));
      return { id: recordId, ownerId: row.owner_id, fields, revealedAt: now.toISOString() };
    },

    async shred(p: Principal, recordId: string, ctx: RequestContext) {
      const ok = await db.transaction(async (tx) => {
        const row = await repo.loadRecord(tx, recordId, true);
        if (!row) return false;
        await repo.shredRecord(tx, recordId, p.userId, clock.now());
        await audit.append(tx, {
          action: 'vault.record.shredded',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'record', id: recordId },
          ...base(ctx),
          details: { ownerId: row.owner_id },
        });
        return true;
      });
      if (!ok) throw errors.recordNotFound();
    },

    /** A canary looks like any record to everyone without the security role (LOG-04). */
    async createCanary(p: Principal, ownerId: string, ctx: RequestContext) {
      if (!(await repo.ownerExists(db, ownerId))) throw errors.ownerNotFound();
      return db.transaction(async (tx) => {
        const { id } = await insertRecord(
          tx,
          { kind: 'user', principal: p },
          { ownerId, values: normaliseRecordFields(fakeRecordFields()) },
          { isCanary: true },
        );
        await audit.append(tx, {
          action: 'vault.canary.created',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'record', id },
          ...base(ctx),
          details: { ownerId },
        });
        return { id };
      });
    },

    async listCanaries() {
      const { rows } = await db.query<{ id: string; owner_id: string; created_at: Date; shredded_at: Date | null }>(
        'SELECT id, owner_id, created_at, shredded_at FROM vault.records WHERE is_canary ORDER BY created_at DESC',
      );
      return rows.map((r) => ({
        id: r.id,
        ownerId: r.owner_id,
        createdAt: r.created_at.toISOString(),
        shredded: r.shredded_at !== null,
      }));
    },
  };
}

export type VaultService = ReturnType<typeof createVaultService>;
