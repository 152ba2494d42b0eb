/**
 * The audit log service (LOG-01, LOG-02, DAT-05). `append(tx, event)` runs inside the caller's transaction: the
 * action and its audit entry commit together or not at all ("no audit, no action"). The caller only inserts a
 * pending row — no lock shared with other callers — and once its transaction has committed, the integrator gives
 * the entry its place in the one total order (seq + hash chain), in a batch with everything else committed by then.
 * Details are validated against the closed catalogue; IP addresses are stored only as keyed hashes whose keys
 * rotate every 30 days. Committed entries are published on the event bus after commit, with their seq, for the
 * detection engine; the caller's transaction resolves once every listener has finished.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { type AuditAction, type AuditDetails, auditCatalogue } from './audit.catalogue.ts';
import type { ChainedFields, StoredEntry } from './audit.chain.ts';
import * as repo from './audit.repository.ts';
import type { CheckpointMail } from './checkpoint-mail.ts';
import type { Checkpoints, SignedCheckpoint } from './checkpoints.ts';
import { createIntegrator, type Integrator } from './integrator.ts';
import type { LogSummary } from './log-verifier.ts';
import type { PseudonymKeys } from './pseudonyms.ts';
import type { Retention } from './retention.ts';
import { isProblem, verifyDatabase } from './verify-db.ts';

export type ActorType = 'user' | 'service' | 'system' | 'host_operator' | 'anonymous';
export type Outcome = 'success' | 'failure' | 'denied';

export interface AuditEvent<A extends AuditAction = AuditAction> {
  action: A;
  outcome: Outcome;
  actor: { type: ActorType; id?: string | null | undefined };
  target?: { type: string; id: string } | undefined;
  ip?: string | null | undefined;
  requestId?: string | null | undefined;
  details: AuditDetails<A>;
}

export interface PublishedAuditEntry extends Omit<StoredEntry, 'prevHash' | 'hash' | 'seq'> {
  /**
   * The entry's place in the log. Null only if the integrator could not run right after the commit (the database
   * went away): the entry is committed and is sequenced by the next integration on any node.
   */
  seq: string | null;
  /** The raw IP, in memory only, for detection; never stored. */
  ip: string | null;
}

/** What `append` returns: the entry as committed, before the integrator gives it a seq and a hash. */
export interface AppendedEntry extends Omit<ChainedFields, 'seq'> {
  pendingId: string;
}

export type VerifyResult =
  | ({ valid: true; head: { seq: string; hash: string } } & Omit<LogSummary, 'head'>)
  | { valid: false; firstBadSeq: string; reason: string; entries: number };

/**
 * Role separation check (LOG-02): the application's database role should only INSERT and SELECT the signed parts of
 * the log (entries, checkpoints, tombstones); pruning goes through `audit.prune_through()`, which runs with its
 * owner's rights. A role that may UPDATE, DELETE or TRUNCATE them, that owns them or may create triggers on them
 * (and so could disable the guards), or a superuser, is reported at start-up.
 */
export async function auditPrivilegeWarnings(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{
    who: string;
    su: boolean;
    tbl: string;
    upd: boolean;
    del: boolean;
    trunc: boolean;
    trig: boolean;
    owns: boolean;
  }>(
    `SELECT current_user AS who, r.rolsuper AS su, t.tbl,
            has_table_privilege(t.tbl, 'UPDATE') AS upd,
            has_table_privilege(t.tbl, 'DELETE') AS del,
            has_table_privilege(t.tbl, 'TRUNCATE') AS trunc,
            has_table_privilege(t.tbl, 'TRIGGER') AS trig,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owns
       FROM pg_roles r
       CROSS JOIN unnest(ARRAY['audit.entries', 'audit.checkpoints', 'audit.tombstones']) AS t(tbl)
       JOIN pg_class c ON c.oid = t.tbl::regclass
      WHERE r.rolname = current_user`,
  );
  const first = rows[0];
  if (!first) return [];
  const out: string[] = [];
  if (first.su) out.push(`database role "${first.who}" is a superuser: it could disable the audit triggers`);
  for (const r of rows) {
    if (r.owns && !r.su) {
      out.push(
        `database role "${r.who}" owns ${r.tbl}: it could disable its triggers (run migrations as another role)`,
      );
    }
    const rights = [r.upd && 'UPDATE', r.del && 'DELETE', r.trunc && 'TRUNCATE', r.trig && 'TRIGGER'].filter(Boolean);
    if (rights.length && !r.su && !r.owns) {
      out.push(`database role "${r.who}" may ${rights.join(', ')} ${r.tbl} (the triggers still refuse changes)`);
    }
  }
  // the superuser or owner case already says everything; name the table rights only for the first table then
  if (first.su || first.owns) {
    const rights = [first.upd && 'UPDATE', first.del && 'DELETE', first.trunc && 'TRUNCATE'].filter(Boolean);
    if (rights.length)
      out.push(`database role "${first.who}" may ${rights.join(', ')} audit rows (the triggers still refuse it)`);
  }
  return out;
}

export interface AuditLog {
  append<A extends AuditAction>(tx: Tx, event: AuditEvent<A>): Promise<AppendedEntry>;
  /** Newest first; integrates first, so everything committed before the call is listed. */
  list(q: Queryable, filter: repo.ListFilter): Promise<StoredEntry[]>;
  verify(q: Queryable): Promise<VerifyResult>;
  /** The pseudonym of an address under the current key epoch (DAT-05). */
  pseudonymiseIp(ip: string): string;
  /** The pseudonyms of an address under the current and the previous key epoch, newest first. */
  pseudonymsOfIp(ip: string): string[];
  /** Sequences everything committed before the call. */
  integrate(): Promise<unknown>;
  /** Sequences what is pending and lets go of the integrator's own connection. */
  close(): Promise<void>;
  readonly integrator: Integrator;
  readonly pseudonyms: PseudonymKeys;
  /** The rest of the audit trail, attached by `createAuditTrail` (the HTTP routes use it). */
  readonly extras: AuditExtras;
}

export interface AuditExtras {
  clock?: Clock;
  checkpoints?: Checkpoints;
  retention?: Retention;
  checkpointMail?: CheckpointMail;
  /** A private directory where exports are written before they are streamed. */
  exportDir?: string;
}

export interface AuditDeps {
  db: Db;
  clock: Clock;
  bus: EventBus<PublishedAuditEntry>;
  pseudonyms: PseudonymKeys;
  logger?: Logger | undefined;
  /** Public keys (key id → raw Ed25519 key) that checkpoints and tombstones are verified with. */
  verifyKeys?: ReadonlyMap<string, Buffer>;
  /** The latest checkpoint kept off the database (a file), checked as a trusted anchor by `verify`. */
  trustedCheckpoint?: () => Promise<SignedCheckpoint | undefined>;
  integrator?: Integrator;
}

interface TxBatch {
  events: { pendingId: string; entry: Omit<PublishedAuditEntry, 'seq'> }[];
}

export function createAuditLog(deps: AuditDeps): AuditLog {
  const { pseudonyms } = deps;
  const integrator = deps.integrator ?? createIntegrator({ db: deps.db, logger: deps.logger });
  // one after-commit step per transaction, however many entries it appended: integrate once, publish in order
  const batches = new WeakMap<Tx, TxBatch>();

  async function publishAfterCommit(batch: TxBatch) {
    const committedAt = performance.now();
    let seqs = new Map<string, string>();
    try {
      seqs = await integrator.settle(
        batch.events.map((e) => ({ id: e.pendingId, at: e.entry.at })),
        committedAt,
      );
    } catch (err) {
      deps.logger?.error({ err }, 'audit integration after commit failed; the entries stay pending');
    }
    for (const e of batch.events) await deps.bus.publish({ ...e.entry, seq: seqs.get(e.pendingId) ?? null });
  }

  return {
    pseudonymiseIp: (ip) => pseudonyms.pseudonymiseIp(ip),
    pseudonymsOfIp: (ip) => pseudonyms.pseudonymsOfIp(ip),
    integrator,
    pseudonyms,
    extras: { clock: deps.clock },
    integrate: () => integrator.integrate(),
    close: () => integrator.stop(),

    async append(tx, event) {
      const schema = auditCatalogue[event.action];
      const details = schema.parse(event.details);
      const fields = {
        // milliseconds survive the round trip through timestamptz exactly, so the hash can be recomputed
        at: new Date(Math.floor(deps.clock.now().getTime())).toISOString(),
        action: event.action,
        outcome: event.outcome,
        actorType: event.actor.type,
        actorId: event.actor.id ?? null,
        targetType: event.target?.type ?? null,
        targetId: event.target?.id ?? null,
        ipHash: event.ip ? pseudonyms.pseudonymiseIp(event.ip) : null,
        requestId: event.requestId ?? null,
        details,
      };
      const pendingId = await repo.insertPending(tx, fields);
      let batch = batches.get(tx);
      if (!batch) {
        const b: TxBatch = { events: [] };
        batches.set(tx, b);
        tx.afterCommit(() => publishAfterCommit(b));
        batch = b;
      }
      batch.events.push({ pendingId, entry: { ...fields, ip: event.ip ?? null } });
      return { ...fields, pendingId };
    },

    async list(q, filter) {
      await integrator.integrate();
      return repo.listEntries(q, filter);
    },

    async verify(q) {
      await integrator.integrate();
      const trusted = await deps.trustedCheckpoint?.().catch(() => undefined);
      const r = await verifyDatabase(q, deps.verifyKeys ?? new Map(), trusted);
      if (isProblem(r)) {
        return { valid: false, firstBadSeq: r.firstBadSeq, reason: r.reason, entries: r.entries };
      }
      return { valid: true, ...r };
    },
  };
}
