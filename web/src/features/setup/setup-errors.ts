import { invalidFields, isApiError } from '../../lib/api-client.ts';

/** Where a setup failure belongs on screen. */
export type SetupErrorPlace = 'token' | 'email' | 'password' | 'code' | 'already_done' | 'unexpected';

/**
 * Maps the server's codes (and, for schema validation, the field it names) to the place the person can act
 * on it; anything unknown is shown whole, with its request id.
 */
export function placeOfSetupError(error: unknown): SetupErrorPlace {
  if (!isApiError(error)) return 'unexpected';
  switch (error.code) {
    case 'setup.token_invalid':
      return 'token';
    case 'identity.password_policy':
      return 'password';
    case 'setup.totp_invalid':
      return 'code';
    case 'identity.email_taken':
      return 'email';
    case 'setup.already_initialised':
      return 'already_done';
  }
  if (error.code === 'request.validation_failed') {
    const fields = invalidFields(error);
    if (fields.includes('body.token')) return 'token';
    if (fields.includes('body.email')) return 'email';
    if (fields.includes('body.password')) return 'password';
    if (fields.includes('body.totpCode')) return 'code';
  }
  return 'unexpected';
}
