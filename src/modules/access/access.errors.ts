/** One factory per access failure; codes are a public contract. */
import { AppError } from '../../platform/errors.ts';

export const grantNotFound = () => new AppError('not_found', 'grants.not_found', 'There is no such grant.');
export const grantNotPending = () =>
  new AppError('conflict', 'grants.not_pending', 'This grant has already been decided.');
export const grantSelfApproval = () =>
  new AppError(
    'forbidden',
    'grants.self_approval_forbidden',
    'A grant must be approved by a second top-level admin, not by the person who asked for it or receives it.',
  );
export const grantApproverLacksPermission = () =>
  new AppError(
    'forbidden',
    'grants.approver_lacks_permission',
    'Only a top-level admin who holds this permission may approve granting it.',
  );
export const grantRequesterNotAllowed = () =>
  new AppError(
    'forbidden',
    'grants.requester_not_allowed',
    'Only a top-level admin who holds this permission may ask to grant it.',
  );
export const permissionNotGrantable = (permission: string) =>
  new AppError('validation', 'grants.permission_not_grantable', `${permission} cannot be granted this way.`);
export const expiryInPast = () =>
  new AppError('validation', 'grants.expiry_in_past', 'The expiry must be in the future.');
export const elevationRequired = (permission: string) =>
  new AppError(
    'forbidden',
    'access.elevation_required',
    'This is a privileged action: elevate your session (with a reason) and try again.',
    { permission },
  );
export const allowlistEntryNotFound = () =>
  new AppError('not_found', 'allowlist.not_found', 'There is no such allow-list entry.');
export const invalidCidr = () =>
  new AppError('validation', 'allowlist.invalid_cidr', 'Give an IP address or a CIDR such as 203.0.113.0/24.');
export const roleExists = () => new AppError('conflict', 'roles.exists', 'A role with this name already exists.');
export const unknownRole = (role: string) =>
  new AppError('validation', 'roles.unknown', `There is no role named ${role}.`, { role });
