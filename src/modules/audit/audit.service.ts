/**
 * The audit log service (LOG-01, LOG-02, DAT-05). `append(tx, event)` runs inside the caller's
 * transaction: the action and its audit entry commit together or not at all ("no audit, no action").
 * Details are validated against the closed catalogue; IP addresses are stored only as keyed hashes.
 * Committed entries are published on the event bus (after commit) for the detection engine.
 */
import { createHmac } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable, Tx } from '../../platform/db/db.ts';
import type { EventBus } from '../../platform/events.ts';
import { type AuditAction, type AuditDetails, auditCatalogue } from './audit.catalogue.ts';
import { createChainVerifier, entryHash, GENESIS_HASH, type StoredEntry } from './audit.chain.ts';
import * as repo from './audit.repository.ts';
import { checkpointsOf } from './checkpoints.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from './frontier.ts';

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

export interface PublishedAuditEntry extends Omit<StoredEntry, 'prevHash' | 'hash'> {
  /** The raw IP, in memory only, for detection; never stored. */
  ip: string | null;
}

export type VerifyResult =
  | { valid: true; entries: number; head: { seq: string; hash: string } }
  | { valid: false; firstBadSeq: string; reason: string; entries: number };

/**
 * Role separation check (LOG-02): the application's database role should only INSERT and SELECT audit rows. A role
 * that may UPDATE, DELETE or TRUNCATE them, or a superuser (who can disable the triggers), is reported at start-up.
 */
export async function auditPrivilegeWarnings(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ su: boolean; upd: boolean; del: boolean; trunc: boolean; who: string }>(
    `SELECT r.rolsuper AS su, current_user AS who,
            has_table_privilege('audit.entries', 'UPDATE') AS upd,
            has_table_privilege('audit.entries', 'DELETE') AS del,
            has_table_privilege('audit.entries', 'TRUNCATE') AS trunc
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const r = rows[0];
  if (!r) return [];
  const out: string[] = [];
  if (r.su) out.push(`database role "${r.who}" is a superuser: it could disable the audit triggers`);
  const rights = [r.upd && 'UPDATE', r.del && 'DELETE', r.trunc && 'TRUNCATE'].filter(Boolean);
  if (rights.length)
    out.push(`database role "${r.who}" may ${rights.join(', ')} audit rows (the triggers still refuse it)`);
  return out;
}

export interface AuditLog {
  append<A extends AuditAction>(tx: Tx, event: AuditEvent<A>): Promise<StoredEntry>;
  list(q: Queryable, filter: repo.ListFilter): Promise<StoredEntry[]>;
  verify(q: Queryable): Promise<VerifyResult>;
  pseudonymiseIp(ip: string): string;
}

export interface AuditDeps {
  clock: Clock;
  pseudonymKey: Buffer;
  bus: EventBus<PublishedAuditEntry>;
}

export function createAuditLog(deps: AuditDeps): AuditLog {
  const pseudonymiseIp = (ip: string) =>
    createHmac('sha256', deps.pseudonymKey).update(`ip:${ip}`).digest('hex').slice(0, 32);

  return {
    pseudonymiseIp,

    async append(tx, event) {
      const schema = auditCatalogue[event.action];
      const details = schema.parse(event.details);
      const head = await repo.lockHead(tx);
      const base = {
        seq: (BigInt(head.seq) + 1n).toString(),
        // milliseconds survive the round trip through timestamptz exactly, so the hash can be recomputed
        at: new Date(Math.floor(deps.clock.now().getTime())).toISOString(),
        action: event.action,
        outcome: event.outcome,
        actorType: event.actor.type,
        actorId: event.actor.id ?? null,
        targetType: event.target?.type ?? null,
        targetId: event.target?.id ?? null,
        ipHash: event.ip ? pseudonymiseIp(event.ip) : null,
        requestId: event.requestId ?? null,
        details,
      };
      const entry: StoredEntry = { ...base, prevHash: head.hash, hash: entryHash(head.hash, base) };
      await repo.insertEntry(tx, entry);
      tx.afterCommit(() => deps.bus.publish({ ...base, ip: event.ip ?? null }));
      return entry;
    },

    list: (q, filter) => repo.listEntries(q, filter),

    async verify(q) {
      const first = await repo.firstSeq(q);
      const head = await repo.readHead(q);
      // Until retention pruning exists (audit issue), the chain must start at seq 1 from the genesis hash.
      const verifier = createChainVerifier({ seq: 0n, hash: GENESIS_HASH });
      if (first !== undefined && first !== '1') {
        return { valid: false, firstBadSeq: '1', reason: 'gap', entries: 0 };
      }
      let after = '0';
      for (;;) {
        const batch = await repo.entriesAfter(q, after, 5000);
        if (!batch.length) break;
        for (const e of batch) {
          const problem = verifier.push(e);
          if (problem) {
            return { valid: false, firstBadSeq: problem.seq, reason: problem.reason, entries: verifier.state.count };
          }
        }
        after = (batch[batch.length - 1] as StoredEntry).seq;
      }
      const st = verifier.state;
      // against the signed checkpoints (kept in the database and as files): a rewritten or cut log differs
      const cps = await checkpointsOf(q);
      const lastCp = cps[cps.length - 1];
      if (lastCp && Number(lastCp.tree_size) > Number(st.seq)) {
        return { valid: false, firstBadSeq: (st.seq + 1n).toString(), reason: 'truncated', entries: st.count };
      }
      if (cps.length) {
        const f = emptyFrontier();
        let i = 0;
        let after = '0';
        while (i < cps.length) {
          const batch = await repo.entriesAfter(q, after, 5000);
          if (!batch.length) break;
          for (const e of batch) {
            appendLeaf(f, e.hash);
            const cp = cps[i];
            if (cp && Number(cp.tree_size) === f.size) {
              if (!frontierRoot(f).equals(cp.root_hash) || !e.hash.equals(cp.head_hash)) {
                return { valid: false, firstBadSeq: cp.tree_size, reason: 'checkpoint_mismatch', entries: st.count };
              }
              i++;
            }
          }
          after = (batch[batch.length - 1] as StoredEntry).seq;
        }
      }
      if (st.seq.toString() !== head.seq || !st.hash.equals(head.hash)) {
        // entries after the last intact one are missing (truncated tail) or the head was forged
        return {
          valid: false,
          firstBadSeq: (st.seq + 1n).toString(),
          reason: 'head_mismatch',
          entries: st.count,
        };
      }
      return { valid: true, entries: st.count, head: { seq: head.seq, hash: head.hash.toString('hex') } };
    },
  };
}
