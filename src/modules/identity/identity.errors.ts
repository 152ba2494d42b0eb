/** One factory per identity failure; codes are a public contract. */
import { AppError } from '../../platform/errors.ts';

export const invalidCredentials = () =>
  new AppError('unauthenticated', 'auth.invalid_credentials', 'The email, password or code is not correct.');
export const mfaInvalid = () =>
  new AppError(
    'unauthenticated',
    'auth.mfa_invalid',
    'The second factor was not accepted (wrong or used code, or passkey); try again.',
  );
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
export const userNotFound = () => new AppError('not_found', 'users.not_found', 'There is no such user.');
export const userNotPending = () =>
  new AppError('conflict', 'users.not_pending', 'This account is not waiting for approval.');
export const selfApproval = () =>
  new AppError(
    'forbidden',
    'users.self_approval_forbidden',
    'A new account must be approved by someone other than the person who created it.',
  );
export const approvalNotAllowed = () =>
  new AppError(
    'forbidden',
    'users.approval_not_allowed',
    'Only a top-level admin can approve an account with the owner role.',
  );
export const bootstrapClosed = () =>
  new AppError(
    'forbidden',
    'users.bootstrap_closed',
    'Host-operator approval is only for bootstrapping, while fewer than two owners are active. Approve in the app.',
  );
export const roleNotAssignable = () =>
  new AppError('forbidden', 'users.role_not_assignable', 'Only a top-level admin can give the owner role.');
export const alreadyEnrolled = () =>
  new AppError('conflict', 'users.already_enrolled', 'This account has already enrolled its credentials.');
export const notApproved = () =>
  new AppError('conflict', 'users.not_approved', 'The account must be approved before it can enrol.');
export const enrollmentTokenInvalid = () =>
  new AppError(
    'unauthenticated',
    'enrollment.token_invalid',
    'This enrolment link is invalid, expired or already used; ask an administrator for a new one.',
  );
export const enrollmentNotStarted = () =>
  new AppError('validation', 'enrollment.not_started', 'Start the enrolment (scan the QR code) before completing it.');
export const enrollmentTotpInvalid = () =>
  new AppError(
    'validation',
    'enrollment.totp_invalid',
    'The authentication code does not match; check the app and retry.',
  );
export const passwordReused = () =>
  new AppError(
    'validation',
    'identity.password_reused',
    'Choose a password you have not used for this account before (the last 12 are remembered).',
  );
export const currentPasswordWrong = () =>
  new AppError('validation', 'identity.current_password_wrong', 'The current password is not correct.');
export const userStateConflict = (message: string) => new AppError('conflict', 'users.invalid_state', message);
export const strongerFactorRequired = () =>
  new AppError(
    'unauthenticated',
    'auth.stronger_factor_required',
    'This sign-in needs your strongest second factor: a passkey, or the code from your authenticator app.',
  );
