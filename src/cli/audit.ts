/** `strongroom audit verify`: through the running server when there is one, else directly on the database. */
import type { Config } from '../config.ts';
import { createCore } from '../core.ts';
import { exportBundle, type InclusionProof, proveInclusion, verifyToJson } from '../modules/audit/index.ts';
import { ControlUnavailable, callControl } from '../platform/control-socket.ts';

export type VerifyJson = ReturnType<typeof verifyToJson>;

export async function auditVerify(config: Config): Promise<VerifyJson> {
  try {
    return (await callControl(`${config.dataDir}/strongroom.sock`, 'audit.verify')) as VerifyJson;
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw err;
  }
  const core = await createCore(config);
  try {
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
  } finally {
    await core.close();
  }
}

/** `strongroom audit export --out FILE`: a self-contained bundle (cuts a checkpoint first so the tail is signed). */
export async function auditExport(config: Config, out: string) {
  try {
    return (await callControl(`${config.dataDir}/strongroom.sock`, 'audit.export', { out })) as {
      entries: number;
      checkpoints: number;
    };
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw err;
  }
  const core = await createCore(config);
  try {
    await core.checkpoints.cut();
    return await exportBundle(core.db, out, core.checkpoints.publicKey(), core.clock.now());
  } finally {
    await core.close();
  }
}

/** `strongroom audit prove --seq N`: an inclusion proof against the latest signed checkpoint. */
export async function auditProve(config: Config, seq: number): Promise<InclusionProof> {
  try {
    return (await callControl(`${config.dataDir}/strongroom.sock`, 'audit.prove', { seq })) as InclusionProof;
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw err;
  }
  const core = await createCore(config);
  try {
    await core.checkpoints.cut();
    return await proveInclusion(core.db, seq, core.checkpoints.publicKey());
  } finally {
    await core.close();
  }
}
