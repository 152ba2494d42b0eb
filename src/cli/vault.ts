/**
 * `strongroom records import FILE --owner ID` (progress bar on stderr) and `strongroom keys rotate|status`.
 * Through the running server's control socket when there is one (the server reads the file: same host, same
 * OS user), else directly on the database.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { type Core, createCore } from '../core.ts';
import { ControlUnavailable, callControl } from '../platform/control-socket.ts';
import { UsageError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';

const socketOf = (config: Config) => `${config.dataDir}/strongroom.sock`;

async function viaServerOrCore<T>(
  config: Config,
  command: string,
  args: Record<string, unknown>,
  direct: (core: Core) => Promise<T>,
) {
  try {
    return (await callControl(socketOf(config), command, args)) as T;
  } catch (err) {
    if (!(err instanceof ControlUnavailable)) throw err;
  }
  const core = await createCore(config);
  try {
    return await direct(core);
  } finally {
    await core.close();
  }
}

export interface ImportResult {
  ingestId: string;
  accepted: number;
  rejectedCount: number;
  rejected: { line: number; code: string; message: string }[];
  sha256: string;
  lines: number;
}

/** Runs an import of a local file; the core function is shared by the CLI's direct mode and the server's socket. */
export async function importFile(
  core: Core,
  args: { file: string; ownerId: string; ingestId: string },
): Promise<ImportResult> {
  const format = args.file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson';
  const out = await core.ingest.ingest(
    { kind: 'host_operator' },
    createReadStream(args.file),
    { format, ownerId: args.ownerId, ingestId: args.ingestId, via: 'cli' },
    { ip: '127.0.0.1', requestId: `cli-${args.ingestId}`, route: 'cli:records import' },
  );
  return out;
}

export async function recordsImport(config: Config, file: string, ownerId: string, progress: (line: string) => void) {
  const abs = path.resolve(file);
  const size = (await stat(abs).catch(() => undefined))?.size;
  if (size === undefined) throw new UsageError(`Cannot read ${file}.`);
  const ingestId = newId();
  let finished = false;
  const done = (r: ImportResult) =>
    progress(`\r[${'#'.repeat(25)}] 100%  ${r.accepted} accepted, ${r.rejectedCount} rejected`);
  const bar = async (status: () => Promise<{ bytes: number; accepted: number; rejected: number } | undefined>) => {
    while (!finished) {
      await new Promise((r) => setTimeout(r, 500));
      const s = await status().catch(() => undefined);
      if (s && !finished) {
        const pct = size ? Math.min(100, Math.round((s.bytes / size) * 100)) : 100;
        const filled = Math.round(pct / 4);
        progress(
          `\r[${'#'.repeat(filled)}${'.'.repeat(25 - filled)}] ${pct}%  ${s.accepted} accepted, ${s.rejected} rejected`,
        );
      }
    }
  };
  try {
    await callControl(socketOf(config), 'ping');
    const ticking = bar(async () => (await callControl(socketOf(config), 'ingest.status', { id: ingestId })) as never);
    const out = (await callControl(socketOf(config), 'records.import', {
      file: abs,
      ownerId,
      ingestId,
    })) as ImportResult;
    finished = true;
    await ticking;
    done(out);
    return out;
  } catch (err) {
    finished = true;
    if (!(err instanceof ControlUnavailable)) throw err;
  }
  finished = false;
  const core = await createCore(config);
  try {
    const ticking = bar(async () => {
      const { rows } = await core.db.query<{ bytes: string; accepted: number; rejected: number }>(
        'SELECT bytes, accepted, rejected FROM vault.ingests WHERE id = $1',
        [ingestId],
      );
      return rows[0] && { bytes: Number(rows[0].bytes), accepted: rows[0].accepted, rejected: rows[0].rejected };
    });
    const out = await importFile(core, { file: abs, ownerId, ingestId });
    finished = true;
    await ticking;
    done(out);
    return out;
  } finally {
    finished = true;
    await core.close();
  }
}

export const keysRotate = (config: Config) =>
  viaServerOrCore(config, 'keys.rotate', {}, (core) =>
    core.keyRotation.start({ type: 'host_operator' }).then(async (r) => {
      // without a server nobody runs the background job: finish here
      await core.keyRotation.runToCompletion();
      return r;
    }),
  );

export const keysStatus = (config: Config) =>
  viaServerOrCore(config, 'keys.status', {}, (core) => core.keyRotation.status());
