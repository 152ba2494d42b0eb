/**
 * The core services of one Strongroom node, shared by the HTTP server, the CLI and tests: data directory,
 * keys, database (migrated), clock, audit log and identity. No HTTP here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { type AccessService, createAccessService } from './modules/access/index.ts';
import {
  type AuditLog,
  type CheckpointMail,
  type Checkpoints,
  createAuditTrail,
  type PublishedAuditEntry,
  type Retention,
} from './modules/audit/index.ts';
import {
  type Alerts,
  type Blocklist,
  createDetection,
  createRedisCounter,
  type Detection,
} from './modules/detection/index.ts';
import { createIdentityService, type IdentityService } from './modules/identity/index.ts';
import {
  createDevOutboxSmsSender,
  createHttpSmsSender,
  createMfaMethods,
  type MfaMethods,
} from './modules/identity/mfa/index.ts';
import { defaultPasswordPolicy } from './modules/identity/passwords.ts';
import { createNotifications, createSmtpMailer, type Notifications } from './modules/notifications/index.ts';
import { modules } from './modules/registry.ts';
import { createIpIntel, createRiskService, type RiskService } from './modules/risk/index.ts';
import {
  createIngest,
  createKeyRotation,
  createRecordCrypto,
  createVaultService,
  type Ingest,
  type KeyRotation,
  type VaultService,
} from './modules/vault/index.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import {
  createKeyring,
  ensureKeyFiles,
  envKeyProvider,
  fileKeyProvider,
  type KeyProvider,
  type Keyring,
} from './platform/crypto/keyring.ts';
import { type DataDirLayout, ensureDataDir, tightenPermissions } from './platform/data-dir.ts';
import { type Db, openDatabase } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { createEventBus, type EventBus } from './platform/events.ts';
import { createLogger, type Logger } from './platform/logger.ts';

export interface Core {
  config: Config;
  layout: DataDirLayout;
  db: Db;
  clock: Clock;
  logger: Logger;
  keyring: Keyring;
  bus: EventBus<PublishedAuditEntry>;
  audit: AuditLog;
  checkpoints: Checkpoints;
  /** LOG-03: pruning past the retention window under signed tombstones. */
  auditRetention: Retention;
  /** Signed checkpoints mailed to an outside auditor (when configured). */
  checkpointMail: CheckpointMail;
  /** The audit module's scheduled jobs. */
  auditJobs: { name: string; intervalMs: number; run(): Promise<unknown> }[];
  access: AccessService;
  identity: IdentityService;
  notifications: Notifications;
  mfa: MfaMethods;
  vault: VaultService;
  blocklist: Blocklist;
  alerts: Alerts;
  detection: Detection;
  ingest: Ingest;
  keyRotation: KeyRotation;
  risk: RiskService;
  /** True when SMS codes go to the development outbox instead of a provider. */
  smsDevOutbox: boolean;
  version: string;
  close(): Promise<void>;
}

export interface CoreOptions {
  clock?: Clock;
  logger?: Logger;
  /** An already opened database (tests); otherwise opened from the config. */
  db?: Db;
}

export async function readVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));
  return String(pkg.version);
}

export async function createCore(config: Config, opts: CoreOptions = {}): Promise<Core> {
  const logger = opts.logger ?? createLogger(config.log.level);
  const clock = opts.clock ?? systemClock;
  const layout = await ensureDataDir(config.dataDir);
  let provider: KeyProvider;
  if (config.keys.rootKeyBase64) {
    provider = envKeyProvider(config.keys.rootKeyBase64);
  } else {
    if (await ensureKeyFiles(layout.keys)) logger.info('created new keys in the data directory');
    provider = await fileKeyProvider(layout.keys);
  }
  const keyring = createKeyring(provider);
  const db = opts.db ?? (await openDatabase({ url: config.database.url, pgliteDir: layout.pgdata }));
  try {
    await migrate(db, modules);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  if (db.kind === 'pglite' && !opts.db) await tightenPermissions(layout.pgdata);
  const bus = createEventBus<PublishedAuditEntry>((err) => logger.error({ err }, 'audit event listener failed'));
  let mailer: ReturnType<typeof createSmtpMailer> | undefined;
  const trail = await createAuditTrail({
    db,
    clock,
    logger,
    bus,
    signingSeed: keyring.derive('audit.signing.v1'),
    pseudonymWrapRoot: keyring.derive('audit.pseudonym.v1'),
    checkpointDir: layout.checkpoints,
    exportDir: path.join(layout.root, 'exports'),
    retentionDays: config.audit.retentionDays,
    checkpointEmail: config.audit.checkpointEmail,
    mailer: () => mailer,
    baseUrl: config.http.publicUrl,
  });
  const { audit, checkpoints } = trail;
  const access = createAccessService({ clock, audit });
  mailer = config.mail.smtpUrl ? createSmtpMailer(config.mail.smtpUrl, config.mail.from) : undefined;
  const redis = config.redis.url ? new Redis(config.redis.url, { maxRetriesPerRequest: 1, lazyConnect: false }) : null;
  redis?.on('error', (err) => logger.warn({ code: (err as { code?: string }).code }, 'redis unavailable'));
  const notifications = createNotifications({
    db,
    clock,
    logger,
    mailer,
    baseUrl: config.http.publicUrl,
    sms: {
      phoneOf: (q, userId) => mfa.activePhoneNumber(q, userId),
      send: (to, text) => sms.send(to, text),
    },
    webhooks: { resolve: (q, id) => detection.webhooks.resolve(q, id) },
  });
  const sealKey = keyring.derive('identity.secret-seal.v1');
  // Without a provider, SMS codes go to a sealed outbox an admin can read in the app (development installs).
  const smsDevOutbox = !config.sms.providerUrl;
  const sms = config.sms.providerUrl
    ? createHttpSmsSender({ url: config.sms.providerUrl, token: config.sms.providerToken ?? '', from: config.sms.from })
    : createDevOutboxSmsSender(db, sealKey, clock);
  const mfa = createMfaMethods({
    clock,
    sealKey,
    smsCodeKey: keyring.derive('identity.mfa-code-mac.v1'),
    sms,
    webauthn: { rpId: new URL(config.http.publicUrl).hostname, rpName: 'Strongroom', origin: config.http.publicUrl },
  });
  // IAM-14: the risk engine scores sign-ins and reveals (geography and networks from packaged offline data)
  const risk = createRiskService({
    db,
    clock,
    audit,
    intel: createIpIntel(),
    deviceKey: keyring.derive('risk.device.v1'),
    config: config.risk,
  });
  const identity = createIdentityService({
    db,
    clock,
    audit,
    access,
    mfa,
    sealKey,
    sessionMacKey: keyring.derive('identity.session-mac.v1'),
    session: config.session,
    identity: config.identity,
    publicUrl: config.http.publicUrl,
    passwordPolicy: { ...defaultPasswordPolicy, minCharacterClasses: config.identity.passwordMinCharacterClasses },
    risk,
    onAccountLocked: (tx, userId, reason, minutes) =>
      notifications.enqueue(
        tx,
        'identity.account_locked',
        { userId, reason, minutes },
        {
          users: [userId],
          roles: ['owner', 'security_analyst'],
        },
      ),
  });
  const crypto = createRecordCrypto(keyring);
  let lateDetection: Detection | undefined;
  const vault = createVaultService({
    db,
    clock,
    audit,
    access,
    crypto,
    sealKey: keyring.derive('vault.secret-seal.v1'),
    quotas: config.vault.revealQuotas,
    stepUpMaxAgeSeconds: config.session.stepUpMaxAgeSeconds,
    // lock-down (INC-03), decided by the detection module built below
    isLockedDown: (q, p) => (lateDetection ? lateDetection.lockdown.isLockedDownFor(q, p) : Promise.resolve(false)),
    onCanaryTouched: (tx, userId, ctx) => identity.lockForDetection(tx, userId, ctx),
    assessRevealRisk: risk.assessReveal,
  });
  const detection = await createDetection({
    db,
    clock,
    audit,
    sealKey: keyring.derive('detection.secret-seal.v1'),
    contextKey: keyring.derive('detection.session-context.v1'),
    shared: redis ? createRedisCounter(redis) : undefined,
    requestRateCapPerMinute: config.detection.requestRateCapPerMinute,
    heartbeatSeconds: config.detection.heartbeatSeconds,
    identity: {
      lockAccount: (tx, userId, ctx) => identity.lockForDetection(tx, userId, ctx),
      endSessions: (tx, userId, ctx) => identity.endSessionsForDetection(tx, userId, ctx),
      requireStepUp: (tx, userId) => identity.requireStepUpForDetection(tx, userId),
    },
    // every alert to the on-call roles by email and SMS (LOG-06), and to the webhooks that want its severity
    enqueueAlert: (tx, a) =>
      notifications.enqueue(
        tx,
        'detection.alert',
        { alertId: a.id, rule: a.rule.id, title: a.rule.title, severity: a.rule.severity, repeat: a.repeat },
        { roles: ['owner', 'security_analyst'], channels: ['email', 'sms'], webhooks: a.webhooks },
      ),
  });
  lateDetection = detection;
  const { blocklist, alerts, engine } = detection;
  bus.subscribe((e) => engine.onEvent(e));
  const ingest = createIngest({ db, clock, audit, crypto, fieldSpecs: vault.fieldSpecs });
  const keyRotation = createKeyRotation({ db, clock, keyring, crypto, audit, fieldSpecs: vault.fieldSpecs });
  return {
    config,
    layout,
    db,
    clock,
    logger,
    keyring,
    bus,
    audit,
    checkpoints,
    auditRetention: trail.retention,
    checkpointMail: trail.checkpointMail,
    auditJobs: trail.jobs(config.audit.checkpointSeconds),
    access,
    identity,
    notifications,
    smsDevOutbox,
    mfa,
    vault,
    blocklist,
    alerts,
    detection,
    ingest,
    keyRotation,
    risk,
    version: await readVersion(),
    close: async () => {
      // what this node committed is sequenced before it lets go of the database
      await audit.close();
      mailer?.close();
      redis?.disconnect();
      await db.close();
    },
  };
}
