/** `strongroom init`: the scripted first start. Creates the data directory and the first owner. */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { createCore } from '../core.ts';
import { defaultPasswordPolicy, passwordProblems } from '../modules/identity/index.ts';
import { ControlUnavailable, callControl } from '../platform/control-socket.ts';
import { isAppError, UsageError } from '../platform/errors.ts';
import { loadTls } from '../platform/http/tls.ts';

export interface InitArgs {
  adminEmail: string;
  adminName?: string | undefined;
  adminPasswordFile: string;
  totpSecretFile: string;
}

export async function init(config: Config, args: InitArgs): Promise<{ userId: string }> {
  if (!z.email().safeParse(args.adminEmail.trim()).success)
    throw new UsageError('--admin-email must be an email address.');
  const password = (
    await readFile(args.adminPasswordFile, 'utf8').catch(() => {
      throw new UsageError(`Cannot read the password file ${args.adminPasswordFile}.`);
    })
  ).replace(/\r?\n$/, '');
  const input = { email: args.adminEmail.trim(), name: args.adminName ?? 'Owner', password };
  // Check the password before anything is created, so a refused init leaves no data directory behind.
  const problems = passwordProblems(password, defaultPasswordPolicy, input.email);
  if (problems.length) throw new UsageError(`The password ${problems.join('; ')}.`);
  let created: { userId: string; totpSecret: string };
  try {
    created = (await callControl(`${config.dataDir}/strongroom.sock`, 'init.createOwner', input)) as typeof created;
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw translate(err);
    const core = await createCore(config);
    try {
      await loadTls(core.layout.root, config.tls);
      created = await core.identity.createFirstOwner(input);
    } catch (e) {
      throw translate(e);
    } finally {
      await core.close();
    }
  }
  await writeFile(args.totpSecretFile, `${created.totpSecret}\n`, { mode: 0o600 });
  await chmod(args.totpSecretFile, 0o600);
  return { userId: created.userId };
}

function translate(err: unknown): unknown {
  const code = isAppError(err) ? err.code : (err as { code?: string }).code;
  if (code === 'setup.already_initialised') {
    return new UsageError('This data directory is already initialised (an account exists); nothing was changed.');
  }
  if (code === 'identity.password_policy') return new UsageError((err as Error).message);
  return err;
}
