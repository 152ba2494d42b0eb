/**
 * Configuration: the only reader of process.env. One zod schema; every problem is listed at once and the
 * process exits with code 2 (see main.ts). The result is frozen and grouped. Units are in the names.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './platform/errors.ts';

const cidr = z.string().refine((v) => {
  const [addr, bits, ...rest] = v.split('/');
  if (rest.length || !addr) return false;
  const family = isIP(addr);
  if (!family) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}, 'must be a CIDR such as 10.0.0.0/8 or an IP address');

const intFrom = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

const urlWith = (protocols: string[], label: string) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a ${label} URL`);

/** ISO 3166-1 alpha-2 codes, comma-separated. */
const countryList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO country codes such as DE,FR')));

const envSchema = z.object({
  STRONGROOM_DATA_DIR: z.string().min(1).default('./.strongroom'),
  STRONGROOM_HOST: z.string().min(1).default('127.0.0.1'),
  STRONGROOM_PORT: intFrom(1, 65535).default(8443),
  STRONGROOM_PUBLIC_URL: urlWith(['https:'], 'https://').optional(),
  DATABASE_URL: urlWith(['postgres:', 'postgresql:'], 'postgres://').optional(),
  REDIS_URL: urlWith(['redis:', 'rediss:'], 'redis://').optional(),
  STRONGROOM_TLS_CERT_FILE: z.string().min(1).optional(),
  STRONGROOM_TLS_KEY_FILE: z.string().min(1).optional(),
  STRONGROOM_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(cidr)),
  STRONGROOM_SMTP_URL: urlWith(['smtp:', 'smtps:'], 'smtp:// or smtps://').optional(),
  STRONGROOM_MAIL_FROM: z.string().min(3).default('Strongroom <strongroom@localhost>'),
  STRONGROOM_AUDIT_CHECKPOINT_SECONDS: intFrom(1, 86_400).default(10),
  /** LOG-03: audit entries are kept this many days, then pruned under a signed tombstone (whole UTC days). */
  STRONGROOM_AUDIT_RETENTION_DAYS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(90, 'must be at least 90 days (LOG-03: logs are kept 90 to 180 days)')
        .max(180, 'must be at most 180 days (LOG-03: logs are kept 90 to 180 days)'),
    )
    .default(180),
  /** An outside auditor's address that receives every signed audit checkpoint (optional). */
  STRONGROOM_AUDIT_CHECKPOINT_EMAIL: z.email('must be an email address').optional(),
  /** Requests per minute no user or session may exceed, whatever their own baseline (LOG-04). */
  STRONGROOM_REQUEST_RATE_CAP: intFrom(10, 1_000_000).default(600),
  /** Seconds between audit heartbeats; three missed beats raise an alert. */
  STRONGROOM_AUDIT_HEARTBEAT_SECONDS: intFrom(10, 86_400).default(300),
  STRONGROOM_ROOT_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  STRONGROOM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STRONGROOM_SESSION_IDLE_TIMEOUT_SECONDS: intFrom(60, 86_400).default(1800),
  STRONGROOM_SESSION_ABSOLUTE_TIMEOUT_SECONDS: intFrom(300, 7 * 86_400).default(12 * 3600),
  STRONGROOM_BODY_LIMIT_BYTES: intFrom(1024, 64 * 1024 * 1024).default(1024 * 1024),
  STRONGROOM_BULK_MAX_BYTES: intFrom(1024, 64 * 1024 * 1024 * 1024).default(2 * 1024 * 1024 * 1024),
  STRONGROOM_PRIVILEGED_SESSION_IDLE_TIMEOUT_SECONDS: intFrom(60, 86_400).default(900),
  STRONGROOM_PRIVILEGED_SESSION_ABSOLUTE_TIMEOUT_SECONDS: intFrom(300, 86_400).default(8 * 3600),
  STRONGROOM_LOCKOUT_THRESHOLD: intFrom(1, 100).default(5),
  STRONGROOM_LOCKOUT_MINUTES: intFrom(1, 24 * 60).default(15),
  STRONGROOM_LOGIN_IP_MAX_FAILURES: intFrom(1, 100_000).default(100),
  STRONGROOM_LOGIN_IP_WINDOW_SECONDS: intFrom(10, 86_400).default(600),
  STRONGROOM_SIGNIN_ELEVATION_SECONDS: intFrom(0, 3600).default(600),
  STRONGROOM_STEP_UP_MAX_AGE_SECONDS: intFrom(30, 86_400).default(600),
  STRONGROOM_INACTIVITY_LOCK_DAYS: intFrom(1, 3650).default(30),
  STRONGROOM_PASSWORD_MIN_CHARACTER_CLASSES: intFrom(1, 4).default(3),
  STRONGROOM_SMS_PROVIDER_URL: urlWith(['https:', 'http:'], 'https://').optional(),
  STRONGROOM_SMS_PROVIDER_TOKEN: z.string().min(1).optional(),
  STRONGROOM_SMS_FROM: z.string().min(1).max(20).default('Strongroom'),
  STRONGROOM_RISK_MODE: z.enum(['enforce', 'monitor', 'off']).default('enforce'),
  STRONGROOM_RISK_STEP_UP_SCORE: intFrom(1, 100).default(40),
  STRONGROOM_RISK_DENY_SCORE: intFrom(1, 100).default(80),
  STRONGROOM_RISK_WEIGHTS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const out: Record<string, number> = {};
      for (const part of v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const m = /^([a-z_]{2,40})=(\d{1,3})$/.exec(part);
        if (!m || Number(m[2]) > 100) {
          ctx.addIssue({ code: 'custom', message: 'must be like ip_hosting=30,ua_headless=0 (weights 0-100)' });
          return z.NEVER;
        }
        out[m[1] as string] = Number(m[2]);
      }
      return out;
    }),
  STRONGROOM_RISK_DENIED_COUNTRIES: countryList,
  STRONGROOM_RISK_ALLOWED_COUNTRIES: countryList,
  STRONGROOM_REVEAL_QUOTAS: z
    .string()
    .default('minute=10,hour=60,day=200,week_distinct=500')
    .transform((v, ctx) => {
      const out: Record<string, number> = {};
      for (const part of v.split(',')) {
        const [k, n] = part.split('=').map((x) => x.trim());
        if (!k || !['minute', 'hour', 'day', 'week_distinct'].includes(k) || !/^\d+$/.test(n ?? '')) {
          ctx.addIssue({ code: 'custom', message: 'must be like minute=10,hour=60,day=200,week_distinct=500' });
          return z.NEVER;
        }
        out[k] = Number(n);
      }
      return out;
    }),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  readonly dataDir: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string;
    readonly trustedProxies: readonly string[];
    readonly bodyLimitBytes: number;
    readonly bulkMaxBytes: number;
  };
  readonly tls: { readonly certFile: string | undefined; readonly keyFile: string | undefined };
  readonly database: { readonly url: string | undefined };
  readonly redis: { readonly url: string | undefined };
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string };
  readonly detection: { readonly requestRateCapPerMinute: number; readonly heartbeatSeconds: number };
  readonly vault: {
    readonly revealQuotas: {
      readonly perMinute: number;
      readonly perHour: number;
      readonly perDay: number;
      readonly distinctPerWeek: number;
    };
  };
  /** IAM-14: the risk engine (docs/risk.md). */
  readonly risk: {
    readonly mode: 'enforce' | 'monitor' | 'off';
    readonly stepUpScore: number;
    readonly denyScore: number;
    readonly weights: Readonly<Record<string, number>>;
    readonly deniedCountries: readonly string[];
    readonly allowedCountries: readonly string[];
  };
  readonly sms: {
    readonly providerUrl: string | undefined;
    readonly providerToken: string | undefined;
    readonly from: string;
  };
  readonly audit: {
    readonly checkpointSeconds: number;
    readonly retentionDays: number;
    readonly checkpointEmail: string | undefined;
  };
  readonly keys: { readonly rootKeyBase64: string | undefined };
  readonly log: { readonly level: string };
  readonly session: {
    readonly idleTimeoutSeconds: number;
    readonly absoluteTimeoutSeconds: number;
    readonly privilegedIdleTimeoutSeconds: number;
    readonly privilegedAbsoluteTimeoutSeconds: number;
    readonly signInElevationSeconds: number;
    readonly stepUpMaxAgeSeconds: number;
  };
  readonly identity: {
    readonly lockoutThreshold: number;
    readonly lockoutMinutes: number;
    readonly ipMaxFailures: number;
    readonly ipWindowSeconds: number;
    readonly inactivityLockDays: number;
    readonly passwordMinCharacterClasses: number;
  };
}

export interface ConfigOverrides {
  dataDir?: string | undefined;
}

/** Parses the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  if (overrides.dataDir) picked.STRONGROOM_DATA_DIR = overrides.dataDir;
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (Boolean(e.STRONGROOM_TLS_CERT_FILE) !== Boolean(e.STRONGROOM_TLS_KEY_FILE)) {
    problems.push('STRONGROOM_TLS_CERT_FILE and STRONGROOM_TLS_KEY_FILE must be set together');
  }
  if (e.STRONGROOM_SMS_PROVIDER_URL && !e.STRONGROOM_SMS_PROVIDER_TOKEN) {
    problems.push('STRONGROOM_SMS_PROVIDER_TOKEN is required with STRONGROOM_SMS_PROVIDER_URL');
  }
  if (e.STRONGROOM_SESSION_IDLE_TIMEOUT_SECONDS > e.STRONGROOM_SESSION_ABSOLUTE_TIMEOUT_SECONDS) {
    problems.push(
      'STRONGROOM_SESSION_IDLE_TIMEOUT_SECONDS must not exceed STRONGROOM_SESSION_ABSOLUTE_TIMEOUT_SECONDS',
    );
  }
  if (e.STRONGROOM_RISK_STEP_UP_SCORE > e.STRONGROOM_RISK_DENY_SCORE) {
    problems.push('STRONGROOM_RISK_STEP_UP_SCORE must not exceed STRONGROOM_RISK_DENY_SCORE');
  }
  if (problems.length) throw new ConfigError(problems);

  const publicHost = e.STRONGROOM_HOST === '0.0.0.0' || e.STRONGROOM_HOST === '::' ? 'localhost' : e.STRONGROOM_HOST;
  const defaultPublicHost = publicHost === '127.0.0.1' ? 'localhost' : publicHost;
  return deepFreeze({
    dataDir: path.resolve(e.STRONGROOM_DATA_DIR),
    http: {
      host: e.STRONGROOM_HOST,
      port: e.STRONGROOM_PORT,
      publicUrl: (e.STRONGROOM_PUBLIC_URL ?? `https://${defaultPublicHost}:${e.STRONGROOM_PORT}`).replace(/\/$/, ''),
      trustedProxies: e.STRONGROOM_TRUSTED_PROXIES,
      bodyLimitBytes: e.STRONGROOM_BODY_LIMIT_BYTES,
      bulkMaxBytes: e.STRONGROOM_BULK_MAX_BYTES,
    },
    tls: { certFile: e.STRONGROOM_TLS_CERT_FILE, keyFile: e.STRONGROOM_TLS_KEY_FILE },
    database: { url: e.DATABASE_URL },
    redis: { url: e.REDIS_URL },
    mail: { smtpUrl: e.STRONGROOM_SMTP_URL, from: e.STRONGROOM_MAIL_FROM },
    detection: {
      requestRateCapPerMinute: e.STRONGROOM_REQUEST_RATE_CAP,
      heartbeatSeconds: e.STRONGROOM_AUDIT_HEARTBEAT_SECONDS,
    },
    vault: {
      revealQuotas: {
        perMinute: e.STRONGROOM_REVEAL_QUOTAS.minute ?? 10,
        perHour: e.STRONGROOM_REVEAL_QUOTAS.hour ?? 60,
        perDay: e.STRONGROOM_REVEAL_QUOTAS.day ?? 200,
        distinctPerWeek: e.STRONGROOM_REVEAL_QUOTAS.week_distinct ?? 500,
      },
    },
    risk: {
      mode: e.STRONGROOM_RISK_MODE,
      stepUpScore: e.STRONGROOM_RISK_STEP_UP_SCORE,
      denyScore: e.STRONGROOM_RISK_DENY_SCORE,
      weights: e.STRONGROOM_RISK_WEIGHTS,
      deniedCountries: e.STRONGROOM_RISK_DENIED_COUNTRIES,
      allowedCountries: e.STRONGROOM_RISK_ALLOWED_COUNTRIES,
    },
    sms: {
      providerUrl: e.STRONGROOM_SMS_PROVIDER_URL,
      providerToken: e.STRONGROOM_SMS_PROVIDER_TOKEN,
      from: e.STRONGROOM_SMS_FROM,
    },
    audit: {
      checkpointSeconds: e.STRONGROOM_AUDIT_CHECKPOINT_SECONDS,
      retentionDays: e.STRONGROOM_AUDIT_RETENTION_DAYS,
      checkpointEmail: e.STRONGROOM_AUDIT_CHECKPOINT_EMAIL,
    },
    keys: { rootKeyBase64: e.STRONGROOM_ROOT_KEY },
    log: { level: e.STRONGROOM_LOG_LEVEL },
    session: {
      idleTimeoutSeconds: e.STRONGROOM_SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteTimeoutSeconds: e.STRONGROOM_SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      privilegedIdleTimeoutSeconds: e.STRONGROOM_PRIVILEGED_SESSION_IDLE_TIMEOUT_SECONDS,
      privilegedAbsoluteTimeoutSeconds: e.STRONGROOM_PRIVILEGED_SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      signInElevationSeconds: e.STRONGROOM_SIGNIN_ELEVATION_SECONDS,
      stepUpMaxAgeSeconds: e.STRONGROOM_STEP_UP_MAX_AGE_SECONDS,
    },
    identity: {
      lockoutThreshold: e.STRONGROOM_LOCKOUT_THRESHOLD,
      lockoutMinutes: e.STRONGROOM_LOCKOUT_MINUTES,
      ipMaxFailures: e.STRONGROOM_LOGIN_IP_MAX_FAILURES,
      ipWindowSeconds: e.STRONGROOM_LOGIN_IP_WINDOW_SECONDS,
      inactivityLockDays: e.STRONGROOM_INACTIVITY_LOCK_DAYS,
      passwordMinCharacterClasses: e.STRONGROOM_PASSWORD_MIN_CHARACTER_CLASSES,
    },
  });
}

/** Names and meanings of every variable, for `strongroom help` and the README. */
export const configVariables = Object.keys(envSchema.shape);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
