/**
 * The auditor's screen in Chromium against `npm start` on a fresh data directory (LOG-01…LOG-03): the first owner
 * sets up and signs in (with one failed attempt first), opens the audit log, verifies it, reads the latest signed
 * checkpoint's fingerprint and finds the same checkpoint in the file the server wrote off the database, filters by
 * action, outcome, actor and time range, saves the checkpoint, downloads the bundle and checks it offline against
 * that checkpoint — and sees the download itself in the log. Screenshots: e2e/artifacts/80-… to 84-….
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type SignedCheckpoint, verifyBundle } from '../src/modules/audit/index.ts';
import { type StartedServer, startServer } from './server.ts';
import { completeSetup, newContext, Person, shot, submitPassword, submitTotp } from './support/journey.ts';

const OWNER = new Person('ada.auditor@example.test', 'Ada Auditor', 'Ledger-Keeper-Lovelace-3');

let server: StartedServer;
let ctx: BrowserContext;
let page: Page;

const url = (p: string) => `${server.baseUrl}${p}`;
const rows = () => page.getByTestId('audit-table').locator('tbody tr');

test.beforeAll(async ({ browser }) => {
  // a checkpoint every second, so the page has a fresh one to show
  server = await startServer({ STRONGROOM_AUDIT_CHECKPOINT_SECONDS: '1' });
  ctx = await newContext(browser, { viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  page = await ctx.newPage();
});

test.afterAll(async () => {
  await ctx?.close();
  await server?.stop();
});

test.describe
  .serial('the audit log: viewer, verification, checkpoint fingerprint, export', () => {
    test.setTimeout(120_000);

    test('the owner sets up, fails one sign-in, then signs in', async () => {
      // the link is printed right after the "serving" line, which can arrive on its own
      await expect.poll(() => /(https:\/\/\S+\/setup#token=\S+)/.exec(server.output())?.[1]).toBeTruthy();
      await completeSetup(page, /(https:\/\/\S+\/setup#token=\S+)/.exec(server.output())?.[1] as string, OWNER);

      await submitPassword(page, server.baseUrl, { email: OWNER.email, password: 'Not-The-Password-1' });
      await expect(page.getByText('Email or password is incorrect.')).toBeVisible();
      await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await submitTotp(page, OWNER);
    });

    test('LOG-02: the log verifies intact and shows the fingerprint of the checkpoint kept off the database', async () => {
      await page.goto(url('/audit'));
      await expect(rows().first()).toBeVisible();
      await expect(page.getByTestId('audit-table')).toContainText('auth.login.succeeded');
      await page.getByRole('button', { name: 'Verify log integrity' }).click();
      await expect(page.getByTestId('audit-verify-result')).toContainText('Intact');
      await expect(page.getByTestId('audit-verify-result')).toContainText(/signed checkpoints? match/);
      const fingerprint = page.getByTestId('checkpoint-fingerprint');
      await expect(fingerprint).toHaveValue(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/);
      const shown = await fingerprint.inputValue();
      const size = Number(((await page.getByTestId('checkpoint-size').textContent()) as string).replace(/\D/g, ''));
      // the same checkpoint, written by the server as a file outside the database
      const dir = path.join(server.dataDir, 'checkpoints');
      const file = (await readdir(dir)).find((f) => Number(f.replace('.json', '')) === size) as string;
      const onDisk = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as SignedCheckpoint;
      expect(onDisk.fingerprint).toBe(shown);
      await expect(page.getByTestId('checkpoint-root')).toHaveText(onDisk.body.rootHash);
      await expect(page.getByTestId('audit-retention')).toContainText('180 days');
      await shot(page, '80-audit-log');
    });

    test('LOG-01: filters by action, outcome, actor and time range, kept in the URL', async () => {
      await page.getByLabel('Action').fill('auth.login.failed');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(/action=auth\.login\.failed/);
      await expect(rows()).toHaveCount(1);
      await expect(rows().first()).toContainText('failure');
      await shot(page, '81-audit-filter-action');

      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByLabel('Outcome').selectOption('failure');
      await expect(page).toHaveURL(/outcome=failure/);
      for (const r of await rows().all()) await expect(r).toContainText('failure');

      const me = await (await page.request.get(url('/api/v1/me'))).json();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByLabel('Actor id').fill('not-an-id');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page.getByText('An actor id is a UUID')).toBeVisible();
      await page.getByLabel('Actor id').fill(me.user.id);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(new RegExp(`actor=${me.user.id}`));
      await expect(page.getByTestId('audit-table')).toContainText('auth.login.succeeded');
      expect(await rows().count()).toBeGreaterThan(0);
      await shot(page, '82-audit-filter-actor');

      // a range in the future holds nothing: the empty state says what to try
      const later = new Date(Date.now() + 2 * 3600_000);
      const local = (d: Date) =>
        `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
      await page.getByLabel('From').fill(local(later));
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(page).toHaveURL(/from=/);
      await expect(page.getByText('No entries match these filters')).toBeVisible();
      await page.goBack();
      await expect(page.getByTestId('audit-table')).toBeVisible();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await expect(page).toHaveURL(url('/audit'));
    });

    test('LOG-02: the bundle downloads and verifies offline against the saved checkpoint; the export is audited', async () => {
      const savedCp = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save checkpoint' }).click();
      const cpFile = test.info().outputPath('checkpoint.json');
      await (await savedCp).saveAs(cpFile);
      const trusted = JSON.parse(await readFile(cpFile, 'utf8')) as SignedCheckpoint;

      const download = page.waitForEvent('download');
      await page.getByTestId('audit-export').click();
      const d = await download;
      expect(d.suggestedFilename()).toMatch(/^strongroom-audit-.*\.ndjson$/);
      const file = test.info().outputPath('bundle.ndjson');
      await d.saveAs(file);
      const result = await verifyBundle(file, { trusted });
      expect(result).toMatchObject({ valid: true });

      await page.reload();
      await page.getByLabel('Action').fill('audit.log.exported');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await expect(rows()).toHaveCount(1);
      await page
        .getByRole('button', { name: /^View entry \d+$/ })
        .first()
        .click();
      const drawer = page.getByRole('dialog');
      await expect(drawer).toContainText('"via": "api"');
      await shot(page, '83-audit-export-entry');
      await drawer.getByRole('button', { name: 'Close entry details' }).click();
    });

    test('the page in the dark theme', async () => {
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await page.getByRole('button', { name: 'Verify log integrity' }).click();
      await expect(page.getByTestId('audit-verify-result')).toContainText('Intact');
      await shot(page, '84-audit-dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
    });
  });
