/** One factory per vault failure; codes are a public contract. Messages never carry a value from a record. */
import { AppError } from '../../platform/errors.ts';

export const recordNotFound = () => new AppError('not_found', 'vault.record_not_found', 'There is no such record.');
export const ownerNotFound = () => new AppError('not_found', 'vault.owner_not_found', 'There is no such data owner.');
export const queryMissing = () =>
  new AppError(
    'validation',
    'vault.query_required',
    'Search by email=, phone=, externalRef= or q= (a name or company).',
  );
export const queryTooBroad = () =>
  new AppError(
    'validation',
    'vault.query_too_broad',
    'This search is too broad: give a full email or phone number, or at least one name word of 3+ letters.',
  );
export const fieldInvalid = (field: string, code: string, message: string) =>
  new AppError('validation', code, `${field}: ${message}`, { field });
export const unknownField = (field: string) =>
  new AppError('validation', 'vault.unknown_field', `${field} is not a field of the catalogue.`, { field });
export const noFields = () => new AppError('validation', 'vault.no_fields', 'A record needs at least one field.');
export const grantOutOfScope = () => recordNotFound();
export const ipNotAllowed = () =>
  new AppError(
    'forbidden',
    'access.ip_not_allowed',
    'Confidential data cannot be reached from this network address (IP allow-list).',
  );
export const stepUpRequired = () =>
  new AppError(
    'forbidden',
    'auth.step_up_required',
    'Confirm with a second factor first (step-up); revealing needs a recent one.',
  );
export const lockedDown = () =>
  new AppError(
    'unavailable',
    'security.lockdown',
    'Strongroom is locked down: confidential data is closed to everyone but incident responders.',
  );
export const quotaExceeded = (window: string, limit: number) =>
  new AppError('rate_limited', 'vault.quota_exceeded', `Your reveal quota for this ${window} (${limit}) is used up.`, {
    window,
    limit,
  });
export const rotationUnavailable = (why: string) => new AppError('conflict', 'keys.rotation_unavailable', why);
