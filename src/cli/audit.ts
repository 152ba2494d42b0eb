/** `strongroom audit verify`: through the running server when there is one, else directly on the database. */
import type { Config } from '../config.ts';
import { createCore } from '../core.ts';
import { verifyToJson } from '../modules/audit/index.ts';
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
