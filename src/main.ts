/**
 * The `strongroom` CLI: serve | init | users | records | keys | audit. Exit codes: 0 success, 1 a check failed (e.g. the audit
 * log is not intact), 2 bad usage, bad configuration or a refused state change (every problem listed).
 */

import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { auditExport, auditProve, auditPrune, auditVerify } from './cli/audit.ts';
import { init } from './cli/init.ts';
import { riskImport } from './cli/risk.ts';
import { serve } from './cli/serve.ts';
import { approveUserAsHostOperator } from './cli/users.ts';
import { keysRotate, keysStatus, recordsImport } from './cli/vault.ts';
import { configVariables, loadConfig } from './config.ts';
import { type InclusionProof, type SignedCheckpoint, verifyBundle, verifyProof } from './modules/audit/index.ts';
import { ConfigError, UsageError } from './platform/errors.ts';

const HELP = `Usage: strongroom <command> [options]

Commands:
  serve [--data-dir D]                      Serve HTTPS (what npm start runs)
  init --admin-email E --admin-password-file F --totp-secret-file T [--admin-name N] [--data-dir D]
                                            Create the data directory and the first owner (scripted first start)
  users approve --id ID [--data-dir D]      Approve a pending account as the host operator (bootstrap only:
                                            while fewer than two owners are active)
  risk import --list tor|threat FILE [--data-dir D]
                                            Replace the Tor exit or threat address list of the risk engine (IAM-14)
  records import FILE --owner ID [--data-dir D]
                                            Import NDJSON or CSV (by extension) for a data owner, with progress
  keys rotate [--data-dir D]                Start a root-key rotation (re-wraps every data key, retires the old key)
  keys status [--json] [--data-dir D]       Root-key version and rotation progress
  audit verify [--data-dir D]               Check the audit log (chain, signed checkpoints); exit 1 naming the first bad entry
  audit verify --bundle FILE [--checkpoint CP.json]
                                            Check an exported bundle offline (no database, no server); with a
                                            checkpoint held elsewhere (file or email), the bundle must match it
  audit verify --proof FILE                 Check an inclusion proof offline
  audit export --out FILE [--data-dir D]    Write a self-contained bundle (entries, checkpoints, tombstones, keys)
  audit prune [--before YYYY-MM-DD] [--data-dir D]
                                            Prune whole days past the retention window now, under a signed
                                            tombstone (the daily job does this; refused inside 90 days)
  audit prove --seq N [--out FILE] [--data-dir D]
                                            An inclusion proof of entry N against the latest signed checkpoint
  help                                      This text

Environment: ${configVariables.join(', ')}`;

const options = {
  'data-dir': { type: 'string' },
  'admin-email': { type: 'string' },
  'admin-name': { type: 'string' },
  'admin-password-file': { type: 'string' },
  'totp-secret-file': { type: 'string' },
  bundle: { type: 'string' },
  id: { type: 'string' },
  owner: { type: 'string' },
  list: { type: 'string' },
  out: { type: 'string' },
  seq: { type: 'string' },
  proof: { type: 'string' },
  checkpoint: { type: 'string' },
  before: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function required<T>(v: T | undefined, flag: string): T {
  if (v === undefined || v === '') throw new UsageError(`Missing ${flag}.`);
  return v;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [command, sub] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig(process.env, { dataDir: values['data-dir'] });

  switch (`${command}${sub ? ` ${sub}` : ''}`) {
    case 'serve': {
      const server = await serve(config);
      const shutdown = (signal: string) => {
        process.stdout.write(`Received ${signal}; finishing requests in flight and stopping.\n`);
        server.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      return -1; // keep running
    }
    case 'init': {
      const { userId } = await init(config, {
        adminEmail: required(values['admin-email'], '--admin-email'),
        adminName: values['admin-name'],
        adminPasswordFile: required(values['admin-password-file'], '--admin-password-file'),
        totpSecretFile: required(values['totp-secret-file'], '--totp-secret-file'),
      });
      process.stdout.write(
        `Initialised ${config.dataDir}: owner ${userId} created; TOTP secret written to ${values['totp-secret-file']}.\n`,
      );
      return 0;
    }
    case 'users approve': {
      const id = required(values.id, '--id');
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new UsageError('--id must be a user id (UUID).');
      const r = await approveUserAsHostOperator(config, id);
      process.stdout.write(`Approved ${r.id} as the host operator; status ${r.status}.\n`);
      return 0;
    }
    case 'audit export': {
      const out = required(values.out, '--out');
      const r = await auditExport(config, out);
      process.stdout.write(
        `Exported ${r.entries} entries and ${r.checkpoints} signed checkpoints${r.tombstones ? ` (and ${r.tombstones} retention tombstones)` : ''} to ${out}\n`,
      );
      return 0;
    }
    case 'audit prove': {
      const seq = Number(required(values.seq, '--seq'));
      if (!Number.isInteger(seq) || seq < 1) throw new UsageError('--seq must be a positive whole number.');
      const proof = await auditProve(config, seq);
      const text = `${JSON.stringify(proof, null, 2)}\n`;
      if (values.out) await writeFile(values.out, text, { mode: 0o600 });
      else process.stdout.write(text);
      return 0;
    }
    case 'audit prune': {
      let before: Date | undefined;
      if (values.before !== undefined) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(values.before)) throw new UsageError('--before must be a date (YYYY-MM-DD).');
        before = new Date(`${values.before}T00:00:00.000Z`);
        if (Number.isNaN(before.getTime())) throw new UsageError('--before must be a date (YYYY-MM-DD).');
      }
      const r = await auditPrune(config, before);
      process.stdout.write(
        r
          ? `Pruned entries ${r.fromSeq}–${r.throughSeq} (${r.entries}) older than ${r.cutoff.slice(0, 10)} under a signed tombstone\n`
          : 'Nothing to prune: no whole day is past the retention window.\n',
      );
      return 0;
    }
    case 'risk import': {
      const file = positionals[2];
      if (!file) throw new UsageError('Give the file to import: strongroom risk import --list tor|threat FILE');
      const r = await riskImport(config, required(values.list, '--list'), file);
      process.stdout.write(
        `Imported the ${r.list} list from ${file}: ${r.entries} entries, ${r.rejectedCount} lines refused; sha256 ${r.sha256}\n`,
      );
      for (const e of r.rejected) process.stdout.write(`  line ${e.line}: ${e.reason}\n`);
      return 0;
    }
    case 'records import': {
      const file = positionals[2];
      if (!file) throw new UsageError('Give the file to import: strongroom records import FILE --owner ID');
      const owner = required(values.owner, '--owner');
      const r = await recordsImport(config, file, owner, (l) => process.stderr.write(l));
      process.stderr.write('\n');
      process.stdout.write(
        `Imported ${file}: ${r.accepted} accepted, ${r.rejectedCount} rejected of ${r.lines} lines; sha256 ${r.sha256}; ingest ${r.ingestId}\n`,
      );
      for (const e of r.rejected.slice(0, 20)) process.stdout.write(`  line ${e.line}: ${e.code} ${e.message}\n`);
      return r.rejectedCount ? 1 : 0;
    }
    case 'keys rotate': {
      const r = (await keysRotate(config)) as { fromVersion: number; toVersion: number };
      process.stdout.write(`Root-key rotation from v${r.fromVersion} to v${r.toVersion} started.\n`);
      return 0;
    }
    case 'keys status': {
      const s = (await keysStatus(config)) as {
        rotation: { state: string; done: number; total: number };
        rootKeyVersion: number;
      };
      if (values.json)
        process.stdout.write(`${JSON.stringify({ rotation: s.rotation, rootKeyVersion: s.rootKeyVersion })}\n`);
      else
        process.stdout.write(
          `Root key v${s.rootKeyVersion}; rotation ${s.rotation.state} (${s.rotation.done}/${s.rotation.total})\n`,
        );
      return 0;
    }
    case 'audit verify': {
      if (values.bundle) {
        const trusted = values.checkpoint
          ? (JSON.parse(await readFile(values.checkpoint, 'utf8')) as SignedCheckpoint)
          : undefined;
        const b = await verifyBundle(values.bundle, trusted ? { trusted } : {});
        if (values.json) process.stdout.write(`${JSON.stringify(b)}\n`);
        else if (b.valid) {
          process.stdout.write(
            `Bundle intact: ${b.entries} entries, ${b.checkpoints} signed checkpoints${b.tombstones ? `, ${b.tombstones} retention tombstones (entries 1–${b.prunedThrough} pruned)` : ''} verified${trusted ? `; matches the checkpoint of ${trusted.body.treeSize} entries` : ''}; head seq ${b.head.seq}, hash ${b.head.hash}\n`,
          );
        } else {
          process.stdout.write(
            `Bundle NOT intact: first bad entry seq ${b.firstBadSeq ?? '?'} (${b.reason})${b.line ? ` at line ${b.line}` : ''}\n`,
          );
        }
        return b.valid ? 0 : 1;
      }
      if (values.proof) {
        const p = JSON.parse(await readFile(values.proof, 'utf8')) as InclusionProof;
        const v = verifyProof(p);
        process.stdout.write(
          v.valid
            ? `Proof valid: entry ${p.seq} is in the log of ${p.checkpoint.body.treeSize} entries signed at ${p.checkpoint.body.at} (key ${p.checkpoint.body.keyId})\n`
            : `Proof NOT valid: ${v.reason}\n`,
        );
        return v.valid ? 0 : 1;
      }
      const r = await auditVerify(config);
      if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else if (r.valid) {
        process.stdout.write(`Audit log intact: ${r.entries} entries; head seq ${r.head.seq}, hash ${r.head.hash}\n`);
      } else {
        process.stdout.write(
          `Audit log NOT intact: first bad entry seq ${r.firstBadSeq} (${r.reason}); ${r.entries} entries verified before it\n`,
        );
      }
      return r.valid ? 0 : 1;
    }
    default:
      throw new UsageError(`Unknown command "${positionals.join(' ')}". Run "strongroom help".`);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
    } else if (
      err instanceof UsageError ||
      (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      /^[a-z_]+\.[a-z_.]+$/.test(String((err as { code?: string }).code ?? ''))
    ) {
      // a refusal with one of our stable codes: the message is for the operator, no stack trace
      process.stderr.write(`strongroom: ${(err as Error).message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`strongroom: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
