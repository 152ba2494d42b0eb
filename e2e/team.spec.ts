/**
 * Building a team, in Chromium against `npm start` on a fresh data directory (IAM-03, -04, -07, -08, -09):
 * owner A sets up Strongroom and creates owner B; with only one active owner the host operator approves B on
 * the command line; B enrols through the link A made and signs in. A creates analyst C, whom A cannot approve
 * (four-eyes) but B approves in Approvals; C enrols, and a second browser signing in as C signs the first one
 * out. A asks for confidential-data access for C, B approves it, and C sees the grant. Along the way: the
 * elevation control, the IP allow-list, service tokens, My account, and a dark-mode pass, each screenshotted
 * under e2e/artifacts/ (20-…).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type StartedServer, startServer } from './server.ts';
import { completeSetup, newContext, Person, shot, signIn } from './support/journey.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..');

const A = new Person('ana.owner@example.test', 'Ana Owner', 'Vault-Keeper-Alpha-7');
const B = new Person('ben.owner@example.test', 'Ben Second', 'Second-Keeper-Bravo-8');
const C = new Person('cleo.analyst@example.test', 'Cleo Analyst', 'Analyst-Desk-Charlie-9');

let server: StartedServer;
let ctxA: BrowserContext;
let ctxB: BrowserContext;
let ctxC1: BrowserContext;
let ctxC2: BrowserContext;
let pageA: Page;
let pageB: Page;
let pageC1: Page;
let pageC2: Page;

const url = (p: string) => `${server.baseUrl}${p}`;

test.beforeAll(async ({ browser }) => {
  // A short step-up window (the server's minimum, 30 s; default 10 min) so the journey meets the inline
  // "Authentication code" step of the elevation dialog without waiting ten minutes.
  server = await startServer({ STRONGROOM_STEP_UP_MAX_AGE_SECONDS: '30' });
  const open = async () => {
    const ctx = await newContext(browser);
    return { ctx, page: await ctx.newPage() };
  };
  ({ ctx: ctxA, page: pageA } = await open());
  ({ ctx: ctxB, page: pageB } = await open());
  ({ ctx: ctxC1, page: pageC1 } = await open());
  ({ ctx: ctxC2, page: pageC2 } = await open());
});

test.afterAll(async () => {
  for (const ctx of [ctxA, ctxB, ctxC1, ctxC2]) await ctx?.close();
  await server?.stop();
});

/**
 * In the open elevation dialog: reason, minutes, Elevate. When the last second factor is too old the dialog
 * asks for an authentication code (at once, or after the server answers `auth.step_up_required`).
 */
async function elevateInDialog(page: Page, who: Person, minutes = 60, stepUp?: { screenshot: string }) {
  const dialog = page.getByRole('dialog', { name: 'Elevate your session' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Reason').fill('Onboarding the team (end-to-end test)');
  await dialog.getByLabel('Minutes').fill(String(minutes));
  const code = dialog.getByLabel('Authentication code');
  if (!(await code.isVisible())) {
    await dialog.getByRole('button', { name: 'Elevate', exact: true }).click();
    // either the server wants a fresh code (the field appears) or the session is elevated (the badge appears)
    await expect(code.or(page.getByTestId('elevation-badge'))).toBeVisible();
  }
  if (stepUp) await expect(code).toBeVisible();
  if (await code.isVisible()) {
    if (stepUp) await shot(page, stepUp.screenshot);
    await code.fill(await who.nextCode());
    await dialog.getByRole('button', { name: 'Elevate', exact: true }).click();
  }
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('elevation-badge')).toBeVisible();
}

/** Owners are elevated for 10 minutes at sign-in; a long journey elevates again through the header. */
async function ensureElevated(page: Page, who: Person) {
  const badge = page.getByTestId('elevation-badge');
  const button = page.getByRole('button', { name: 'Elevate', exact: true });
  await expect(badge.or(button)).toBeVisible();
  if (await badge.isVisible()) return;
  await button.click();
  await elevateInDialog(page, who);
}

/** Users screen → Create user → the account waits for approval; returns its id from the detail page. */
async function createUser(page: Page, who: Person, role: string, screenshot?: string): Promise<string> {
  await page.goto(url('/users'));
  await page.getByRole('button', { name: 'Create user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create user' });
  await dialog.getByLabel('Email', { exact: true }).fill(who.email);
  await dialog.getByLabel('Full name').fill(who.name);
  await dialog.getByRole('combobox', { name: 'Roles' }).click();
  await page.getByRole('option', { name: new RegExp(`^${role}\\b`) }).click();
  await dialog.getByLabel('Full name').click(); // closes the role list
  await expect(dialog.getByTestId('roles-give')).toBeVisible();
  if (screenshot) await shot(page, screenshot);
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const created = page.getByTestId('user-created');
  await expect(created).toContainText('Waiting for approval by someone else');
  await created.getByRole('link', { name: 'Open the account' }).click();
  await expect(page.getByTestId('user-email')).toHaveText(who.email);
  const id = /\/users\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
  expect(id).toBeTruthy();
  return id as string;
}

/** On the person's detail page: confirm, then read the link that is shown once. */
async function createEnrolmentLink(page: Page, screenshot?: string): Promise<string> {
  await page.getByRole('button', { name: 'Create enrolment link' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Create link' }).click();
  const shown = page.getByTestId('enrollment-link');
  await expect(shown).toContainText('Shown only this once');
  const link = await shown.getByLabel('Enrolment link').inputValue();
  expect(link).toMatch(new RegExp(`^${server.baseUrl}/enroll#token=[\\w-]+$`));
  if (screenshot) await shot(page, screenshot);
  await shown.getByRole('button', { name: 'Done' }).click();
  return link;
}

async function enrol(page: Page, link: string, who: Person, screenshots?: [string, string]) {
  await page.goto(link);
  await expect(page.getByTestId('totp-qr').locator('svg')).toBeVisible();
  // the token leaves the address bar, as on /setup
  await expect(page).toHaveURL(url('/enroll'));
  await expect(page.getByText(`You are setting up ${who.email}`)).toBeVisible();
  who.secret = await page.getByLabel('Secret key').inputValue();
  expect(who.secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Confirm password').fill(who.password);
  await page.getByLabel('Authentication code').fill(await who.nextCode());
  if (screenshots) await shot(page, screenshots[0]);
  await page.getByRole('button', { name: 'Complete enrolment' }).click();
  await expect(page.getByText('Your account is ready')).toBeVisible();
  if (screenshots) await shot(page, screenshots[1]);
}

test.describe
  .serial('a team: two owners, an analyst, four-eyes approvals and a grant', () => {
    test.setTimeout(180_000);

    test('owner A completes setup and signs in', async () => {
      expect(server.setupLink).toBeTruthy();
      await completeSetup(pageA, server.setupLink as string, A);
      await signIn(pageA, server.baseUrl, A);
      // an owner is elevated for a short window at sign-in (IAM-09)
      await expect(pageA.getByTestId('elevation-badge')).toContainText(/Elevated · \d+ min left/);
      const nav = pageA.getByRole('navigation', { name: 'Main navigation' });
      for (const item of ['Users', 'Approvals', 'IP allow-list', 'Service tokens', 'My account']) {
        await expect(nav.getByRole('link', { name: item })).toBeVisible();
      }
      await expect(pageA.getByRole('link', { name: 'Open Users' })).toBeVisible();
      await shot(pageA, '20-home-next-steps');
    });

    test('elevation: ending it puts privileged buttons to sleep; elevating again wakes them', async () => {
      await pageA.getByRole('button', { name: 'End elevation' }).click();
      await expect(pageA.getByRole('button', { name: 'Elevate', exact: true })).toBeVisible();
      await pageA.goto(url('/users'));
      const create = pageA.getByRole('button', { name: /Create user/ });
      await expect(create).toContainText('needs elevation');
      await create.click();
      await expect(pageA.getByRole('dialog', { name: 'Elevate your session' })).toContainText(
        'Creating a user is a privileged action',
      );
      await pageA.getByRole('dialog').getByLabel('Reason').fill('Onboarding the team (end-to-end test)');
      await shot(pageA, '21-elevation-dialog');
      await elevateInDialog(pageA, A);
      await expect(pageA.getByTestId('elevation-badge')).toContainText(/Elevated · (60|59) min left/);
      await expect(pageA.getByRole('button', { name: 'Create user' })).not.toContainText('needs elevation');
    });

    test('A creates owner B; with one active owner, the host operator approves B on the command line', async () => {
      B.id = await createUser(pageA, B, 'owner', '22-user-create');
      await expect(pageA.getByTestId('pending-alert')).toBeVisible();
      await expect(pageA.getByRole('button', { name: 'Approve' })).toBeDisabled();
      await expect(pageA.getByTestId('user-actions-notes')).toContainText('someone else must approve');
      await shot(pageA, '23-user-detail-pending');

      const { stdout } = await run(
        process.execPath,
        ['src/main.ts', 'users', 'approve', '--id', B.id, '--data-dir', server.dataDir],
        { cwd: repoRoot, timeout: 60_000 },
      );
      expect(stdout).toContain('active');

      await pageA.reload();
      await expect(pageA.getByText('Approved, not enrolled yet')).toBeVisible();
      await expect(pageA.getByText('The host operator (command line)')).toBeVisible();
    });

    test('A makes the enrolment link; B enrols on /enroll and signs in', async () => {
      const link = await createEnrolmentLink(pageA, '24-enrolment-link');
      await enrol(pageB, link, B, ['25-enroll', '26-enroll-done']);
      await pageB.getByRole('link', { name: 'Go to sign-in' }).click();
      await expect(pageB.getByLabel('Email', { exact: true })).toHaveValue(B.email);
      await signIn(pageB, server.baseUrl, B);
      // the link is single use
      await pageC1.goto(link);
      await expect(pageC1.getByText('Enrolment link not valid')).toBeVisible();
    });

    test('A creates analyst C, cannot approve C; B approves C in Approvals', async () => {
      C.id = await createUser(pageA, C, 'analyst');
      await expect(pageA.getByRole('button', { name: 'Approve' })).toBeDisabled();
      await expect(pageA.getByRole('button', { name: 'Reject' })).toBeDisabled();
      await expect(pageA.getByTestId('user-actions-notes')).toContainText('four-eyes');
      await expect(pageA.getByRole('button', { name: 'Create enrolment link' })).toBeDisabled();
      await shot(pageA, '27-user-detail-creator');

      // the status filter lives in the URL
      await pageA.goto(url('/users'));
      await pageA.getByLabel('Status').selectOption('pending_approval');
      await expect(pageA).toHaveURL(/\/users\?status=pending_approval$/);
      const table = pageA.getByTestId('users-table');
      await expect(table.locator('tbody tr')).toHaveCount(1);
      await expect(table).toContainText(C.email);
      await pageA.getByLabel('Status').selectOption('');
      await expect(table.locator('tbody tr')).toHaveCount(3);
      await shot(pageA, '28-users');
      // A's own queue leaves out what A created
      await pageA.goto(url('/approvals'));
      await expect(pageA.getByText('Nothing waits for you')).toBeVisible();

      await pageB.goto(url('/'));
      await expect(pageB.getByTestId('nav-approvals')).toContainText('1');
      await pageB.getByTestId('nav-approvals').click();
      await ensureElevated(pageB, B);
      const row = pageB.getByTestId('approvals-users').locator(`tr[data-email="${C.email}"]`);
      await expect(row).toContainText('analyst');
      await expect(row).toContainText(A.name);
      await shot(pageB, '29-approvals');
      await row.getByRole('button', { name: `Approve ${C.name}` }).click();
      const confirm = pageB.getByRole('dialog', { name: `Approve the account of ${C.name}?` });
      await expect(confirm).toContainText(C.email);
      await shot(pageB, '30-approve-confirm');
      await confirm.getByRole('button', { name: 'Approve' }).click();
      await expect(confirm).toBeHidden();
      await expect(pageB.getByText(`${C.name} is approved`)).toBeVisible();
      await expect(pageB.getByText('Nothing waits for you')).toBeVisible();
    });

    test('A makes C’s link; C enrols and signs in; a second browser signing in as C signs the first out', async () => {
      await pageA.goto(url(`/users/${C.id}`));
      await expect(pageA.getByText('Approved, not enrolled yet')).toBeVisible();
      const link = await createEnrolmentLink(pageA);
      await enrol(pageC1, link, C);
      await signIn(pageC1, server.baseUrl, C);
      // an analyst has no privileged permission: no elevation control, no admin screens
      await expect(pageC1.getByRole('button', { name: 'Elevate', exact: true })).toHaveCount(0);
      const nav = pageC1.getByRole('navigation', { name: 'Main navigation' });
      await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
      await expect(nav.getByRole('link', { name: 'My account' })).toBeVisible();

      await signIn(pageC2, server.baseUrl, C);
      await pageC1.goto(url('/account'));
      await expect(pageC1.getByTestId('session-replaced-alert')).toContainText('signed in on another device');
      await shot(pageC1, '31-session-replaced');
    });

    test('A requests records.reveal for C; B approves it in Approvals; C sees the grant', async () => {
      await pageA.goto(url(`/users/${C.id}`));
      await ensureElevated(pageA, A);
      await expect(pageA.getByTestId('user-mfa')).toContainText('Authenticator app (TOTP)');
      await expect(pageA.getByTestId('user-sessions')).toBeVisible();
      await pageA.getByRole('button', { name: 'Request confidential-data access' }).click();
      const dialog = pageA.getByRole('dialog', { name: `Request confidential-data access for ${C.name}` });
      await dialog.getByLabel('Reason').fill('Handles data-subject requests for the Q4 backlog');
      await shot(pageA, '32-grant-request');
      await dialog.getByRole('button', { name: 'Request access' }).click();
      await expect(dialog).toBeHidden();
      const grants = pageA.getByTestId('user-grants');
      await expect(grants).toContainText('records.reveal');
      await expect(grants).toContainText('Waiting for approval');
      await shot(pageA, '33-user-detail');

      await pageB.goto(url('/approvals'));
      await ensureElevated(pageB, B);
      const row = pageB.getByTestId('approvals-grants').locator('tbody tr').first();
      await expect(row).toContainText(C.name);
      await expect(row).toContainText('Every data owner');
      await expect(row).toContainText('Q4 backlog');
      await shot(pageB, '34-approvals-grant');
      await row.getByRole('button', { name: /^Approve records\.reveal/ }).click();
      const confirm = pageB.getByRole('dialog', { name: `Approve records.reveal for ${C.name}?` });
      await confirm.getByRole('button', { name: 'Approve' }).click();
      await expect(confirm).toBeHidden();
      await expect(pageB.getByText(`${C.name} now holds records.reveal`)).toBeVisible();

      await pageC2.goto(url('/account'));
      await expect(pageC2.getByTestId('my-grants')).toContainText('records.reveal');
      await expect(pageC2.getByTestId('my-grants')).toContainText('Every data owner');
      await expect(pageC2.getByTestId('second-factors')).toContainText('Authenticator app (TOTP)');
      await expect(pageC2.getByTestId('my-sessions').locator('tr[data-current]')).toContainText('This browser');
      await shot(pageC2, '35-account');
      await pageC2.goto(url('/'));
      await expect(pageC2.getByTestId('home-grants')).toContainText('records.reveal');

      await pageA.reload();
      await expect(pageA.getByTestId('user-grants')).toContainText('Active');
      await expect(pageA.getByTestId('user-grants')).toContainText(B.name);
    });

    test('My account: a wrong current password is flagged at the field; the password changes', async () => {
      await pageC2.goto(url('/account'));
      await pageC2.getByLabel('Current password').fill('not-my-password');
      await pageC2.getByLabel('New password', { exact: true }).fill('Analyst-Desk-Delta-10');
      await pageC2.getByLabel('Confirm new password').fill('Analyst-Desk-Delta-10');
      await pageC2.getByRole('button', { name: 'Change password' }).click();
      await expect(pageC2.getByText('The current password is not correct.')).toBeVisible();
      await shot(pageC2, '36-account-password-error');
      await pageC2.getByLabel('Current password').fill(C.password);
      await pageC2.getByRole('button', { name: 'Change password' }).click();
      await expect(pageC2.getByText('Password changed')).toBeVisible();
      C.password = 'Analyst-Desk-Delta-10';
    });

    test('IP allow-list: defaults listed; an entry is added and removed with confirmation', async () => {
      await pageA.goto(url('/settings/ip-allowlist'));
      await ensureElevated(pageA, A);
      await expect(pageA.getByTestId('allowlist-defaults')).toContainText('Built-in defaults in force');
      await expect(pageA.getByTestId('allowlist-defaults')).toContainText('192.168.0.0/16');
      await pageA.getByRole('button', { name: 'Add entry' }).first().click();
      const dialog = pageA.getByRole('dialog', { name: 'Add an allow-list entry' });
      await dialog.getByLabel('CIDR').fill('127.0.0.0/8');
      await dialog.getByLabel('Label').fill('This machine');
      await expect(dialog).toContainText('This replaces the built-in defaults');
      await dialog.getByRole('button', { name: 'Add entry' }).click();
      await expect(dialog).toBeHidden();
      await expect(pageA.getByTestId('allowlist-defaults')).toContainText('Your list is in force');
      await expect(pageA.getByTestId('allowlist-table')).toContainText('127.0.0.0/8');
      await shot(pageA, '37-ip-allowlist');
      await pageA.getByRole('button', { name: 'Remove 127.0.0.0/8 (This machine)' }).click();
      const confirm = pageA.getByRole('dialog', { name: 'Remove 127.0.0.0/8 (This machine)?' });
      await expect(confirm).toContainText('the built-in defaults');
      await confirm.getByRole('button', { name: 'Remove entry' }).click();
      await expect(pageA.getByTestId('allowlist-defaults')).toContainText('Built-in defaults in force');
    });

    test('service tokens: created with the token shown once, then revoked with confirmation', async () => {
      await pageA.goto(url('/settings/service-tokens'));
      await ensureElevated(pageA, A);
      await expect(pageA.getByText('No service tokens yet')).toBeVisible();
      await pageA.getByRole('button', { name: 'Create token' }).first().click();
      const dialog = pageA.getByRole('dialog', { name: 'Create a service token' });
      await dialog.getByLabel('Name').fill('CRM nightly import');
      await dialog.getByLabel('Allowed CIDRs').fill('127.0.0.1/32\n10.20.0.0/24');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const created = pageA.getByTestId('service-token-created');
      await expect(created).toContainText('Shown only this once');
      expect(await created.getByLabel('Service token').inputValue()).toMatch(/^srt_[\w-]+$/);
      await shot(pageA, '38-service-token-created');
      await created.getByRole('button', { name: 'I have stored it' }).click();
      const row = pageA.getByTestId('service-tokens-table').locator('tr[data-name="CRM nightly import"]');
      await expect(row).toContainText('10.20.0.0/24');
      await expect(row).toContainText('Active');
      await row.getByRole('button', { name: 'Revoke CRM nightly import' }).click();
      const confirm = pageA.getByRole('dialog', { name: 'Revoke the token “CRM nightly import”?' });
      await confirm.getByRole('button', { name: 'Revoke token' }).click();
      await expect(row).toContainText('Revoked');
      await shot(pageA, '39-service-tokens');
    });

    test('a call refused for want of elevation offers to elevate, with a step-up code when needed', async () => {
      await pageA.goto(url(`/users/${C.id}`));
      await expect(pageA.getByTestId('elevation-badge')).toBeVisible();
      // the window closes behind this page's back (as if ended in another tab): the page still shows it open
      const me = await (await pageA.request.get(url('/api/v1/me'))).json();
      const ended = await pageA.request.delete(url('/api/v1/me/elevation'), {
        headers: { 'X-CSRF-Token': me.csrfToken },
      });
      expect(ended.status()).toBe(204);
      await pageA.getByRole('button', { name: 'Lock' }).click();
      const confirm = pageA.getByRole('dialog', { name: `Lock the account of ${C.name}?` });
      await confirm.getByRole('button', { name: 'Lock account' }).click();
      await expect(confirm.getByTestId('error-request-id')).toContainText('access.elevation_required');
      const notice = pageA.getByRole('alert').filter({ hasText: 'This needs elevation' });
      await expect(notice).toBeVisible();
      // the header learns the truth from the refusal
      await expect(pageA.getByRole('button', { name: 'Elevate', exact: true })).toBeVisible();
      await shot(pageA, '40-elevation-required');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      // more than 30 s since A's last second factor: the server asks for a fresh code first
      const wait = A.lastFactorAt + 32_000 - Date.now();
      if (wait > 0) await pageA.waitForTimeout(wait);
      await notice.getByRole('button', { name: 'Elevate now' }).click();
      await elevateInDialog(pageA, A, 60, { screenshot: '41-elevation-step-up' });
      await expect(pageA.getByRole('button', { name: 'Lock' })).not.toContainText('needs elevation');
    });

    test('user detail: roles change and a planned departure, each confirmed', async () => {
      await pageA.goto(url(`/users/${C.id}`));
      await pageA.getByRole('button', { name: 'Change roles' }).click();
      const roles = pageA.getByRole('dialog', { name: `Change the roles of ${C.name}` });
      await roles.getByRole('combobox', { name: 'Roles' }).click();
      await pageA.getByRole('option', { name: /^auditor\b/ }).click();
      await roles.getByRole('heading', { name: `Change the roles of ${C.name}` }).click(); // closes the list
      await expect(roles.getByTestId('roles-change-summary')).toContainText('Adds auditor');
      await roles.getByRole('button', { name: 'Save roles' }).click();
      await expect(roles).toBeHidden();
      await expect(pageA.getByTestId('role-assignments')).toContainText('auditor');
      await expect(pageA.getByTestId('role-assignments')).toContainText('role change');

      // leaving tomorrow at 17:00, local time
      const d = new Date(Date.now() + 86_400_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      const tomorrow = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T17:00`;
      await pageA.getByRole('button', { name: 'Offboard' }).click();
      const offboard = pageA.getByRole('dialog', { name: `Offboard ${C.name}?` });
      await offboard.getByLabel('At a date and time (a planned departure)').check();
      await offboard.getByLabel('Departure', { exact: true }).fill(tomorrow);
      await shot(pageA, '42-offboard-departure');
      await offboard.getByRole('button', { name: 'Schedule departure' }).click();
      await expect(offboard).toBeHidden();
      await expect(pageA.getByTestId('departure-alert')).toContainText('Every access is revoked at');
    });

    test('dark mode pass', async () => {
      await pageA.goto(url('/users'));
      await pageA.getByRole('button', { name: 'Switch to dark theme' }).click();
      await expect(pageA.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
      await expect(pageA.getByTestId('users-table')).toBeVisible();
      await shot(pageA, '45-dark-users');
      await pageA.goto(url(`/users/${C.id}`));
      await expect(pageA.getByTestId('user-grants')).toContainText('Active');
      await shot(pageA, '46-dark-user-detail');
      await pageA.getByRole('button', { name: 'End elevation' }).click();
      await pageA.getByRole('button', { name: 'Elevate', exact: true }).click();
      await expect(pageA.getByRole('dialog', { name: 'Elevate your session' })).toBeVisible();
      await shot(pageA, '47-dark-elevation-dialog');
      await pageA.keyboard.press('Escape');
      await pageB.goto(url('/approvals'));
      await pageB.getByRole('button', { name: 'Switch to dark theme' }).click();
      await expect(pageB.getByText('Nothing waits for you')).toBeVisible();
      await shot(pageB, '48-dark-approvals-empty');
      await pageC2.goto(url('/account'));
      await pageC2.getByRole('button', { name: 'Switch to dark theme' }).click();
      await expect(pageC2.getByTestId('my-grants')).toBeVisible();
      await shot(pageC2, '49-dark-account');
    });
  });
