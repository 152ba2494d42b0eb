/**
 * The risk engine (IAM-14) as a security person sees it, in Chromium against `npm start`: sign-ins arrive through
 * a trusted proxy (X-Forwarded-For) from London, then Sydney minutes later (impossible travel), a Tor exit and a
 * refused country; the owner imports the Tor list in the UI, opens the Risk page, explains the Sydney sign-in
 * indicator by indicator, replays a stricter threshold and reads the indicator catalogue. Screenshots under
 * e2e/artifacts/ (70-…).
 */
import { type APIRequestContext, type BrowserContext, expect, type Page, request, test } from '@playwright/test';
import { type StartedServer, startServer } from './server.ts';
import { completeSetup, newContext, Person, shot, signIn } from './support/journey.ts';

const OWNER = new Person('rosa.risk@example.test', 'Rosa Risk', 'Risk-Engine-Owner-42');

const LONDON = '81.2.69.160';
const SYDNEY = '1.1.1.1';
const TOR_EXIT = '185.220.101.1';
const PYONGYANG = '175.45.176.10';
const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';

let server: StartedServer;
let ctx: BrowserContext;
let page: Page;
let api: APIRequestContext;
const url = (p: string) => `${server.baseUrl}${p}`;

test.beforeAll(async ({ browser }) => {
  // the server sits behind a proxy on this host, which tells it the client address
  server = await startServer({ STRONGROOM_TRUSTED_PROXIES: '127.0.0.1/32', STRONGROOM_RISK_DENIED_COUNTRIES: 'KP' });
  ctx = await newContext(browser, { permissions: [] });
  page = await ctx.newPage();
  api = await request.newContext({
    baseURL: server.baseUrl,
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: { 'user-agent': BROWSER_UA, 'accept-language': 'en-GB', 'sec-fetch-site': 'same-origin' },
  });
});

test.afterAll(async () => {
  await api?.dispose();
  await ctx?.close();
  await server?.stop();
});

/** The password step from `ip` (through the trusted proxy); with `complete`, the second factor too. */
async function signInFrom(ip: string, complete = false) {
  const login = await api.post('/api/v1/auth/login', {
    headers: { 'x-forwarded-for': ip },
    data: { email: OWNER.email, password: OWNER.password },
  });
  if (!complete || login.status() !== 200) return login.status();
  const mfa = await api.post('/api/v1/auth/mfa', {
    headers: { 'x-forwarded-for': ip },
    data: { challengeId: (await login.json()).challengeId, method: 'totp', code: await OWNER.nextCode() },
  });
  return mfa.status();
}

test.describe
  .serial('risk engine', () => {
    test('the owner sets up Strongroom', async () => {
      await completeSetup(page, server.setupLink as string, OWNER);
    });

    test('sign-ins from London, Sydney minutes later, a Tor exit and a refused country are scored', async () => {
      expect(await signInFrom(LONDON, true)).toBe(200);
      expect(await signInFrom(SYDNEY)).toBe(200); // step-up: the strongest factor only
      expect(await signInFrom(PYONGYANG)).toBe(401); // deny: the same answer as a wrong password
    });

    test('the owner signs in and imports the Tor exit list', async () => {
      await signIn(page, server.baseUrl, OWNER);

      await page.getByRole('link', { name: 'Risk' }).click();
      await expect(page.getByRole('heading', { name: 'Risk engine' })).toBeVisible();
      await page.getByRole('tab', { name: 'Address lists' }).click();
      await page
        .getByLabel('Addresses or CIDRs, one a line')
        .fill(
          `ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\nExitAddress ${TOR_EXIT} 2026-11-20 10:50:12\n10.0.0.1\n`,
        );
      await page.getByRole('button', { name: 'Replace the list' }).click();
      await expect(page.getByText('List imported')).toBeVisible();
      await expect(page.getByText('line 3: private')).toBeVisible();
      await shot(page, '70-risk-lists');
      // a sign-in through Tor minutes after London (Tor exit, impossible travel, new country) is now refused
      expect(await signInFrom(TOR_EXIT)).toBe(401);
    });

    test('the Risk page lists decisions; the Sydney sign-in is explained indicator by indicator', async () => {
      await page.getByRole('tab', { name: 'Assessments' }).click();
      const table = page.getByRole('table', { name: 'Risk assessments' });
      await expect(table.getByText('Deny').first()).toBeVisible();
      await expect(table.getByText('geo_impossible_travel').first()).toBeVisible();
      await expect(table.getByText('ip_tor_exit').first()).toBeVisible();
      await shot(page, '71-risk-assessments');
      // the Sydney sign-in: impossible travel, answered with a step-up (the Tor and KP ones were denied)
      const row = table.getByRole('row').filter({ hasText: 'geo_impossible_travel' }).filter({ hasText: 'Step-up' });
      await row.getByRole('button', { name: /Explain assessment/ }).click();
      const drawer = page.getByRole('dialog');
      await expect(drawer.getByText('Risk assessment · sign-in')).toBeVisible();
      const indicators = drawer.getByRole('table', { name: 'Indicators that fired' });
      await expect(indicators.getByText('geo_impossible_travel')).toBeVisible();
      await expect(indicators.getByText(/Evidence: .*from: GB/)).toBeVisible();
      await expect(indicators.getByText(/Evidence: .*to: AU/)).toBeVisible();
      await expect(drawer.getByText('Step-up', { exact: true })).toBeVisible();
      await shot(page, '72-risk-explanation');
      await page.getByRole('button', { name: 'Close assessment' }).click();
    });

    test('replay shows how many decisions a stricter threshold would change, enforcing nothing', async () => {
      await page.getByRole('tab', { name: 'Replay' }).click();
      await page.getByLabel('Step-up from').fill('10');
      await page.getByRole('button', { name: 'Replay' }).click();
      await expect(page.getByText(/decisions in the last 30 days would change/)).toBeVisible();
      await expect(page.getByText(/allow → step-up: \d+/)).toBeVisible();
      await shot(page, '73-risk-replay');
      await page.getByRole('tab', { name: 'Indicators' }).click();
      const catalogue = page.getByRole('table', { name: 'Risk indicators' });
      await expect(catalogue.getByText('geo_impossible_travel')).toBeVisible();
      expect(await catalogue.getByRole('row').count()).toBeGreaterThan(30);
      await shot(page, '74-risk-indicators');
    });

    test('the audit log shows the risk decision behind a sign-in', async () => {
      await page.goto(url('/audit'));
      await page.getByRole('row').filter({ hasText: 'auth.login.password_verified' }).first().getByText('View').click();
      const drawer = page.getByRole('dialog');
      await expect(drawer.getByText('Risk decision')).toBeVisible();
      await expect(drawer.getByRole('table', { name: 'Indicators that fired' })).toBeVisible();
      await shot(page, '75-risk-in-audit');
    });
  });
