/**
 * The vault in Chromium against `npm start` on a fresh data directory (DAT-03, DAT-04, DAT-06, DAT-09, LOG-04,
 * DAT-02): the first owner sets up and signs in, registers a data owner, imports an NDJSON file with one bad
 * line (progress, SHA-256, the refused line), searches by email and sees masked values only, reveals the one
 * record with a purpose and a justification (inline step-up, watermark, 60-second countdown, closes), plants a
 * canary, rotates the root key, and last sees a second reveal close by itself after 60 seconds (fake clock).
 * Screenshots: e2e/artifacts/30-… to 36-… (with 31b, the inline step-up, and 32b, the reveal in dark theme).
 */
import { createHash } from 'node:crypto';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type StartedServer, startServer } from './server.ts';
import { completeSetup, newContext, Person, quiet, shot, signIn } from './support/journey.ts';

/** The first owner (a person, not a data owner); `lastFactorAt`: when she last gave a second factor. */
const VERA = new Person('vera.owner@example.test', 'Vera Owner', 'Vault-Keeper-Victor-5');
const OWNER_NAME = 'Lumen Retail Ltd';

/** The person whose record is imported, searched and revealed. */
const SUBJECT = {
  fullName: 'Paula Lemaire',
  email: 'paula.lemaire@lumen.example',
  phone: '+44 20 7946 0042',
  company: 'Northwind Loyalty',
  title: 'Head of Loyalty',
  address: '12 Quay Street\nBristol BS1 4DJ',
};
const NDJSON = `${[
  JSON.stringify({ externalRef: 'crm-1001', fields: SUBJECT }),
  JSON.stringify({ externalRef: 'crm-1002', fields: { fullName: 'Omar Haddad', email: 'omar.haddad@lumen.example' } }),
  '{"externalRef": "crm-1003", "fields": {"fullName": "Broken line',
  JSON.stringify({ externalRef: 'crm-1004', fields: { fullName: 'Ines Duarte', phone: '+351 21 000 1234' } }),
].join('\n')}\n`;

let server: StartedServer;
let ctx: BrowserContext;
let page: Page;
const url = (path: string) => `${server.baseUrl}${path}`;

test.beforeAll(async ({ browser }) => {
  // The server's shortest step-up window (30 s; default 10 min), so the reveal meets the inline step-up.
  server = await startServer({ STRONGROOM_STEP_UP_MAX_AGE_SECONDS: '30' });
  ctx = await newContext(browser);
  page = await ctx.newPage();
});

test.afterAll(async () => {
  await ctx?.close();
  await server?.stop();
});

/** In the open Reveal dialog: purpose, justification, Reveal; a code when the server asks for a step-up. */
async function revealWithPurpose(on: Page, dialog: ReturnType<Page['getByRole']>, screenshots?: [string, string]) {
  await dialog.getByLabel('Purpose').selectOption('customer_request');
  await dialog.getByLabel('Justification').fill('Ticket CS-4821: the customer asked which address we hold.');
  if (screenshots) await shot(on, screenshots[0]);
  await dialog.getByRole('button', { name: 'Reveal record' }).click();
  const code = dialog.getByLabel('Authentication code');
  const shown = dialog.getByTestId('revealed-record');
  await expect(code.or(shown)).toBeVisible();
  if (await code.isVisible()) {
    if (screenshots) await shot(on, screenshots[1]);
    await code.fill(await VERA.nextCode());
    await dialog.getByRole('button', { name: 'Confirm and reveal' }).click();
  }
  await expect(shown).toBeVisible();
}

test.describe
  .serial('the vault: owners, import, masked search, one-record reveal, canaries, keys', () => {
    test.setTimeout(180_000);

    test('the first owner completes setup and signs in', async () => {
      expect(server.setupLink).toBeTruthy();
      await completeSetup(page, server.setupLink as string, VERA);
      await signIn(page, server.baseUrl, VERA);
    });

    test('DAT-09: a data owner is registered with its contact emails', async () => {
      await page.goto(url('/owners'));
      await expect(page.getByRole('heading', { name: 'Data owners' })).toBeVisible();
      await expect(page.getByText('No data owners yet')).toBeVisible();
      await page.getByRole('button', { name: 'New data owner' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New data owner' });
      await dialog.getByRole('button', { name: 'Create data owner' }).click();
      await expect(dialog.getByText('Name the data owner')).toBeVisible();
      await dialog.getByLabel('Name').fill(OWNER_NAME);
      await dialog.getByLabel('Contact email 1', { exact: true }).fill('dpo@lumen.example');
      await dialog.getByRole('button', { name: 'Add another email' }).click();
      await dialog.getByLabel('Contact email 2', { exact: true }).fill('security@lumen.example');
      await dialog.getByRole('button', { name: 'Create data owner' }).click();
      await expect(dialog).toBeHidden();
      const row = page.getByTestId('owners-table').locator('tr', { hasText: OWNER_NAME });
      await expect(row).toContainText('dpo@lumen.example');
      await expect(row).toContainText('security@lumen.example');
      await expect(row.locator('td').nth(1)).toHaveText('0');
      await quiet(page);
      await shot(page, '33-owners');
    });

    test('DAT-06: an NDJSON import shows progress, the SHA-256 and the one refused line', async () => {
      await page.getByRole('link', { name: 'Import records' }).click();
      await expect(page).toHaveURL(url('/records/import'));
      await expect(page.getByRole('heading', { name: 'Import records' })).toBeVisible();
      await page.getByRole('button', { name: 'Upload and import' }).click();
      await expect(page.getByText('Choose the data owner these records come from.')).toBeVisible();
      await page.getByLabel('Data owner').selectOption({ label: OWNER_NAME });
      await page.getByLabel('File', { exact: true }).setInputFiles({
        name: 'lumen-customers.ndjson',
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(NDJSON),
      });
      await expect(page.getByText(/lumen-customers\.ndjson · \d+ B · NDJSON/)).toBeVisible();
      await page.getByRole('button', { name: 'Upload and import' }).click();

      await expect(page.getByTestId('import-progress')).toBeVisible();
      await expect(page.getByTestId('import-result')).toBeVisible();
      await expect(page.getByRole('progressbar', { name: /Import progress, 100%/ })).toBeVisible();
      await expect(page.getByTestId('import-counts')).toContainText('3 accepted · 1 rejected');
      await expect(page.getByTestId('import-accepted')).toHaveText('3');
      await expect(page.getByTestId('import-rejected')).toHaveText('1');
      const sha = createHash('sha256').update(NDJSON).digest('hex');
      await expect(page.getByLabel('SHA-256 of the file as received')).toHaveValue(sha);
      const refused = page.getByTestId('import-rejected-table').locator('tbody tr');
      await expect(refused).toHaveCount(1);
      await expect(refused.first()).toContainText('3');
      await expect(refused.first()).toContainText('vault.line_malformed_json');
      await expect(refused.first()).toContainText('This line is not valid JSON.');
      // nothing of the refused line's content is echoed back
      await expect(page.getByText('Broken line')).toHaveCount(0);
      await quiet(page);
      await shot(page, '34-import');
    });

    test('DAT-03/04: a search by email shows masked values only, and hints when a search cannot match', async () => {
      await page.goto(url('/records'));
      await expect(page.getByText('Search for a record')).toBeVisible();

      // a name word too short is refused before asking the server
      const form = page.getByRole('form', { name: 'Search records' });
      await form.getByText('Name or company', { exact: true }).click();
      await page.getByLabel('Name or company words').fill('Pa');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByText('Enter at least one whole word of 3 or more letters')).toBeVisible();

      // an address the server cannot index answers 400 vault.query_too_broad: shown as a hint with its code
      await form.getByText('Email', { exact: true }).click();
      await page.getByLabel('Email address').fill('someone@example.c');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByText('Search by the whole email address')).toBeVisible();
      await expect(page.getByTestId('error-request-id')).toContainText('vault.query_too_broad');

      await page.getByLabel('Email address').fill(SUBJECT.email.toUpperCase());
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      // DAT-05: the searched email never reaches the address bar (browser history)
      expect(page.url()).not.toContain('LEMAIRE');
      expect(decodeURIComponent(page.url()).toLowerCase()).not.toContain(SUBJECT.email);
      const rows = page.getByTestId('records-table').locator('tbody tr');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText('P**** L******');
      await expect(rows.first()).toContainText('p***@l***.example');
      await expect(rows.first()).toContainText('•••••••42');
      await expect(rows.first()).toContainText(OWNER_NAME);
      // masked only: no full value anywhere on the page, and no total
      const body = page.locator('body');
      await expect(body).not.toContainText(new RegExp(SUBJECT.email.replace(/\./g, '\\.'), 'i'));
      await expect(body).not.toContainText(SUBJECT.fullName);
      await expect(body).not.toContainText(SUBJECT.company);
      await expect(body).not.toContainText('0042');
      await shot(page, '30-records-search');

      // DAT-05: the searched email is not kept anywhere the browser stores: a reload forgets the search
      await page.reload();
      await expect(page.getByTestId('records-table')).toHaveCount(0);
      await expect(page.getByLabel('Email address')).toHaveValue('');
      await page.getByLabel('Email address').fill(SUBJECT.email);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(1);
    });

    test('DAT-04: reveal asks a purpose first, steps up inline, shows one watermarked record, then hides it', async () => {
      test.setTimeout(240_000);
      // Let the second factor of the sign-in age past the 30 s step-up window, so the reveal asks for a code.
      const wait = VERA.lastFactorAt + 32_000 - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);

      await page
        .getByRole('button', { name: /^Reveal / })
        .first()
        .click();
      const dialog = page.getByRole('dialog', { name: 'Reveal one record' });
      await expect(dialog).toBeVisible();
      await expect(dialog.getByTestId('reveal-target')).toContainText('p***@l***.example');
      // nothing is fetched before a purpose and a justification are given
      await dialog.getByRole('button', { name: 'Reveal record' }).click();
      await expect(dialog.getByText('Choose why you need to see this record.')).toBeVisible();
      await expect(dialog.getByText(/Explain why, in at least 10 characters/)).toBeVisible();
      await expect(dialog).not.toContainText(SUBJECT.email);

      await revealWithPurpose(page, dialog, ['31-reveal-purpose', '31b-reveal-step-up']);
      const record = dialog.getByTestId('revealed-record');
      await expect(record).toContainText(SUBJECT.email);
      await expect(record).toContainText('+442079460042');
      await expect(record).toContainText('Head of Loyalty');
      await expect(record).toContainText('Bristol BS1 4DJ');
      await expect(dialog.getByTestId('reveal-watermark')).toContainText(VERA.email);
      await expect(dialog.getByTestId('reveal-countdown')).toHaveText(/^Closes in (60|59|58|57|56|55) s$/);
      await expect(dialog.getByRole('timer')).toBeVisible();
      // one record only: no way to step to another from here
      await expect(dialog.getByRole('button', { name: /next/i })).toHaveCount(0);
      await shot(page, '32-reveal-shown');
      // a value can be copied (people copy them legitimately)
      await dialog.getByRole('button', { name: 'Copy Email' }).click();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(SUBJECT.email);

      await dialog.getByRole('button', { name: 'Close and hide' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.locator('body')).not.toContainText(SUBJECT.email);

      // Opening again starts from the purpose: nothing of the last reveal is kept.
      await page
        .getByRole('button', { name: /^Reveal / })
        .first()
        .click();
      await expect(dialog.getByLabel('Purpose')).toHaveValue('');
      await expect(dialog.getByLabel('Justification')).toHaveValue('');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toBeHidden();
    });

    test('LOG-04: the owner plants a canary and sees what a reveal of it would do', async () => {
      await page.goto(url('/'));
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Canaries' }).click();
      await expect(page).toHaveURL(url('/security/canaries'));
      await expect(page.getByText('What happens when a canary is revealed')).toBeVisible();
      await expect(page.getByText('No canaries yet')).toBeVisible();
      await page.getByRole('button', { name: 'Plant a canary' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Plant a canary' });
      await expect(dialog).toContainText('Do not reveal a canary yourself');
      await dialog.getByLabel('Data owner').selectOption({ label: OWNER_NAME });
      await dialog.getByRole('button', { name: 'Plant canary' }).click();
      await expect(dialog).toBeHidden();
      const rows = page.getByTestId('canaries-table').locator('tbody tr');
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).toContainText(OWNER_NAME);
      await expect(rows.first()).toContainText('Armed');
      await expect(rows.first()).toContainText(/seconds? ago|now/);
      await quiet(page);
      await shot(page, '35-canaries');
    });

    test('DAT-02: the root key is rotated after a confirmation, with progress until it finishes', async () => {
      await page.goto(url('/settings/keys'));
      await expect(page.getByTestId('root-key-version')).toHaveText('v1');
      await expect(page.getByTestId('key-provider')).toHaveText('file');
      await page.getByRole('button', { name: 'Rotate root key' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rotate the root key?' });
      await expect(dialog).toContainText('retired and destroyed');
      await dialog.getByRole('button', { name: 'Rotate root key' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('root-key-version')).toHaveText('v2');
      await expect(page.getByTestId('key-rotation')).toContainText('Idle', { timeout: 30_000 });
      await expect(page.getByTestId('key-versions')).toHaveText('v2 (current)', { timeout: 30_000 });
      await quiet(page);
      await shot(page, '36-keys');
    });

    test('DAT-04: a revealed record closes by itself after 60 seconds (dark theme)', async () => {
      // Last, because Playwright's clock belongs to the browser context: pages opened after it would run on it.
      const timed = await ctx.newPage();
      try {
        await timed.emulateMedia({ colorScheme: 'dark' });
        await timed.clock.install();
        await timed.goto(url('/records'));
        await timed.getByLabel('Email address').fill(SUBJECT.email);
        await timed.getByRole('button', { name: 'Search', exact: true }).click();
        await timed
          .getByRole('button', { name: /^Reveal / })
          .first()
          .click();
        const dialog = timed.getByRole('dialog', { name: 'Reveal one record' });
        await revealWithPurpose(timed, dialog);
        await expect(dialog.getByTestId('reveal-watermark')).toContainText(VERA.email);
        await shot(timed, '32b-reveal-shown-dark');
        await timed.clock.fastForward(50_000);
        await expect(dialog.getByTestId('reveal-countdown')).toHaveText(/^Closes in (10|9|8) s$/);
        await timed.clock.fastForward(11_000);
        await expect(dialog).toBeHidden();
        await expect(timed.getByText('Record hidden again')).toBeVisible();
        await expect(timed.locator('body')).not.toContainText(SUBJECT.email);
      } finally {
        await timed.close();
      }
    });
  });
