/**
 * SQL of the risk engine. The features of one assessment come in ONE round trip: the account (identity.users,
 * access.role_assignments), counts over the audit log (the same source of truth detection reads, through its
 * indexes), the sign-in profile, the session's sign-in facts, and the imported lists. The engine reads other
 * modules' tables and never writes them.
 */
import type { Queryable, Tx } from '../../platform/db/db.ts';
import type { AccountFacts, Counts, Fired, Profile, RevealFacts, SessionFacts, Stage } from './indicators.ts';

interface FeatureRow {
  created_at: Date;
  last_login_at: Date | null;
  enrolled_at: Date | null;
  departure_at: Date | null;
  roles: string[] | null;
  profile: Record<string, unknown> | null;
  account_failures: string | number;
  ip_failures: string | number;
  ip_accounts: string | number | null;
  recent_verifications: string | number | null;
  refused_calls: string | number;
  recovery_used_at: Date | string | null;
  mfa_changed_at: Date | string | null;
  password_changed_at: Date | string | null;
  lock_event_at: Date | string | null;
  ip_blocked_before: boolean;
  lists: string[];
  session: Record<string, unknown> | null;
  open_demand_at: Date | string | null;
  reveal: Record<string, unknown> | null;
}

const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

export interface FeatureQuery {
  stage: Stage;
  userId: string;
  ipHash: string;
  /** A valid address for the list match, or null. */
  ip: string | null;
  now: Date;
  sessionId?: string | undefined;
  ownerId?: string | undefined;
  purpose?: string | undefined;
}

export interface LoadedFeatures {
  account: AccountFacts;
  profile: Profile;
  counts: Counts;
  session?: SessionFacts | undefined;
  reveal?: RevealFacts | undefined;
  /** reveal: the latest step-up demand of this session in the last 10 minutes */
  openDemandAt: Date | null;
}

export function emptyProfile(): Profile {
  return {
    signIns: 0,
    countries: {},
    asns: {},
    uaClasses: {},
    devices: {},
    cells: {},
    hours: Array(24).fill(0),
    last: null,
  };
}

export function profileFromRow(r: Record<string, unknown> | null): Profile {
  if (!r) return emptyProfile();
  return {
    signIns: Number(r.sign_ins ?? 0),
    countries: (r.countries as Record<string, number>) ?? {},
    asns: (r.asns as Record<string, number>) ?? {},
    uaClasses: (r.clients as Record<string, number>) ?? {},
    devices: (r.devices as Record<string, string>) ?? {},
    cells: (r.cells as Record<string, number>) ?? {},
    hours: ((r.hours as number[]) ?? Array(24).fill(0)).map(Number),
    last: r.last_at
      ? {
          at: new Date(r.last_at as string),
          lat: r.last_lat === null || r.last_lat === undefined ? null : Number(r.last_lat),
          lon: r.last_lon === null || r.last_lon === undefined ? null : Number(r.last_lon),
          country: (r.last_country as string | null) ?? null,
        }
      : null,
  };
}

const LOGIN_FAILURES = `'{auth.login.failed,auth.mfa.failed,auth.step_up.failed}'::text[]`;

export async function loadFeatures(q: Queryable, f: FeatureQuery): Promise<LoadedFeatures | undefined> {
  const isReveal = f.stage === 'reveal';
  // only what the stage's indicators read: a reveal skips the sign-in-only counts (it is the hot path)
  const login = (sql: string, as: string) => (isReveal ? `NULL AS ${as}` : `${sql} AS ${as}`);
  const { rows } = await q.query<FeatureRow>(
    `SELECT u.created_at, u.last_login_at, u.enrolled_at, u.departure_at,
       ${login(`(SELECT coalesce(array_agg(role), '{}') FROM access.role_assignments WHERE user_id = u.id)`, 'roles')},
       ${login('(SELECT to_jsonb(p) FROM risk.profiles p WHERE p.user_id = u.id)', 'profile')},
       (SELECT count(*) FROM audit.all_entries WHERE actor_id = u.id AND action = ANY(${LOGIN_FAILURES})
           AND at > $3::timestamptz - interval '1 hour') AS account_failures,
       (SELECT count(*) FROM audit.all_entries WHERE ip_hash = $2 AND action IN ('auth.login.failed', 'auth.mfa.failed')
           AND at > $3::timestamptz - interval '1 hour') AS ip_failures,
       ${login(
         `(SELECT count(DISTINCT coalesce(target_id, actor_id::text)) FROM audit.all_entries
            WHERE ip_hash = $2 AND action = 'auth.login.failed' AND at > $3::timestamptz - interval '1 hour')`,
         'ip_accounts',
       )},
       ${login(
         `(SELECT count(*) FROM audit.all_entries WHERE actor_id = u.id AND action = 'auth.login.password_verified'
            AND at > $3::timestamptz - interval '10 minutes')`,
         'recent_verifications',
       )},
       (SELECT count(*) FROM audit.all_entries WHERE actor_id = u.id AND action IN ('access.denied', 'auth.csrf.rejected')
           AND at > $3::timestamptz - interval '1 hour') AS refused_calls,
       ${login(
         `(SELECT max(at) FROM audit.all_entries WHERE actor_id = u.id AND action = 'auth.mfa.recovery_code_used'
            AND at > $3::timestamptz - interval '7 days')`,
         'recovery_used_at',
       )},
       ${login(
         `(SELECT max(at) FROM audit.all_entries
            WHERE action IN ('identity.mfa.enrolled', 'identity.mfa.removed', 'identity.mfa.recovery_codes_generated')
              AND (actor_id = u.id OR target_id = u.id::text) AND at > $3::timestamptz - interval '72 hours')`,
         'mfa_changed_at',
       )},
       ${login(
         `(SELECT max(at) FROM audit.all_entries WHERE action = 'identity.password.set' AND details->>'via' IN ('change', 'reset')
            AND (actor_id = u.id OR target_id = u.id::text) AND at > $3::timestamptz - interval '72 hours')`,
         'password_changed_at',
       )},
       ${login(
         `(SELECT max(at) FROM audit.all_entries WHERE action IN ('identity.account.locked', 'identity.account.unlocked')
            AND target_id = u.id::text AND at > $3::timestamptz - interval '7 days')`,
         'lock_event_at',
       )},
       EXISTS (SELECT 1 FROM audit.all_entries WHERE action = 'detection.ip.blocked' AND target_id = $2) AS ip_blocked_before,
       (SELECT coalesce(array_agg(DISTINCT list), '{}') FROM risk.list_entries
         WHERE $4::inet IS NOT NULL AND range >>= $4::inet) AS lists,
       ${
         isReveal
           ? `(SELECT to_jsonb(s) || jsonb_build_object('login_score', a.score, 'login_decision', a.decision)
                 FROM risk.sessions s LEFT JOIN risk.assessments a ON a.id = s.assessment_id
                WHERE s.session_id = $5) AS session,
              (SELECT max(at) FROM risk.assessments WHERE session_id = $5 AND stage = 'reveal' AND outcome = 'challenged'
                  AND at > $3::timestamptz - interval '10 minutes') AS open_demand_at,
              (WITH rv AS (
                 SELECT at, details->>'ownerId' AS owner, details->>'purpose' AS purpose FROM audit.all_entries
                  WHERE actor_id = u.id AND action = 'vault.record.revealed' AND at > $3::timestamptz - interval '30 days'),
               hourly AS (
                 SELECT date_trunc('hour', at) AS h, count(*) AS n FROM rv
                  WHERE at > $3::timestamptz - interval '14 days' AND at <= $3::timestamptz - interval '1 hour' GROUP BY 1)
               SELECT jsonb_build_object(
                 'last_hour', (SELECT count(*) FROM rv WHERE at > $3::timestamptz - interval '1 hour'),
                 'last_two_minutes', (SELECT count(*) FROM rv WHERE at > $3::timestamptz - interval '2 minutes'),
                 'mean', (SELECT coalesce(avg(n), 0) FROM hourly),
                 'sd', (SELECT coalesce(stddev_pop(n), 0) FROM hourly),
                 'active_hours', (SELECT count(*) FROM hourly),
                 'total_14d', (SELECT count(*) FROM rv WHERE at > $3::timestamptz - interval '14 days'),
                 'hours_seen', (SELECT coalesce(jsonb_agg(DISTINCT extract(hour FROM at AT TIME ZONE 'UTC')::int), '[]')
                                  FROM rv WHERE at > $3::timestamptz - interval '14 days'),
                 'any_before', EXISTS (SELECT 1 FROM rv),
                 'owner_before', EXISTS (SELECT 1 FROM rv WHERE owner = $6),
                 'purpose_before', EXISTS (SELECT 1 FROM rv WHERE purpose = $7),
                 'owners_24h', (SELECT count(DISTINCT owner) FROM rv WHERE at > $3::timestamptz - interval '24 hours')
               )) AS reveal`
           : 'NULL::jsonb AS session, NULL::timestamptz AS open_demand_at, NULL::jsonb AS reveal'
       }
     FROM identity.users u WHERE u.id = $1`,
    isReveal
      ? [f.userId, f.ipHash, f.now, f.ip, f.sessionId ?? null, f.ownerId ?? null, f.purpose ?? null]
      : [f.userId, f.ipHash, f.now, f.ip],
  );
  const r = rows[0];
  if (!r) return undefined;
  const s = r.session;
  const rv = r.reveal;
  return {
    account: {
      createdAt: new Date(r.created_at),
      lastLoginAt: toDate(r.last_login_at),
      enrolledAt: toDate(r.enrolled_at),
      departureAt: toDate(r.departure_at),
      roles: r.roles ?? [],
    },
    profile: profileFromRow(r.profile),
    counts: {
      accountFailures: Number(r.account_failures),
      ipFailures: Number(r.ip_failures),
      ipAccounts: Number(r.ip_accounts ?? 0),
      recentVerifications: Number(r.recent_verifications ?? 0),
      refusedCalls: Number(r.refused_calls),
      recoveryUsedAt: toDate(r.recovery_used_at),
      mfaChangedAt: toDate(r.mfa_changed_at),
      passwordChangedAt: toDate(r.password_changed_at),
      lockEventAt: toDate(r.lock_event_at),
      ipBlockedBefore: Boolean(r.ip_blocked_before),
      lists: r.lists ?? [],
    },
    session: s
      ? {
          ipHash: (s.ip_hash as string | null) ?? null,
          uaClass: (s.client_class as string | null) ?? null,
          deviceHash: (s.device_hash as string | null) ?? null,
          country: (s.country as string | null) ?? null,
          loginScore: s.login_score === null || s.login_score === undefined ? null : Number(s.login_score),
          // the session exists, so a sign-in that was stepped up was answered with the strongest factor
          loginAnswered: s.login_decision === 'step_up',
        }
      : undefined,
    reveal: rv
      ? {
          lastHour: Number(rv.last_hour),
          lastTwoMinutes: Number(rv.last_two_minutes),
          baseline: { mean: Number(rv.mean), sd: Number(rv.sd), activeHours: Number(rv.active_hours) },
          total14d: Number(rv.total_14d),
          hoursSeen: (rv.hours_seen as number[]).map(Number),
          anyBefore: Boolean(rv.any_before),
          ownerBefore: Boolean(rv.owner_before),
          purposeBefore: Boolean(rv.purpose_before),
          distinctOwners24h: Number(rv.owners_24h),
        }
      : undefined,
    openDemandAt: toDate(r.open_demand_at),
  };
}

export interface AssessmentRow {
  id: string;
  at: Date;
  stage: Stage;
  userId: string;
  sessionId: string | null;
  challengeId: string | null;
  requestId: string | null;
  ipHash: string | null;
  country: string | null;
  asn: number | null;
  clientClass: string;
  score: number;
  decision: 'allow' | 'step_up' | 'deny';
  outcome: 'allowed' | 'challenged' | 'step_up_satisfied' | 'denied' | 'monitored';
  enforced: boolean;
  methods: string[] | null;
  thresholds: { stepUp: number; deny: number };
  /** The fired indicators; new rows also carry factor, weight and points as scored then. */
  indicators: (Fired & { factor?: string; weight?: number; points?: number })[];
}

export async function insertAssessment(q: Queryable, a: AssessmentRow): Promise<void> {
  await q.query(
    `INSERT INTO risk.assessments (id, at, stage, user_id, session_id, challenge_id, request_id, ip_hash, country, asn,
                                   client_class, score, decision, outcome, enforced, methods, thresholds, indicators)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      a.id,
      a.at,
      a.stage,
      a.userId,
      a.sessionId,
      a.challengeId,
      a.requestId,
      a.ipHash,
      a.country,
      a.asn,
      a.clientClass,
      a.score,
      a.decision,
      a.outcome,
      a.enforced,
      a.methods,
      JSON.stringify(a.thresholds),
      JSON.stringify(a.indicators),
    ],
  );
}

const COLUMNS = `id, at, stage, user_id, session_id, challenge_id, request_id, ip_hash, country, asn, client_class, score,
                 decision, outcome, enforced, methods, thresholds, indicators`;

function fromRow(r: Record<string, unknown>): AssessmentRow {
  return {
    id: r.id as string,
    at: new Date(r.at as string),
    stage: r.stage as Stage,
    userId: r.user_id as string,
    sessionId: (r.session_id as string | null) ?? null,
    challengeId: (r.challenge_id as string | null) ?? null,
    requestId: (r.request_id as string | null) ?? null,
    ipHash: (r.ip_hash as string | null) ?? null,
    country: (r.country as string | null) ?? null,
    asn: r.asn === null || r.asn === undefined ? null : Number(r.asn),
    clientClass: r.client_class as string,
    score: Number(r.score),
    decision: r.decision as AssessmentRow['decision'],
    outcome: r.outcome as AssessmentRow['outcome'],
    enforced: Boolean(r.enforced),
    methods: (r.methods as string[] | null) ?? null,
    thresholds: r.thresholds as AssessmentRow['thresholds'],
    indicators: r.indicators as Fired[],
  };
}

export interface ListFilter {
  userId?: string | undefined;
  stage?: Stage | undefined;
  decision?: AssessmentRow['decision'] | undefined;
  requestId?: string | undefined;
  sessionId?: string | undefined;
  before?: Date | undefined;
  limit: number;
}

export async function listAssessments(q: Queryable, f: ListFilter): Promise<AssessmentRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.userId) add('user_id = ?', f.userId);
  if (f.stage) add('stage = ?', f.stage);
  if (f.decision) add('decision = ?', f.decision);
  if (f.requestId) add('request_id = ?', f.requestId);
  if (f.sessionId) add('session_id = ?', f.sessionId);
  if (f.before) add('at < ?', f.before);
  params.push(f.limit);
  const { rows } = await q.query(
    `SELECT ${COLUMNS} FROM risk.assessments ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY at DESC, id LIMIT $${params.length}`,
    params,
  );
  return rows.map(fromRow);
}

export async function getAssessment(q: Queryable, id: string): Promise<AssessmentRow | undefined> {
  const { rows } = await q.query(`SELECT ${COLUMNS} FROM risk.assessments WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Assessments since `since`, oldest first, in pages (replay over 30 days never holds them all at once). */
export async function* assessmentsSince(q: Queryable, since: Date, page = 2000) {
  let afterAt = since;
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await q.query<{ id: string; at: Date; score: number; decision: string; indicators: Fired[] }>(
      `SELECT id, at, score, decision, indicators FROM risk.assessments
        WHERE (at, id) > ($1, $2::uuid) ORDER BY at, id LIMIT $3`,
      [afterAt, afterId, page],
    );
    for (const r of rows) yield r;
    const last = rows[rows.length - 1];
    if (!last || rows.length < page) return;
    afterAt = new Date(last.at);
    afterId = last.id;
  }
}

export async function loginAssessmentOfChallenge(q: Queryable, challengeId: string) {
  const { rows } = await q.query<{ id: string; methods: string[] | null }>(
    `SELECT id, methods FROM risk.assessments WHERE challenge_id = $1 AND stage = 'login'`,
    [challengeId],
  );
  return rows[0];
}

export async function bindSession(
  tx: Tx,
  s: {
    sessionId: string;
    userId: string;
    assessmentId: string | null;
    ipHash: string;
    clientClass: string;
    deviceHash: string;
    country: string | null;
    at: Date;
  },
): Promise<void> {
  if (s.assessmentId)
    await tx.query('UPDATE risk.assessments SET session_id = $1 WHERE id = $2', [s.sessionId, s.assessmentId]);
  await tx.query(
    `INSERT INTO risk.sessions (session_id, user_id, assessment_id, ip_hash, client_class, device_hash, country, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (session_id) DO NOTHING`,
    [s.sessionId, s.userId, s.assessmentId, s.ipHash, s.clientClass, s.deviceHash, s.country, s.at],
  );
}

export async function lockProfile(tx: Tx, userId: string, at: Date): Promise<Profile> {
  await tx.query(`INSERT INTO risk.profiles (user_id, updated_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`, [
    userId,
    at,
  ]);
  const { rows } = await tx.query('SELECT * FROM risk.profiles WHERE user_id = $1 FOR UPDATE', [userId]);
  return profileFromRow(rows[0] ?? null);
}

export async function saveProfile(tx: Tx, userId: string, p: Profile, at: Date): Promise<void> {
  await tx.query(
    `UPDATE risk.profiles SET sign_ins = $2, countries = $3, asns = $4, clients = $5, devices = $6, cells = $7,
            hours = $8, last_at = $9, last_lat = $10, last_lon = $11, last_country = $12, updated_at = $13
      WHERE user_id = $1`,
    [
      userId,
      p.signIns,
      JSON.stringify(p.countries),
      JSON.stringify(p.asns),
      JSON.stringify(p.uaClasses),
      JSON.stringify(p.devices),
      JSON.stringify(p.cells),
      p.hours,
      p.last?.at ?? null,
      p.last?.lat ?? null,
      p.last?.lon ?? null,
      p.last?.country ?? null,
      at,
    ],
  );
}

export async function replaceList(
  tx: Tx,
  l: { list: 'tor' | 'threat'; cidrs: string[]; sha256: string; at: Date; by: string | null; via: 'api' | 'cli' },
): Promise<{ replaced: boolean }> {
  const prev = await tx.query('SELECT 1 FROM risk.lists WHERE list = $1 FOR UPDATE', [l.list]);
  await tx.query('DELETE FROM risk.list_entries WHERE list = $1', [l.list]);
  await tx.query(
    `INSERT INTO risk.lists (list, entries, sha256, imported_at, imported_by, via) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (list) DO UPDATE SET entries = $2, sha256 = $3, imported_at = $4, imported_by = $5, via = $6`,
    [l.list, l.cidrs.length, l.sha256, l.at, l.by, l.via],
  );
  for (let i = 0; i < l.cidrs.length; i += 5000) {
    await tx.query(`INSERT INTO risk.list_entries (list, range) SELECT $1, unnest($2::cidr[])`, [
      l.list,
      l.cidrs.slice(i, i + 5000),
    ]);
  }
  return { replaced: prev.rows.length > 0 };
}

export async function listLists(q: Queryable) {
  const { rows } = await q.query<{
    list: string;
    entries: number;
    sha256: string;
    imported_at: Date;
    imported_by: string | null;
    via: string;
  }>('SELECT list, entries, sha256, imported_at, imported_by, via FROM risk.lists ORDER BY list');
  return rows.map((r) => ({
    list: r.list as 'tor' | 'threat',
    entries: Number(r.entries),
    sha256: r.sha256,
    importedAt: new Date(r.imported_at).toISOString(),
    importedBy: r.imported_by,
    via: r.via as 'api' | 'cli',
  }));
}
