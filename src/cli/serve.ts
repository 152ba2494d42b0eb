/** `strongroom serve`: the HTTPS server, the control socket for the CLI, first-run setup link, graceful stop. */

import pg from 'pg';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { type Core, createCore } from '../core.ts';
import { auditPrivilegeWarnings, verifyToJson } from '../modules/audit/index.ts';
import { DECISIONS_CHANNEL } from '../modules/detection/index.ts';
import { ControlUnavailable, callControl, startControlSocket } from '../platform/control-socket.ts';
import { UsageError } from '../platform/errors.ts';
import { loadTls } from '../platform/http/tls.ts';
import { startScheduler } from '../platform/jobs.ts';
import { exportAuditBundle, proveAuditEntry } from './audit.ts';
import { importRiskList } from './risk.ts';
import { importFile } from './vault.ts';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** On PostgreSQL, every node reloads decisions (blocked addresses) as soon as another node makes one. */
async function listenForDecisions(url: string | undefined, onDecision: () => Promise<void>, logger: Core['logger']) {
  if (!url) return undefined;
  const client = new pg.Client({ connectionString: url });
  client.on('error', (err) => logger.warn({ err: { message: err.message } }, 'decision listener lost its connection'));
  await client.connect();
  client.on('notification', () => {
    onDecision().catch((err) => logger.error({ err }, 'reloading decisions failed'));
  });
  await client.query(`LISTEN ${DECISIONS_CHANNEL}`);
  return client;
}

export async function isServerRunning(socketPath: string): Promise<boolean> {
  try {
    await callControl(socketPath, 'ping');
    return true;
  } catch (err) {
    if (err instanceof ControlUnavailable) return false;
    return true;
  }
}

export async function serve(config: Config, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const started = performance.now();
  const socketPath = `${config.dataDir}/strongroom.sock`;
  if (await isServerRunning(socketPath)) {
    throw new UsageError(`A Strongroom server is already running on ${config.dataDir}.`);
  }
  const core = await createCore(config);
  const tls = await loadTls(core.layout.root, config.tls);
  const app = await buildApp(core, { tls });
  await app.listen({ host: config.http.host, port: config.http.port });
  const control = await startControlSocket(core.layout.socket, {
    ping: async () => ({ pong: true }),
    'audit.verify': async () => {
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
    },
    'records.import': (args) =>
      importFile(core, { file: String(args.file), ownerId: String(args.ownerId), ingestId: String(args.ingestId) }),
    'ingest.status': async (args) => {
      const { rows } = await core.db.query<{ bytes: string; accepted: number; rejected: number }>(
        'SELECT bytes, accepted, rejected FROM vault.ingests WHERE id = $1',
        [String(args.id)],
      );
      return rows[0] && { bytes: Number(rows[0].bytes), accepted: rows[0].accepted, rejected: rows[0].rejected };
    },
    'audit.export': (args) => exportAuditBundle(core, String(args.out)),
    'audit.prove': (args) => proveAuditEntry(core, Number(args.seq)),
    'audit.prune': async (args) => ({
      result: (await core.auditRetention.prune(args.before ? { before: new Date(String(args.before)) } : {})) ?? null,
    }),
    'keys.rotate': () => core.keyRotation.start({ type: 'host_operator' }),
    'keys.status': () => core.keyRotation.status(),
    'risk.import': (args) => importRiskList(core, { list: String(args.list), file: String(args.file) }),
    'users.approve': async (args) => core.identity.approveUser({ type: 'host_operator' }, String(args.id)),
    'init.createOwner': async (args) =>
      core.identity.createFirstOwner({
        email: String(args.email),
        name: String(args.name),
        password: String(args.password),
      }),
  });
  await core.db.transaction((tx) =>
    core.audit.append(tx, {
      action: 'system.started',
      outcome: 'success',
      actor: { type: 'system' },
      details: { version: core.version.slice(0, 40), database: core.db.kind },
    }),
  );
  const scheduler = startScheduler(core.db, core.logger, [
    { name: 'identity.lock-inactive', intervalMs: 3600_000, run: core.identity.jobs.lockInactiveAccounts },
    { name: 'identity.departures', intervalMs: 60_000, run: core.identity.jobs.processDepartures },
    { name: 'notifications.deliver', intervalMs: 2_000, run: () => core.notifications.deliverDue() },
    // checkpoints, auditor mail, integration safety net, hourly: retention (LOG-03) and pseudonym keys (DAT-05)
    ...core.auditJobs,
    // a few seconds of batches per tick; the rotation resumes from the database after any stop
    { name: 'detection.alert-reminders', intervalMs: 60_000, run: () => core.alerts.repeatNotices() },
    // a safety net behind LISTEN/NOTIFY: blocks decided elsewhere apply here within seconds at worst
    { name: 'detection.blocklist-refresh', intervalMs: 5_000, run: () => core.blocklist.reload() },
    { name: 'vault.key-rotation', intervalMs: 2_000, run: () => core.keyRotation.runToCompletion(25) },
    // the audit log as a detection point: a heartbeat (a gap means downtime or suppression) and verification
    {
      name: 'detection.audit-heartbeat',
      intervalMs: config.detection.heartbeatSeconds * 1000,
      run: () => core.detection.integrity.beat(),
    },
    { name: 'detection.audit-verify', intervalMs: 900_000, run: () => core.detection.integrity.verify() },
  ]);
  // every node flushes its own request counts (the history of request-rate baselines), so not a locked job
  const flushActivity = setInterval(() => {
    core.detection.activity.flush().catch((err) => core.logger.warn({ err }, 'activity flush failed'));
  }, 60_000).unref();
  const decisions = await listenForDecisions(config.database.url, () => core.blocklist.reload(), core.logger);
  const setupToken = await core.identity.issueSetupToken();
  const readyMs = Math.round(performance.now() - started);
  out(`Strongroom ${core.version} is serving ${config.http.publicUrl} (HTTPS only; ready in ${readyMs} ms)`);
  if (tls.selfSigned) out(`  TLS: self-signed certificate in ${core.layout.tls}`);
  if (core.db.kind === 'postgres') {
    for (const w of await auditPrivilegeWarnings(core.db)) {
      core.logger.warn({ check: 'audit-role-separation' }, w);
      out(`  WARNING: ${w}; see docs/operations.md (audit role separation)`);
    }
  }
  if (setupToken) {
    // A secret: printed to the operator's terminal only, never to the structured log.
    out('');
    out('  No administrator exists yet. Open this one-time link to create the first owner:');
    out(`  ${config.http.publicUrl}/setup#token=${setupToken}`);
    out('');
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await control.close().catch(() => {});
      await app.close();
      await scheduler.stop();
      clearInterval(flushActivity);
      await core.detection.activity.flush().catch(() => {});
      await decisions?.end().catch(() => {});
      await core.close();
    })();
    return stopping;
  };
  return { url: config.http.publicUrl, stop, readyMs } satisfies RunningServer & { readyMs: number };
}
