/**
 * Detection and response in Chromium against `npm start` on a fresh data directory (LOG-04, LOG-05, LOG-06,
 * NET-02, IAM-15, INC-03): owner A sets up Strongroom; owner B and analysts C and D join (through the API, as the
 * team journey does it through the screens). C makes three calls C may not make: the rule locks C, blocks C's
 * address and raises an alert. A finds it in the Alerts queue (nav badge), reads why it fired, acknowledges
 * and resolves it with a review note; lifts the address block; replays a rule change over 30 days and saves
 * it as a new version; engages a lock-down (red banner on every page, analyst D's too, whose screens make
 * no refused call), asks to lift it, and B confirms; adds an alert webhook (secret shown once).
 * Screenshots: e2e/artifacts/60-… to 69-… and 90-… to 99-… (70-89 belong to the risk and audit journeys).
 *
 * C reaches the server through a trusted proxy (`X-Forwarded-For`), so the address the rule blocks is C's and
 * not the 127.0.0.1 every browser here shares.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type APIRequestContext, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type StartedServer, startServer } from './server.ts';
import { completeSetup, newContext, Person, quiet, signIn, signInApi } from './support/journey.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..');
const C_ADDRESS = '10.20.30.40';

const A = new Person('ada.owner@example.test', 'Ada Owner', 'Vault-Keeper-Alpha-7');
const B = new Person('bruno.owner@example.test', 'Bruno Second', 'Second-Keeper-Bravo-8');
const C = new Person('cora.analyst@example.test', 'Cora Analyst', 'Analyst-Desk-Charlie-9');
/** An analyst who only watches: the red banner reaches her too, and her screens make no call she may not make. */
const D = new Person('dina.analyst@example.test', 'Dina Analyst', 'Analyst-Desk-Delta-10');
const RULE_TITLE = 'Repeated refused (403) calls by a signed-in user';

let server: StartedServer;
let ctxA: BrowserContext;
let ctxB: BrowserContext;
let ctxC: BrowserContext;
let ctxD: BrowserContext;
let pageA: Page;
let pageB: Page;
let pageD: Page;
/** Every answer D's browser got with status 403 (a refused call counts towards the rule that locks her). */
const refusedForD: string[] = [];
let alertId = '';

/**
 * From the top (a full-page capture of a scrolled page paints the fixed header halfway down), once dialogs have
 * finished fading in. `tall` captures a taller window instead: a drawer scrolls inside the window, not the page.
 */
async function shot(page: Page, name: string, tall = false) {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.mouse.move(0, 899); // no tooltip left open by the last click
  await page.waitForTimeout(350);
  if (!tall) {
    await page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
    return;
  }
  await page.setViewportSize({ width: 1366, height: 1800 });
  await page.waitForTimeout(350);
  await page.screenshot({ path: `e2e/artifacts/${name}.png` });
  await page.setViewportSize({ width: 1366, height: 900 });
}
const url = (p: string) => `${server.baseUrl}${p}`;

test.beforeAll(async ({ browser }) => {
  // C's browser sends X-Forwarded-For; the server believes it only from this machine.
  server = await startServer({ STRONGROOM_TRUSTED_PROXIES: '127.0.0.1/32,::1/128' });
  const open = async (headers?: Record<string, string>) => newContext(browser, { extraHTTPHeaders: headers });
  ctxA = await open();
  ctxB = await open();
  ctxC = await open({ 'X-Forwarded-For': C_ADDRESS });
  ctxD = await open();
  pageA = await ctxA.newPage();
  pageB = await ctxB.newPage();
  pageD = await ctxD.newPage();
  pageD.on('response', (r) => {
    if (r.status() === 403) refusedForD.push(r.url());
  });
});

test.afterAll(async () => {
  for (const ctx of [ctxA, ctxB, ctxC, ctxD]) await ctx?.close();
  await server?.stop();
});

async function call(request: APIRequestContext, who: Person, method: 'POST' | 'GET', p: string, data?: unknown) {
  const res = await request.fetch(url(p), { method, data, headers: { 'X-CSRF-Token': who.csrf } });
  return { status: res.status(), body: await res.json().catch(() => undefined) };
}

/** Created by A (elevated at sign-in), approved by `approver` or the host operator, enrolled through the API. */
async function join(who: Person, role: string, approver?: Person) {
  const created = await call(ctxA.request, A, 'POST', '/api/v1/users', {
    email: who.email,
    name: who.name,
    roles: [role],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  who.id = created.body.id;
  if (approver) {
    const approved = await call(ctxB.request, approver, 'POST', `/api/v1/users/${who.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  } else {
    await run(process.execPath, ['src/main.ts', 'users', 'approve', '--id', who.id, '--data-dir', server.dataDir], {
      cwd: repoRoot,
      timeout: 60_000,
    });
  }
  const link = await call(ctxA.request, A, 'POST', `/api/v1/users/${who.id}/enrollment-link`);
  expect(link.status).toBe(201);
  const anonymous = await ctxA.request.post(url('/api/v1/enrollment/start'), { data: { token: link.body.token } });
  who.secret = (await anonymous.json()).totpSecret;
  const done = await ctxA.request.post(url('/api/v1/enrollment/complete'), {
    data: { token: link.body.token, password: who.password, totpCode: await who.nextCode() },
  });
  expect(done.status(), await done.text()).toBe(200);
}

test.describe
  .serial('detection and response: alerts, blocks, rules with replay, lock-down, webhooks', () => {
    test.setTimeout(180_000);

    test('owner A sets up; owner B and analysts C and D join', async () => {
      expect(server.setupLink).toBeTruthy();
      await completeSetup(pageA, server.setupLink as string, A);
      await signIn(pageA, server.baseUrl, A);
      A.csrf = (await (await ctxA.request.get(url('/api/v1/me'))).json()).csrfToken;

      await join(B, 'owner');
      await signInApi(ctxB.request, server.baseUrl, B);
      await join(C, 'analyst', B);
      await join(D, 'analyst', B);

      // an owner sees the detection screens; the queue is empty and says what to do
      const nav = pageA.getByRole('navigation', { name: 'Main navigation' });
      for (const item of ['Alerts', 'Blocks and locks', 'Detection rules', 'Lock-down', 'Webhooks']) {
        await expect(nav.getByRole('link', { name: item })).toBeVisible();
      }
      await pageA.goto(url('/alerts'));
      await expect(pageA.getByText('No unresolved alerts')).toBeVisible();
      await shot(pageA, '60-alerts-empty');
    });

    test('LOG-05: three refused calls by analyst C raise an alert that A finds in the queue', async () => {
      await signInApi(ctxC.request, server.baseUrl, C);
      for (let i = 0; i < 3; i++) {
        const refused = await ctxC.request.get(url('/api/v1/users'));
        expect(refused.status()).toBe(403);
        expect((await refused.json()).error.code).toBe('access.denied');
      }
      // the response is at once: C's address is blocked on the very next request
      const next = await ctxC.request.get(url('/api/v1/me'));
      expect((await next.json()).error.code).toBe('security.ip_blocked');

      await pageA.goto(url('/'));
      await expect(pageA.getByTestId('nav-alerts')).toContainText('1', { timeout: 35_000 });
      await pageA.getByTestId('nav-alerts').click();
      await expect(pageA).toHaveURL(url('/alerts'));
      const row = pageA.getByTestId('alerts-table').locator('tr[data-rule="unauthorized-calls"]');
      await expect(row).toHaveCount(1, { timeout: 35_000 });
      await expect(row).toContainText(RULE_TITLE);
      await expect(row).toContainText('High');
      await expect(row).toContainText(C.name);
      await expect(row).toContainText('Open');
      await expect(row).toContainText('Account locked');
      await expect(row).toContainText('Address blocked');
      await expect(row).toContainText('3 hits in 300 s');
      await expect(pageA.getByTestId('alerts-summary')).toContainText('1 open');
      alertId = (await row.getAttribute('data-alert-id')) as string;

      // the filters live in the URL
      await pageA.getByLabel('Severity').selectOption('critical');
      await expect(pageA).toHaveURL(/\/alerts\?severity=critical$/);
      await expect(pageA.getByText('No alerts match these filters')).toBeVisible();
      await pageA.getByRole('button', { name: 'Clear filters' }).first().click();
      await expect(row).toBeVisible();
      await shot(pageA, '61-alerts-queue');
    });

    test('LOG-06: the alert says why it fired; A acknowledges it, then resolves it with a review note', async () => {
      await pageA.getByRole('link', { name: RULE_TITLE }).click();
      await expect(pageA).toHaveURL(url(`/alerts/${alertId}`));
      await expect(pageA.getByRole('heading', { name: RULE_TITLE })).toBeVisible();
      await expect(pageA.getByText('Rule unauthorized-calls version 1')).toBeVisible();
      await expect(pageA.getByTestId('alert-observed')).toHaveText('3');
      await expect(pageA.getByTestId('alert-limit')).toHaveText('3');
      await expect(pageA.getByTestId('alert-explanation')).toContainText('3 hits in 300 s (threshold 3)');
      await expect(pageA.getByLabel('Signed checkpoint when raised')).toHaveValue(/^\d+:[0-9a-f]{64}$/);
      const trigger = pageA.getByTestId('alert-timeline').locator('tr[data-trigger]');
      await expect(trigger).toHaveCount(1);
      await expect(trigger).toContainText('access.denied');
      await expect(trigger).toContainText('Trigger');
      await expect(pageA.getByTestId('alert-timeline')).toContainText('detection.ip.blocked');
      await shot(pageA, '62-alert-detail');

      await pageA.getByRole('button', { name: 'Acknowledge', exact: true }).click();
      await expect(pageA.getByText('Alert acknowledged')).toBeVisible();
      await expect(pageA.getByRole('button', { name: 'Acknowledge', exact: true })).toHaveCount(0);
      await expect(pageA.locator('[data-status="acknowledged"]').first()).toBeVisible();

      const resolve = pageA.getByRole('form', { name: 'Resolve the alert' });
      await resolve.getByLabel('Review note').fill('Checked');
      await resolve.getByRole('button', { name: 'Resolve alert' }).click();
      await expect(resolve.getByText('Write at least 10 characters')).toBeVisible();
      await quiet(pageA);
      await shot(pageA, '63-alert-resolve-note-required');
      await resolve
        .getByLabel('Review note')
        .fill('Cora tried the users list three times after a role change; confirmed with her manager, keep locked.');
      await resolve.getByRole('button', { name: 'Resolve alert' }).click();
      await expect(pageA.getByTestId('alert-resolved')).toContainText(A.name);
      await expect(pageA.locator('[data-status="resolved"]').first()).toBeVisible();
      await quiet(pageA);
      await shot(pageA, '64-alert-resolved');

      await pageA.getByRole('link', { name: 'Alerts', exact: true }).first().click();
      await expect(pageA.getByText('No unresolved alerts')).toBeVisible();
      await pageA.getByLabel('Status').selectOption('resolved');
      await expect(pageA.getByTestId('alerts-table').locator(`tr[data-alert-id="${alertId}"]`)).toContainText(
        'Resolved',
      );
    });

    test('NET-02: the blocked address and the locked account are listed; A lifts the block after a confirmation', async () => {
      await pageA.goto(url('/security/blocks'));
      const block = pageA.getByTestId('blocks-table').locator('tbody tr');
      await expect(block).toHaveCount(1);
      await expect(block).toContainText('Blocked');
      await expect(block).toContainText('1 · 1 h');
      await expect(block).toContainText(RULE_TITLE);
      const locked = pageA.getByTestId('locked-users-table').locator(`tr[data-email="${C.email}"]`);
      await expect(locked).toContainText(C.name);
      await expect(locked.getByRole('link', { name: RULE_TITLE })).toHaveAttribute('href', `/alerts/${alertId}`);
      await expect(locked.getByRole('link', { name: C.name, exact: true })).toHaveAttribute('href', `/users/${C.id}`);
      await shot(pageA, '65-blocks');

      await block.getByRole('button', { name: /^Lift the block on / }).click();
      const confirm = pageA.getByRole('dialog', { name: /^Lift the block on address / });
      await expect(confirm).toContainText('the next block lasts longer (4 h)');
      await shot(pageA, '66-block-lift-confirm');
      await confirm.getByRole('button', { name: 'Lift block' }).click();
      await expect(confirm).toBeHidden();
      await expect(pageA.getByText('No address is blocked now')).toBeVisible();
      await pageA.getByText(/^All, with lifted and expired/).click();
      await expect(block).toContainText('Lifted');
      // C's address is let in again (the account stays locked: it answers 401 now, not 403)
      expect((await ctxC.request.get(url('/api/v1/me'))).status()).toBe(401);
    });

    test('IAM-15: a rule change is replayed over 30 days, warned as weakening, and saved as a new version', async () => {
      await pageA.goto(url('/security/rules'));
      const row = pageA.getByTestId('rules-table').locator('tr[data-rule="unauthorized-calls"]');
      await expect(row).toContainText('3 in 5 min per user');
      await expect(row).toContainText('Lock account');
      await expect(row).toContainText('Block address');
      await expect(row).toContainText('Enforced');
      await shot(pageA, '67-rules');

      await row.getByRole('button', { name: RULE_TITLE }).click();
      await expect(pageA).toHaveURL(/\/security\/rules\?rule=unauthorized-calls$/);
      const drawer = pageA.getByTestId('rule-drawer');
      await expect(drawer).toContainText('access.denied');
      await expect(drawer.getByTestId('rule-history')).toContainText('The built-in defaults');
      await drawer.getByLabel('Threshold (hits)').fill('5');
      await drawer.getByRole('checkbox', { name: 'Block address' }).uncheck();
      const warning = drawer.getByTestId('rule-weakening');
      await expect(warning).toContainText('Threshold raised from 3 to 5');
      await expect(warning).toContainText('Responses removed: Block address');
      await drawer.getByRole('button', { name: 'Replay last 30 days' }).click();
      await expect(drawer.getByTestId('replay-current-fires')).toHaveText('1');
      await expect(drawer.getByTestId('replay-proposed-fires')).toHaveText('0');
      await expect(drawer.getByTestId('replay-delta')).toHaveText('−1');
      await expect(drawer.getByTestId('replay-chart').locator('svg')).toBeVisible();
      await shot(pageA, '68-rule-replay', true);

      await drawer.getByRole('button', { name: 'Save as version 2' }).click();
      const confirm = pageA.getByRole('dialog', { name: `Save “${RULE_TITLE}” as version 2?` });
      await expect(confirm).toContainText('Weakens detection');
      await confirm.getByRole('button', { name: 'Save weakening change' }).click();
      await expect(confirm).toBeHidden();
      const v2 = drawer.getByTestId('rule-history').locator('tr[data-version="2"]');
      await expect(v2).toContainText('threshold 5');
      await expect(v2).toContainText('Weakened detection');
      await expect(v2).toContainText(A.name);
      await quiet(pageA);
      await shot(pageA, '69-rule-version-2', true);
      await pageA.getByRole('button', { name: 'Close the rule' }).click();
      await expect(row).toContainText('5 in 5 min per user');
      await expect(row).toContainText('v2');
      // a weakening change is itself an alert for the security team
      await pageA.goto(url('/alerts'));
      await expect(pageA.getByTestId('alerts-table').locator('tr[data-rule="security-weakened"]')).toHaveCount(1, {
        timeout: 35_000,
      });
    });

    test('INC-03: A locks Strongroom down; everyone sees the banner; A asks to lift, B confirms', async () => {
      await pageA.goto(url('/security/lockdown'));
      await expect(pageA.getByTestId('lockdown-state')).toContainText('Not locked down');
      await expect(pageA.getByText('No lock-down so far')).toBeVisible();
      await pageA.getByRole('button', { name: 'Lock down now' }).click();
      const engage = pageA.getByRole('dialog', { name: 'Lock Strongroom down now?' });
      await expect(engage).toContainText('two different owners');
      await shot(pageA, '90-lockdown-confirm');
      await engage.getByRole('button', { name: 'Lock down now' }).click();
      await expect(engage).toBeHidden();
      const bannerA = pageA.getByTestId('lockdown-banner');
      await expect(bannerA).toContainText('Strongroom is locked down');
      await expect(bannerA).toContainText(`by ${A.name}`);
      await expect(pageA.getByTestId('lockdown-state')).toContainText('Locked down');

      // B, on another page, sees it within the 15-second poll (or at once on navigation)
      await pageB.goto(url('/users'));
      const bannerB = pageB.getByTestId('lockdown-banner');
      await expect(bannerB).toContainText('Revealing confidential records is closed', { timeout: 20_000 });
      await expect(bannerB).toContainText('Two owners (top-level administrators) lift it');
      await shot(pageB, '91-lockdown-banner');

      // analyst D sees it too, with who can lift it, and no detection screen in her navigation
      await signIn(pageD, server.baseUrl, D);
      await pageD.goto(url('/records'));
      const bannerD = pageD.getByTestId('lockdown-banner');
      await expect(bannerD).toContainText('Revealing confidential records is closed');
      await expect(bannerD).toContainText('by a security administrator');
      await expect(bannerD.getByRole('link', { name: 'Lock-down controls' })).toHaveCount(0);
      const navD = pageD.getByRole('navigation', { name: 'Main navigation' });
      await expect(navD.getByRole('link', { name: 'Records' })).toBeVisible();
      await expect(navD.getByRole('link', { name: 'Alerts' })).toHaveCount(0);
      await expect(navD.getByRole('link', { name: 'Lock-down' })).toHaveCount(0);
      await shot(pageD, '91b-lockdown-banner-analyst');
      // a detection page opened by its address explains itself instead of calling the server
      await pageD.goto(url('/alerts'));
      await expect(pageD.getByText('You do not have access to this page')).toBeVisible();
      expect(refusedForD).toEqual([]);

      await pageA.getByRole('button', { name: 'Ask to lift' }).click();
      const ask = pageA.getByRole('dialog', { name: 'Ask to lift the lock-down?' });
      await ask.getByRole('button', { name: 'Ask to lift' }).click();
      await expect(ask).toBeHidden();
      await expect(pageA.getByTestId('lift-waiting')).toContainText('A different owner must confirm');
      await expect(pageA.getByRole('button', { name: 'Waiting for a second owner' })).toBeDisabled();
      // the same owner cannot lift alone: the server says so too
      const again = await call(ctxA.request, A, 'POST', '/api/v1/lockdown/lift');
      expect(again.body.error.code).toBe('lockdown.second_admin_required');
      await quiet(pageA);
      await shot(pageA, '92-lockdown-lift-asked');

      await pageB.goto(url('/security/lockdown'));
      await expect(pageB.getByTestId('lockdown-banner')).toContainText(`${A.name} asked to lift it`);
      await pageB.getByRole('button', { name: 'Confirm and lift' }).click();
      const lift = pageB.getByRole('dialog', { name: 'Lift the lock-down?' });
      await expect(lift).toContainText(`${A.name} asked to lift it`);
      await shot(pageB, '93-lockdown-lift-confirm');
      await lift.getByRole('button', { name: 'Lift lock-down' }).click();
      await expect(lift).toBeHidden();
      await expect(pageB.getByTestId('lockdown-banner')).toHaveCount(0);
      await expect(pageB.getByTestId('lockdown-state')).toContainText('Not locked down');
      const history = pageB.getByTestId('lockdown-history').locator('tbody tr');
      await expect(history).toHaveCount(1);
      await expect(history.first()).toContainText(A.name);
      await expect(history.first()).toContainText('(you)');
      await quiet(pageB);
      await shot(pageB, '94-lockdown-history');
      // A's and D's banners go away at the next poll
      await expect(bannerA).toHaveCount(0, { timeout: 20_000 });
      await pageD.goto(url('/records'));
      await expect(pageD.getByTestId('lockdown-banner')).toHaveCount(0);
      expect(refusedForD).toEqual([]);
    });

    test('LOG-06: an alert webhook is added with its secret shown once, then deleted after a confirmation', async () => {
      await pageA.goto(url('/settings/webhooks'));
      await expect(pageA.getByText('No webhooks yet')).toBeVisible();
      await pageA.getByRole('button', { name: 'Add webhook' }).first().click();
      const dialog = pageA.getByRole('dialog', { name: 'Add a webhook' });
      await dialog.getByLabel('Name').fill('SIEM');
      await dialog.getByLabel('URL', { exact: true }).fill('http://siem.example.test/hooks');
      await dialog.getByRole('button', { name: 'Add webhook' }).click();
      await expect(dialog.getByText('Use https://')).toBeVisible();
      await dialog.getByLabel('URL', { exact: true }).fill('https://siem.example.test/hooks/strongroom');
      await dialog.getByLabel('Send alerts of severity').selectOption('high');
      await dialog.getByRole('button', { name: 'Add webhook' }).click();
      const created = pageA.getByTestId('webhook-created');
      await expect(created).toContainText('Shown only this once');
      expect(await created.getByLabel('Signing secret').inputValue()).toMatch(/^[\w-]{40,}$/);
      await shot(pageA, '95-webhook-secret');
      await created.getByRole('button', { name: 'I have stored it' }).click();
      const row = pageA.getByTestId('webhooks-table').locator('tr[data-name="SIEM"]');
      // only the origin is listed: a webhook's path often is its token (stored sealed)
      await expect(row).toContainText('https://siem.example.test/…');
      await expect(row).not.toContainText('/hooks/strongroom');
      await expect(row).toContainText('High');
      await quiet(pageA);
      await shot(pageA, '96-webhooks');
      await row.getByRole('button', { name: 'Delete SIEM' }).click();
      const confirm = pageA.getByRole('dialog', { name: 'Delete the webhook “SIEM”?' });
      await confirm.getByRole('button', { name: 'Delete webhook' }).click();
      await expect(pageA.getByText('No webhooks yet')).toBeVisible();
    });

    test('dark mode pass', async () => {
      await pageA.goto(url(`/alerts/${alertId}`));
      await pageA.getByRole('button', { name: 'Switch to dark theme' }).click();
      await expect(pageA.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
      await expect(pageA.getByTestId('alert-timeline')).toBeVisible();
      await shot(pageA, '97-dark-alert-detail');
      await pageA.goto(url('/alerts?status=any'));
      await expect(pageA.getByTestId('alerts-table')).toBeVisible();
      await shot(pageA, '98-dark-alerts');
      await pageA.goto(url('/security/rules?rule=unauthorized-calls'));
      await pageA.getByTestId('rule-drawer').getByRole('button', { name: 'Replay last 30 days' }).click();
      await expect(pageA.getByTestId('replay-current-fires')).toHaveText('0');
      await shot(pageA, '99-dark-rule', true);
    });
  });
