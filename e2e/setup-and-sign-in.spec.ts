/**
 * A new operator's first minutes, in Chromium against `npm start` on a fresh data directory: open the printed
 * setup link, create the first owner with an authenticator, sign in with password + TOTP, look at the home and
 * audit pages, and see the first browser signed out when a second one signs in (IAM-04).
 */
import { expect, test } from '@playwright/test';
import { type StartedServer, startServer } from './server.ts';
import { fillSetupAccount, Person, shot, signIn } from './support/journey.ts';

/**
 * A TOTP code is accepted once (IAM-03) and within ±1 step of 30 s, so successive sign-ins use successive
 * steps (`Person.nextCode`), waiting for the clock when the window is used up.
 */
const OWNER = new Person('first.owner@example.test', 'First Owner', 'Brand-New-Vault-Owner-7');
let server: StartedServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test.describe
  .serial('first run', () => {
    test('npm start prints a one-time setup link; the setup page creates the first owner', async ({ page }) => {
      expect(server.setupLink).toMatch(/^https:\/\/localhost:\d+\/setup#token=[\w-]{43}$/);
      await page.goto(server.setupLink as string);
      await fillSetupAccount(page, OWNER);
      await shot(page, '01-setup-account');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.getByTestId('totp-qr').locator('svg')).toBeVisible();
      OWNER.secret = await page.getByLabel('Secret key').inputValue();
      expect(OWNER.secret).toMatch(/^[A-Z2-7]{32}$/);
      await shot(page, '02-setup-authenticator');
      // setup does not spend a step for sign-in, but use the same sequence to stay simple
      await page.getByLabel('Authentication code').fill(await OWNER.nextCode());
      await page.getByRole('button', { name: 'Create administrator' }).click();
      await expect(page.getByRole('link', { name: 'Go to sign-in' })).toBeVisible();
      await shot(page, '03-setup-done');
    });

    test('the setup link cannot be used twice', async ({ page }) => {
      await page.goto(server.setupLink as string);
      await expect(page.getByText('Setup is already done')).toBeVisible();
    });

    test('sign-in with password then TOTP lands on the home page', async ({ page }) => {
      await page.goto(`${server.baseUrl}/`);
      await expect(page).toHaveURL(/\/login/);
      await shot(page, '04-sign-in');
      await signIn(page, server.baseUrl, OWNER);
      await expect(page.getByTestId('home-roles')).toContainText('owner');
      await shot(page, '05-home');
    });

    test('the audit log shows the setup and sign-in, and verifies intact', async ({ page }) => {
      await signIn(page, server.baseUrl, OWNER);
      await page.goto(`${server.baseUrl}/audit`);
      const table = page.getByTestId('audit-table');
      await expect(table).toContainText('auth.login.succeeded');
      await expect(table).toContainText('setup.completed');
      await page.getByRole('button', { name: 'Verify log integrity' }).click();
      await expect(page.getByTestId('audit-verify-result')).toHaveText(/Intact/);
      await shot(page, '06-audit');
    });

    test('IAM-04: a second browser signing in signs the first one out with a clear message', async ({ browser }) => {
      test.setTimeout(120_000);
      const first = await browser.newContext({ ignoreHTTPSErrors: true });
      const second = await browser.newContext({ ignoreHTTPSErrors: true });
      const p1 = await first.newPage();
      const p2 = await second.newPage();
      await signIn(p1, server.baseUrl, OWNER);
      await signIn(p2, server.baseUrl, OWNER);
      await p1.goto(`${server.baseUrl}/audit`);
      await expect(p1.getByTestId('session-replaced-alert')).toBeVisible();
      await expect(p1.getByTestId('session-replaced-alert')).toContainText('signed in on another device');
      await shot(p1, '07-session-replaced');
      await first.close();
      await second.close();
    });

    test('the API reference renders from the OpenAPI document', async ({ page }) => {
      const spec = await page.request.get(`${server.baseUrl}/api/openapi.json`);
      expect(spec.ok()).toBe(true);
      expect(Object.keys((await spec.json()).paths)).toContain('/api/v1/auth/login');
      await page.goto(`${server.baseUrl}/api/docs`);
      await expect(page.getByText('Strongroom API').first()).toBeVisible();
      await shot(page, '08-api-docs');
    });
  });
