/**
 * Second factors beyond the authenticator app (IAM-03), in Chromium against `npm start` on a fresh data
 * directory: the owner sets up Strongroom and signs in; in My account adds a passkey (Chromium's virtual
 * authenticator), signs out and back in with it, and elevates with it; adds a phone, reads the code in the
 * development SMS outbox, and signs in with a texted code (meeting the SMS rate limit on the way); generates
 * recovery codes and signs in with one, which is refused the second time; finally removes factors until the
 * server refuses to remove the last one. Screenshots under e2e/artifacts/ (50-…).
 *
 * The step-up window is the server's minimum (30 s), so adding and removing factors meets the inline step-up
 * ("Confirm it is you") as a person would after ten quiet minutes.
 */
import { type BrowserContext, expect, type Locator, type Page, request, test } from '@playwright/test';
import { type StartedServer, startServer } from './server.ts';
import {
  completeSetup,
  DESKTOP_CHROME_UA,
  newContext,
  Person,
  shot,
  signInApi,
  submitPassword,
  submitTotp,
} from './support/journey.ts';

const OWNER = new Person('mia.owner@example.test', 'Mia Owner', 'Second-Factor-Owner-9');

const PHONE = '+1 555 555 0123';
let server: StartedServer;
let ctx: BrowserContext;
let page: Page;
let recoveryCodes: string[] = [];

/** Extra views for a reviewer, outside the artifacts folder. */
const look = (p: Page, name: string) =>
  p.screenshot({ path: `${process.env.MFA_LOOK_DIR ?? 'test-results'}/mfa-${name}.png` });
const url = (p: string) => `${server.baseUrl}${p}`;

test.beforeAll(async ({ browser }) => {
  server = await startServer({ STRONGROOM_STEP_UP_MAX_AGE_SECONDS: '30' });
  ctx = await newContext(browser);
  page = await ctx.newPage();
});

test.afterAll(async () => {
  await ctx?.close();
  await server?.stop();
});

/** Step 1 of sign-in; answers with the second step on screen. */
async function password(p: Page) {
  await submitPassword(p, server.baseUrl, OWNER);
  await expect(p.getByLabel('Authentication code')).toBeVisible();
}

async function signOut(p: Page) {
  await p.getByRole('button', { name: 'Sign out' }).click();
  await expect(p).toHaveURL(/\/login/);
}

/**
 * After an action in a My-account dialog: either the action's next state appears, or the server asked for a
 * fresh second factor first; then confirm with the authenticator code and wait for the next state.
 */
async function confirmIfAsked(dialog: Locator, next: Locator) {
  const stepUp = dialog.getByTestId('step-up');
  await expect(stepUp.or(next)).toBeVisible({ timeout: 15_000 });
  if (await stepUp.isVisible()) {
    await expect(stepUp).toContainText('Confirm it is you');
    await stepUp.getByLabel('Authentication code').fill(await OWNER.nextCode());
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
  }
  await expect(next).toBeVisible({ timeout: 15_000 });
}

/**
 * The newest development SMS, read through the API in a session of its own (the browser is signing in). The
 * person reads it at the same desk: a scripted client's User-Agent would make the risk engine step that sign-in
 * up to the strongest factor (the passkey, which lives in the browser), as it should for a script.
 */
async function latestSmsCodeViaApi(): Promise<string> {
  const api = await request.newContext({
    baseURL: server.baseUrl,
    ignoreHTTPSErrors: true,
    userAgent: DESKTOP_CHROME_UA,
  });
  try {
    await signInApi(api, server.baseUrl, OWNER);
    const box = await api.get('/api/v1/admin/sms-outbox?limit=1');
    expect(box.status()).toBe(200);
    const text = ((await box.json()) as { items: { text: string }[] }).items[0]?.text ?? '';
    expect(text).toContain('sign-in code');
    return /\b(\d{6})\b/.exec(text)?.[1] as string;
  } finally {
    await api.dispose();
  }
}

test.describe
  .serial('second factors', () => {
    test('the owner sets up Strongroom and signs in with the authenticator app', async () => {
      await completeSetup(page, server.setupLink as string, OWNER);

      await password(page);
      // Only the authenticator app so far: no other ways are offered.
      await expect(page.getByTestId('other-factors')).toHaveCount(0);
      await submitTotp(page, OWNER);

      await page.goto(url('/account'));
      const card = page.getByTestId('second-factors');
      await expect(card.getByTestId('factor-totp')).toContainText('On');
      await expect(card.getByTestId('factor-webauthn')).toContainText('None');
      await expect(card.getByTestId('second-factors-advice')).toBeVisible();
    });

    test('My account adds a passkey made by the virtual authenticator', async () => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

      await page.goto(url('/account'));
      const card = page.getByTestId('second-factors');
      await card.getByRole('button', { name: 'Add a passkey' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a passkey' });
      await dialog.getByLabel('Passkey name').fill('Test laptop');
      await dialog.getByRole('button', { name: 'Create passkey' }).click();
      const added = page.getByText('"Test laptop" can now be used to sign in');
      await confirmIfAsked(dialog, added);
      await expect(dialog).toBeHidden();
      const row = card.getByTestId('passkeys').locator('tr[data-passkey-label="Test laptop"]');
      await expect(row).toBeVisible();
      await expect(row).toContainText('Never');
      await expect(card.getByTestId('second-factors-advice')).toHaveCount(0);
      await shot(page, '51-mfa-passkey-added');
    });

    test('signs out, then signs in with the passkey, and elevates with it', async () => {
      await signOut(page);
      await password(page);
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await expect(page.getByTestId('home-email')).toHaveText(OWNER.email);

      await page.goto(url('/account'));
      const row = page.getByTestId('passkeys').locator('tr[data-passkey-label="Test laptop"]');
      await expect(row).not.toContainText('Never');

      // Elevation with a step-up by passkey: end the sign-in window, wait out the 30 s step-up window.
      await page.getByRole('button', { name: 'End elevation' }).first().click();
      await page.getByRole('button', { name: 'Elevate', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Elevate your session' });
      await dialog.getByLabel('Reason').fill('Checking the SMS outbox (end-to-end test)');
      await dialog.getByLabel('Minutes').fill('60');
      const stepUp = dialog.getByTestId('step-up');
      if (!(await stepUp.isVisible())) {
        await page.waitForTimeout(31_000);
        await dialog.getByRole('button', { name: 'Elevate', exact: true }).click();
      }
      await expect(stepUp).toBeVisible();
      await expect(stepUp.getByTestId('other-factors')).toContainText('Use a passkey');
      await look(page, 'elevation-step-up');
      await stepUp.getByRole('button', { name: 'Use a passkey' }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId('elevation-badge')).toBeVisible();
    });

    test('adds a phone: the code is read in the SMS outbox and confirmed', async () => {
      await page.goto(url('/account'));
      const card = page.getByTestId('second-factors');
      await card.getByRole('button', { name: 'Add a phone' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a phone' });
      await dialog.getByLabel('Phone number').fill('12345');
      await dialog.getByRole('button', { name: 'Send code' }).click();
      await expect(dialog.getByText('Enter the number in international form')).toBeVisible();
      await dialog.getByLabel('Phone number').fill(PHONE);
      await dialog.getByRole('button', { name: 'Send code' }).click();
      await confirmIfAsked(dialog, dialog.getByTestId('sms-sent'));
      await expect(dialog.getByTestId('sms-sent')).toContainText('Code sent to +1 555 555 0123, expires at');

      // The development outbox, in a second tab of the same session (the owner is elevated).
      const outbox = await ctx.newPage();
      await outbox.goto(url('/settings/sms-outbox'));
      await expect(outbox.getByRole('link', { name: 'SMS outbox' })).toBeVisible();
      await expect(outbox.getByTestId('sms-outbox-note')).toContainText('Only for development installs');
      const newest = outbox.getByTestId('sms-outbox-table').locator('tbody tr').first();
      await expect(newest).toContainText('+15555550123');
      const text = (await newest.getByTestId('sms-text').textContent()) ?? '';
      expect(text).toContain('code to confirm this number');
      const code = /\b(\d{6})\b/.exec(text)?.[1] as string;
      await shot(outbox, '53-sms-outbox');
      await outbox.close();

      await dialog.getByLabel('SMS code').fill(code === '000000' ? '111111' : '000000');
      await dialog.getByRole('button', { name: 'Confirm number' }).click();
      await expect(dialog.getByText('That code is not correct')).toBeVisible();
      await dialog.getByLabel('SMS code').fill(code);
      await dialog.getByRole('button', { name: 'Confirm number' }).click();
      await expect(dialog).toBeHidden();
      await expect(card.getByTestId('factor-sms')).toContainText('On');
      await expect(card.getByTestId('masked-phone')).toHaveText(/^\+\*+23$/);
    });

    test('signs in with a texted code, after the SMS rate limit says how long to wait', async () => {
      test.setTimeout(120_000);
      await signOut(page);
      await password(page);
      await page.getByRole('button', { name: 'Text me a code' }).click();
      // The phone got its enrolment code moments ago: one text per 30 s.
      const limited = page.getByTestId('sms-rate-limited');
      const sent = page.getByTestId('sms-sent');
      await expect(limited.or(sent)).toBeVisible();
      if (await limited.isVisible()) {
        await expect(limited).toContainText(/You can ask for another code in \d+ s/);
        await look(page, 'sms-rate-limited');
        const again = page.getByRole('button', { name: 'Text me a code' });
        await expect(again).toBeDisabled();
        await expect(again).toBeEnabled({ timeout: 40_000 });
        await again.click();
      }
      await expect(sent).toContainText(/Code sent, expires at /);
      await look(page, 'sms-sent');
      await expect(page.getByRole('button', { name: 'Send a new code' })).toBeDisabled();
      const code = await latestSmsCodeViaApi();
      await page.getByLabel('SMS code').fill(code);
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect(page.getByTestId('home-email')).toHaveText(OWNER.email);
    });

    test('generates recovery codes, shown once, and signs in with one; it is refused the second time', async () => {
      test.setTimeout(120_000);
      await page.goto(url('/account'));
      const card = page.getByTestId('second-factors');
      await card.getByRole('button', { name: 'Generate recovery codes' }).click();
      const dialog = page.getByRole('dialog', { name: 'Generate recovery codes' });
      await dialog.getByRole('button', { name: 'Generate codes' }).click();
      const shown = page.getByRole('dialog', { name: 'Your new recovery codes' });
      await confirmIfAsked(dialog.or(shown), shown.getByTestId('recovery-codes'));
      const items = shown.getByTestId('recovery-codes').locator('li');
      await expect(items).toHaveCount(10);
      recoveryCodes = (await items.allTextContents()).map(
        (t) => /([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})/.exec(t)?.[1] ?? '',
      );
      expect(recoveryCodes.every((c) => c.length === 14)).toBe(true);
      await expect(shown).toContainText('shown only once');
      const download = page.waitForEvent('download');
      await shown.getByRole('button', { name: 'Download as text' }).click();
      expect((await download).suggestedFilename()).toBe('strongroom-recovery-codes.txt');
      await expect(shown.getByRole('button', { name: 'Done' })).toBeDisabled();
      // The viewport only: a full-page capture would show the page below the modal's overlay.
      await shot(page, '52-recovery-codes', false);
      await shown.getByLabel('I have stored these codes somewhere safe').check();
      await shown.getByRole('button', { name: 'Done' }).click();
      await expect(shown).toBeHidden();
      await expect(card.getByTestId('factor-recovery')).toContainText('10 left');

      await signOut(page);
      await password(page);
      const others = page.getByTestId('other-factors');
      await expect(others.getByRole('button')).toHaveText(['Use a passkey', 'Text me a code', 'Use a recovery code']);
      await shot(page, '50-mfa-choose');
      await page.getByRole('button', { name: 'Use a recovery code' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0] as string);
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect(page.getByTestId('home-email')).toHaveText(OWNER.email);
      await expect(page.getByText('You used a recovery code')).toBeVisible();

      await signOut(page);
      await password(page);
      await page.getByRole('button', { name: 'Use a recovery code' }).click();
      await page.getByLabel('Recovery code').fill((recoveryCodes[0] as string).toUpperCase());
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect(page.getByText('That recovery code is not valid or was already used')).toBeVisible();
      await page.getByRole('button', { name: 'Use your authenticator app' }).click();
      await submitTotp(page, OWNER);
    });

    test('My account lists every factor; the last one cannot be removed', async () => {
      test.setTimeout(120_000);
      await page.goto(url('/account'));
      const card = page.getByTestId('second-factors');
      await expect(card.getByTestId('factor-totp')).toContainText('On');
      await expect(card.getByTestId('passkeys').locator('tbody tr')).toHaveCount(1);
      await expect(card.getByTestId('factor-sms')).toContainText('last used');
      await expect(card.getByTestId('factor-recovery')).toContainText('9 left');
      await shot(page, '54-second-factors');

      // Remove the passkey and the phone; then the authenticator app is the last factor. The first removal
      // comes after the 30 s step-up window: the dialog asks to confirm (here with that very passkey).
      await page.waitForTimeout(31_000);
      await card.getByRole('button', { name: 'Remove passkey Test laptop' }).click();
      let dialog = page.getByRole('dialog', { name: 'Remove the passkey "Test laptop"?' });
      await dialog.getByRole('button', { name: 'Remove' }).click();
      const stepUp = dialog.getByTestId('step-up');
      await expect(stepUp).toContainText('Removing a second factor needs a fresh confirmation.');
      await expect(stepUp.getByTestId('other-factors').getByRole('button')).toHaveText([
        'Use a passkey',
        'Text me a code',
        'Use a recovery code',
      ]);
      await look(page, 'step-up-in-dialog');
      await stepUp.getByRole('button', { name: 'Use a passkey' }).click();
      await expect(page.getByText('Passkey removed')).toBeVisible();
      await expect(dialog).toBeHidden();
      await expect(card.getByTestId('factor-webauthn')).toContainText('None');

      await card.getByRole('button', { name: 'Remove the phone number' }).click();
      dialog = page.getByRole('dialog', { name: 'Remove your phone number?' });
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await confirmIfAsked(dialog, page.getByText('Phone number removed'));
      await expect(card.getByTestId('factor-sms')).toContainText('Not set up');

      await card.getByRole('button', { name: 'Remove the authenticator app' }).click();
      dialog = page.getByRole('dialog', { name: 'Remove the authenticator app?' });
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await confirmIfAsked(dialog, dialog.getByTestId('last-method'));
      await expect(dialog.getByTestId('last-method')).toContainText('This is your only second factor');
      await look(page, 'last-method');
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      await expect(card.getByTestId('factor-totp')).toContainText('On');
    });
  });
