/**
 * `strongroom risk import --list tor|threat FILE`: replaces an imported address list (IAM-14), audited as the host
 * operator. Through the running server's control socket when there is one (the server reads the file: same host,
 * same OS user), else directly on the database.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { type Core, createCore } from '../core.ts';
import { type ListKind, listKinds } from '../modules/risk/index.ts';
import { ControlUnavailable, callControl } from '../platform/control-socket.ts';
import { UsageError } from '../platform/errors.ts';

export interface RiskImportResult {
  list: ListKind;
  entries: number;
  rejectedCount: number;
  rejected: { line: number; reason: string }[];
  sha256: string;
  replaced: boolean;
}

/** The import itself, shared by the CLI's direct mode and the server's control socket. */
export async function importRiskList(core: Core, args: { list: string; file: string }): Promise<RiskImportResult> {
  if (!listKinds.includes(args.list as ListKind)) throw new UsageError('--list must be tor or threat.');
  const text = await readFile(args.file, 'utf8').catch(() => {
    throw new UsageError(`Cannot read ${args.file}.`);
  });
  return core.risk.importList(null, args.list as ListKind, text, 'cli', null);
}

export async function riskImport(config: Config, list: string, file: string): Promise<RiskImportResult> {
  if (!listKinds.includes(list as ListKind)) throw new UsageError('--list must be tor or threat.');
  const abs = path.resolve(file);
  try {
    return (await callControl(`${config.dataDir}/strongroom.sock`, 'risk.import', {
      list,
      file: abs,
    })) as RiskImportResult;
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw err;
  }
  const core: Core = await createCore(config);
  try {
    return await importRiskList(core, { list, file: abs });
  } finally {
    await core.close();
  }
}
