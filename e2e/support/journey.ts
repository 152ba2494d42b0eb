/**
 * What the end-to-end journeys share: a person with their own TOTP sequence, the first-run setup, signing in (in
 * the browser or through the API), browser contexts and screenshots. Each spec starts its own server (../server.ts).
 */
import { type APIRequestContext, type Browser, type BrowserContextOptions, expect, type Page } from '@playwright/test';
import { totpCode } from '../../src/modules/identity/totp.ts';

/** One person: credentials and their own TOTP sequence (a code is accepted once per user, ±1 step of 30 s). */
export class Person {
  secret = '';
  id = '';
  /** The CSRF token of this person's API session (see `signInApi`). */
  csrf = '';
  /** When this person last gave a second factor (sign-in, enrolment or step-up). */
  lastFactorAt = 0;
  private lastStep = 0;
  readonly email: string;
  readonly name: string;
  password: string;
  constructor(email: string, name: string, password: string) {
    this.email = email;
    this.name = name;
    this.password = password;
  }

  /** Successive uses need successive steps; waits for the clock when the ±1 window is used up. */
  async nextCode(): Promise<string> {
    for (;;) {
      const current = Math.floor(Date.now() / 30_000);
      const step = Math.max(this.lastStep + 1, current - 1);
      if (step <= current + 1) {
        this.lastStep = step;
        this.lastFactorAt = Date.now();
        return totpCode(this.secret, new Date(step * 30_000 + 15_000));
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** A screenshot under e2e/artifacts/, of the whole page unless `fullPage` is false. */
export const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage });

/** Notifications close by themselves after a few seconds; screenshots wait, so the page under them shows. */
export const quiet = (page: Page) =>
  expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 });

/** A browser context as the journeys use one (1366 × 900, light theme, clipboard allowed); `options` change it. */
/**
 * What a person's desktop browser says it is. Headless Chromium announces itself as "HeadlessChrome", which the
 * risk engine (IAM-14) rightly treats as an automated browser and steps the sign-in up; the journeys act as people.
 */
export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

export function newContext(browser: Browser, options: BrowserContextOptions = {}) {
  return browser.newContext({
    userAgent: DESKTOP_CHROME_UA,
    ignoreHTTPSErrors: true,
    viewport: { width: 1366, height: 900 },
    colorScheme: 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
    ...options,
  });
}

/** The first step of /setup: the first owner's account. */
export async function fillSetupAccount(page: Page, who: Person) {
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Full name').fill(who.name);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByLabel('Confirm password').fill(who.password);
}

/** The whole /setup wizard from the printed link: the account, then the authenticator, whose secret `who` keeps. */
export async function completeSetup(page: Page, setupLink: string, who: Person) {
  await page.goto(setupLink);
  await fillSetupAccount(page, who);
  await page.getByRole('button', { name: 'Continue' }).click();
  who.secret = await page.getByLabel('Secret key').inputValue();
  expect(who.secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('Authentication code').fill(await who.nextCode());
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('link', { name: 'Go to sign-in' })).toBeVisible();
}

/** Step 1 of sign-in on /login: email and password. */
export async function submitPassword(page: Page, baseUrl: string, who: Pick<Person, 'email' | 'password'>) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Step 2 of sign-in: the authenticator code; lands on the home page. */
export async function submitTotp(page: Page, who: Person) {
  await page.getByLabel('Authentication code').fill(await who.nextCode());
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('home-email')).toHaveText(who.email);
}

/** Signs in in the browser with password and authenticator code. */
export async function signIn(page: Page, baseUrl: string, who: Person) {
  await submitPassword(page, baseUrl, who);
  await submitTotp(page, who);
}

/** Signs in through the API: the request context keeps the session cookie, `who` keeps the CSRF token. */
export async function signInApi(request: APIRequestContext, baseUrl: string, who: Person) {
  const login = await request.post(`${baseUrl}/api/v1/auth/login`, {
    data: { email: who.email, password: who.password },
  });
  expect(login.status()).toBe(200);
  const { challengeId } = await login.json();
  const mfa = await request.post(`${baseUrl}/api/v1/auth/mfa`, {
    data: { challengeId, method: 'totp', code: await who.nextCode() },
  });
  expect(mfa.status(), await mfa.text()).toBe(200);
  who.csrf = (await mfa.json()).csrfToken;
}
