/** `strongroom users approve --id ID`: host-operator approval, for bootstrapping only (IAM-07). */
import type { Config } from '../config.ts';
import { createCore } from '../core.ts';
import { ControlUnavailable, callControl } from '../platform/control-socket.ts';
import { isAppError, UsageError } from '../platform/errors.ts';

export async function approveUserAsHostOperator(config: Config, id: string): Promise<{ id: string; status: string }> {
  try {
    return (await callControl(`${config.dataDir}/strongroom.sock`, 'users.approve', { id })) as {
      id: string;
      status: string;
    };
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw translate(err);
  }
  const core = await createCore(config);
  try {
    return await core.identity.approveUser({ type: 'host_operator' }, id);
  } catch (err) {
    throw translate(err);
  } finally {
    await core.close();
  }
}

/** Refusals are the operator's to fix (exit 2), with the service's own message. */
function translate(err: unknown): unknown {
  const code = isAppError(err) ? err.code : (err as { code?: string }).code;
  if (code && /^users\./.test(code)) return new UsageError(`${(err as Error).message} (${code})`);
  return err;
}
