/**
 * `strongroom audit verify | export | prove | prune`: through the running server when there is one (the embedded
 * database has one owner), else directly on the database. Every read of the log is itself audited.
 */
import type { Config } from '../config.ts';
import { type Core, createCore } from '../core.ts';
import {
  exportBundle,
  type InclusionProof,
  type PruneResult,
  proveInclusion,
  verifyToJson,
} from '../modules/audit/index.ts';
import { ControlUnavailable, callControl } from '../platform/control-socket.ts';

export type VerifyJson = ReturnType<typeof verifyToJson>;

async function viaServer<T>(config: Config, command: string, args?: Record<string, unknown>): Promise<T | undefined> {
  try {
    return (await callControl(`${config.dataDir}/strongroom.sock`, command, args)) as T;
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw err;
    return undefined;
  }
}

async function withCore<T>(config: Config, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = await createCore(config);
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

export async function auditVerify(config: Config): Promise<VerifyJson> {
  const served = await viaServer<VerifyJson>(config, 'audit.verify');
  if (served) return served;
  return withCore(config, async (core) => {
    const result = await core.audit.verify(core.db);
    await core.db.transaction((tx) =>
      core.audit.append(tx, {
        action: 'audit.log.verified',
        outcome: result.valid ? 'success' : 'failure',
        actor: { type: 'host_operator' },
        details: { valid: result.valid, entries: result.entries },
      }),
    );
    return verifyToJson(result);
  });
}

/** A self-contained bundle of the log (a checkpoint is cut first, so the tail is signed); the export is audited. */
export async function exportAuditBundle(core: Core, out: string, via: 'api' | 'cli' = 'cli') {
  await core.checkpoints.cut();
  const r = await exportBundle(core.db, out, core.checkpoints.publicKey(), core.clock.now(), {
    retentionDays: core.config.audit.retentionDays,
    sign: core.checkpoints.signBundle,
  });
  await core.db.transaction((tx) =>
    core.audit.append(tx, {
      action: 'audit.log.exported',
      outcome: 'success',
      actor: { type: 'host_operator' },
      details: { via, entries: r.entries, checkpoints: r.checkpoints, tombstones: r.tombstones },
    }),
  );
  return r;
}

/** An inclusion proof of entry `seq` against the latest signed checkpoint (cut first); audited. */
export async function proveAuditEntry(core: Core, seq: number): Promise<InclusionProof> {
  await core.checkpoints.cut();
  const proof = await proveInclusion(core.db, seq, core.checkpoints.publicKey());
  await core.db.transaction((tx) =>
    core.audit.append(tx, {
      action: 'audit.inclusion.proved',
      outcome: 'success',
      actor: { type: 'host_operator' },
      details: { seq, treeSize: proof.treeSize },
    }),
  );
  return proof;
}

/** `strongroom audit export --out FILE`. */
export async function auditExport(config: Config, out: string) {
  type Summary = { entries: number; checkpoints: number; tombstones: number };
  return (
    (await viaServer<Summary>(config, 'audit.export', { out })) ??
    withCore(config, (core) => exportAuditBundle(core, out))
  );
}

/** `strongroom audit prove --seq N`. */
export async function auditProve(config: Config, seq: number): Promise<InclusionProof> {
  return (
    (await viaServer<InclusionProof>(config, 'audit.prove', { seq })) ??
    withCore(config, (core) => proveAuditEntry(core, seq))
  );
}

/** `strongroom audit prune [--before YYYY-MM-DD]`: what the daily job does, now (refused inside 90 days). */
export async function auditPrune(config: Config, before?: Date): Promise<PruneResult | null> {
  const args = before ? { before: before.toISOString() } : {};
  const served = await viaServer<{ result: PruneResult | null }>(config, 'audit.prune', args);
  if (served) return served.result;
  return withCore(config, async (core) => (await core.auditRetention.prune(before ? { before } : {})) ?? null);
}
