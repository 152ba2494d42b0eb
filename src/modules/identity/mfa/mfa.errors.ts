/**
 * One factory per MFA failure; the codes are a public contract. Sign-in failures are `unauthenticated`;
 * failures while managing one's own methods ("my account") are `validation`/`conflict`, so a wrong code there
 * is never mistaken by the web client for a lost session. Messages never carry numbers, codes or labels.
 */
import { AppError } from '../../../platform/errors.ts';

// --- sign-in (401) ---
export const webauthnFailed = () =>
  new AppError('unauthenticated', 'mfa.webauthn_failed', 'The passkey could not be verified; try again.');
export const smsCodeInvalid = () =>
  new AppError('unauthenticated', 'mfa.sms_code_invalid', 'The text-message code is not correct.');
export const smsCodeExpired = () =>
  new AppError(
    'unauthenticated',
    'mfa.sms_code_expired',
    'The text-message code has expired or was already used; request a new one.',
  );
export const recoveryCodeInvalid = () =>
  new AppError('unauthenticated', 'mfa.recovery_code_invalid', 'The recovery code is not valid.');
export const methodUnavailable = () =>
  new AppError('unauthenticated', 'mfa.method_unavailable', 'This sign-in method is not set up for the account.');

// --- managing one's own methods (400/404/409) ---
export const webauthnRegistrationFailed = () =>
  new AppError(
    'validation',
    'mfa.webauthn_registration_failed',
    'The passkey could not be registered; start again (the request is valid for 5 minutes).',
  );
export const webauthnCredentialExists = () =>
  new AppError('conflict', 'mfa.webauthn_credential_exists', 'This passkey is already registered.');
export const smsEnrolmentCodeInvalid = () =>
  new AppError('validation', 'mfa.sms_enrolment_code_invalid', 'The code sent to the new number is not correct.');
export const smsEnrolmentCodeExpired = () =>
  new AppError(
    'validation',
    'mfa.sms_enrolment_code_expired',
    'The code sent to the new number has expired or was already used; add the number again.',
  );
export const phoneInvalid = () =>
  new AppError('validation', 'mfa.phone_invalid', 'Enter the phone number in international form, e.g. +4915123456789.');
export const labelInvalid = () =>
  new AppError('validation', 'mfa.label_invalid', 'A passkey name must be 1 to 64 characters long.');
export const methodNotFound = () =>
  new AppError('not_found', 'mfa.method_not_found', 'This sign-in method was not found on your account.');
export const lastMethod = () =>
  new AppError(
    'conflict',
    'mfa.last_method',
    'This is your only second factor; add another one before removing it (MFA is mandatory).',
  );

// --- both ---
export const smsRateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'mfa.sms_rate_limited', 'Too many text messages; wait before requesting another.', {
    retryAfterSeconds,
  });
export const smsDeliveryFailed = (cause: 'timeout' | 'network' | 'rejected') =>
  new AppError('unavailable', 'mfa.sms_delivery_failed', 'The text message could not be sent; try again later.', {
    cause,
  });
