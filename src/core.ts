/**
 * The core services of one Strongroom node, shared by the HTTP server, the CLI and tests: data directory,
 * keys, database (migrated), clock, audit log and identity. No HTTP here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';
import { type AccessService, createAccessService } from './modules/access/index.ts';
import {
  type AuditLog,
  type Checkpoints,
  createAuditLog,
  createCheckpoints,
  createSigner,
  type PublishedAuditEntry,
} from './modules/audit/index.ts';
import {
  type Alerts,
  type Blocklist,
  createAlerts,
  createBlocklist,
  createDetectionEngine,
  defaultRules,
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
import { type Db, openDatabase, type Tx } from './platform/db/db.ts';
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
  access: AccessService;
  identity: IdentityService;
  notifications: Notifications;
  mfa: MfaMethods;
  vault: VaultService;
  blocklist: Blocklist;
  alerts: Alerts;
  ingest: Ingest;
  keyRotation: KeyRotation;
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
  const audit = createAuditLog({ clock, pseudonymKey: keyring.derive('audit.pseudonym.v1'), bus });
  const checkpoints = createCheckpoints({
    db,
    clock,
    signer: createSigner(keyring.derive('audit.signing.v1')),
    dir: layout.checkpoints,
  });
  const access = createAccessService({ clock, audit });
  const mailer = config.mail.smtpUrl ? createSmtpMailer(config.mail.smtpUrl, config.mail.from) : undefined;
  const notifications = createNotifications({ db, clock, logger, mailer, baseUrl: config.http.publicUrl });
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
  const vault = createVaultService({
    db,
    clock,
    audit,
    access,
    crypto,
    sealKey: keyring.derive('vault.secret-seal.v1'),
    quotas: config.vault.revealQuotas,
    stepUpMaxAgeSeconds: config.session.stepUpMaxAgeSeconds,
    // lock-down arrives with the detection issue; until then confidential access is never closed this way
    isLockedDown: async () => false,
    onCanaryTouched: (tx, userId, ctx) => identity.lockForDetection(tx, userId, ctx),
  });
  const blocklist = createBlocklist({ db, clock, pseudonymiseIp: audit.pseudonymiseIp });
  await blocklist.reload();
  const enqueueAlert = (
    tx: Tx,
    a: {
      id: string;
      rule: { id: string; title: string; severity: 'low' | 'medium' | 'high' | 'critical' };
      repeat: number;
    },
  ) =>
    notifications.enqueue(
      tx,
      'detection.alert',
      { alertId: a.id, rule: a.rule.id, title: a.rule.title, severity: a.rule.severity, repeat: a.repeat },
      {
        roles: ['owner', 'security_analyst'],
      },
    );
  const alerts = createAlerts({
    db,
    clock,
    audit,
    sealKey: keyring.derive('vault.secret-seal.v1'),
    rules: defaultRules,
    enqueue: enqueueAlert,
    repeatMinutes: 15,
  });
  const engine = createDetectionEngine({
    db,
    clock,
    audit,
    blocklist,
    rules: defaultRules,
    lockAccount: (tx, userId, ctx) => identity.lockForDetection(tx, userId, ctx),
    notifyAlert: async (tx, a) => {
      await enqueueAlert(tx, { ...a, repeat: 0 });
      await tx.query('UPDATE detection.alerts SET last_notified_at = $2, notified_times = 1 WHERE id = $1', [
        a.id,
        clock.now(),
      ]);
    },
  });
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
    access,
    identity,
    notifications,
    smsDevOutbox,
    mfa,
    vault,
    blocklist,
    alerts,
    ingest,
    keyRotation,
    version: await readVersion(),
    close: async () => {
      mailer?.close();
      await db.close();
    },
  };
}
