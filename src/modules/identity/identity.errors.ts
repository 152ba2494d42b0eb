/** One factory per identity failure; codes are a public contract. */
import { AppError } from '../../platform/errors.ts';

export const invalidCredentials = () =>
  new AppError('unauthenticated', 'auth.invalid_credentials', 'The email, password or code is not correct.');
export const mfaInvalid = () =>
  new AppError('unauthenticated', 'auth.mfa_invalid', 'The authentication code is not correct; try the current one.');
export const challengeExpired = () =>
  new AppError('unauthenticated', 'auth.challenge_expired', 'The sign-in attempt expired; enter your password again.');
export const unauthenticated = () => new AppError('unauthenticated', 'auth.unauthenticated', 'Sign in to continue.');
export const sessionReplaced = () =>
  new AppError(
    'unauthenticated',
    'auth.session_replaced',
    'You were signed out because your account signed in elsewhere; only one session per person is allowed.',
  );
export const sessionExpired = () =>
  new AppError('unauthenticated', 'auth.session_expired', 'Your session has expired; sign in again.');
export const csrfInvalid = () =>
  new AppError('forbidden', 'auth.csrf_invalid', 'The X-CSRF-Token header is missing or does not match this session.');
export const setupTokenInvalid = () =>
  new AppError(
    'unauthenticated',
    'setup.token_invalid',
    'This setup link is invalid, expired or already used. Restart the server to print a new one.',
  );
export const setupTotpInvalid = () =>
  new AppError('validation', 'setup.totp_invalid', 'The authentication code does not match; check the app and retry.');
export const setupNotStarted = () =>
  new AppError('validation', 'setup.not_started', 'Start the setup (scan the QR code) before completing it.');
export const emailTaken = () =>
  new AppError('conflict', 'identity.email_taken', 'An account with this email already exists.');
export const alreadyInitialised = () =>
  new AppError('conflict', 'setup.already_initialised', 'Strongroom already has an administrator.');
