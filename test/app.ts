/**
 * A real app on a real database for HTTP tests through `inject`: a temporary data directory, a captured log
 * (so tests can grep it for secrets), a manual clock, and helpers that sign in as a real user would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { type Core, createCore } from '../src/core.ts';
import { totpCode } from '../src/modules/identity/index.ts';
import { manualClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createTestDb, type TestDb } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  core: Core;
  testDb: TestDb;
  clock: ReturnType<typeof manualClock>;
  logText(): string;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-app-'));
  const testDb = await createTestDb();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const clock = manualClock(new Date());
  const config = loadConfig({ STRONGROOM_LOG_LEVEL: 'info', ...env }, { dataDir });
  const core = await createCore(config, { db: testDb.db, clock, logger: createLogger('info', sink) });
  const app = await buildApp(core, { webDir: path.join(dataDir, 'no-web') });
  await app.ready();
  return {
    app,
    core,
    testDb,
    clock,
    logText: () => lines.join(''),
    async close() {
      await app.close();
      await testDb.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const STRONG_PASSWORD = 'Correct-Horse-Battery-9';

export interface SignedIn {
  userId: string;
  cookie: string;
  csrf: string;
}

/** Creates an owner as `init` would and returns its TOTP secret. */
export async function createOwner(t: TestApp, email = 'owner@example.test', password = STRONG_PASSWORD) {
  const { userId, totpSecret } = await t.core.identity.createFirstOwner({ email, name: 'Owner', password });
  return { userId, totpSecret, email, password };
}

export function sessionCookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === '__Host-strongroom_session');
  if (!c) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `${c.name}=${c.value}`;
}

/** Password then TOTP, advancing the clock one step first so the code is never a reuse of the last one. */
export async function signIn(
  t: TestApp,
  who: { email: string; password: string; totpSecret: string },
): Promise<SignedIn> {
  t.clock.advance(30_000);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: who.email, password: who.password },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const mfa = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa',
    payload: { challengeId: login.json().challengeId, method: 'totp', code: totpCode(who.totpSecret, t.clock.now()) },
  });
  if (mfa.statusCode !== 200) throw new Error(`mfa failed: ${mfa.body}`);
  return { userId: mfa.json().user.id, cookie: sessionCookieOf(mfa), csrf: mfa.json().csrfToken };
}

export function api(t: TestApp) {
  const headers = (s?: SignedIn) => (s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {});
  return {
    post: (url: string, payload?: unknown, s?: SignedIn) =>
      t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: headers(s) }),
    get: (url: string, s?: SignedIn) => t.app.inject({ method: 'GET', url, headers: headers(s) }),
    del: (url: string, s?: SignedIn) => t.app.inject({ method: 'DELETE', url, headers: headers(s) }),
  };
}

/**
 * A user created by `creator`, approved (by `approver`, or the host operator while bootstrapping), enrolled
 * through the link with a fresh TOTP secret — the whole four-eyes path a real account takes.
 */
export async function createEnrolledUser(
  t: TestApp,
  creator: SignedIn,
  opts: { email: string; roles: string[]; approver?: SignedIn; password?: string },
) {
  const http = api(t);
  const created = await http.post(
    '/api/v1/users',
    { email: opts.email, name: 'Test Person', roles: opts.roles },
    creator,
  );
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  const id = created.json().id as string;
  if (opts.approver) {
    const ok = await http.post(`/api/v1/users/${id}/approve`, undefined, opts.approver);
    if (ok.statusCode !== 200) throw new Error(`approve failed: ${ok.body}`);
  } else {
    await t.core.identity.approveUser({ type: 'host_operator' }, id);
  }
  const link = await http.post(`/api/v1/users/${id}/enrollment-link`, undefined, creator);
  if (link.statusCode !== 201) throw new Error(`link failed: ${link.body}`);
  const token = link.json().token as string;
  const start = await http.post('/api/v1/enrollment/start', { token });
  const totpSecret = start.json().totpSecret as string;
  const password = opts.password ?? STRONG_PASSWORD;
  const done = await http.post('/api/v1/enrollment/complete', {
    token,
    password,
    totpCode: totpCode(totpSecret, t.clock.now()),
  });
  if (done.statusCode !== 200) throw new Error(`enrol failed: ${done.body}`);
  return { userId: id, email: opts.email, password, totpSecret };
}
