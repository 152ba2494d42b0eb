import { invalidFields, isApiError } from '../../lib/api-client.ts';

/** Where an enrolment failure belongs on screen: the link (whole page), a field, or shown whole. */
export type EnrollErrorPlace = 'token' | 'restart' | 'password' | 'code' | 'unexpected';

export function placeOfEnrollError(error: unknown): EnrollErrorPlace {
  if (!isApiError(error)) return 'unexpected';
  switch (error.code) {
    case 'enrollment.token_invalid':
      return 'token';
    case 'enrollment.not_started':
      return 'restart';
    case 'identity.password_policy':
      return 'password';
    case 'enrollment.totp_invalid':
      return 'code';
  }
  if (error.code === 'request.validation_failed') {
    const fields = invalidFields(error);
    if (fields.includes('body.token')) return 'token';
    if (fields.includes('body.password')) return 'password';
    if (fields.includes('body.totpCode')) return 'code';
  }
  return 'unexpected';
}
