/** Words for the server's machine values, shown on the user screens. */
export const grantedViaLabel: Record<string, string> = {
  approval: 'given at creation, in force once approved',
  admin: 'role change',
  setup: 'first-run setup',
  init: 'command-line init',
};

export const lockReasonLabel: Record<string, string> = {
  admin: 'locked by an administrator',
  inactivity: 'inactive for 30 days (IAM-06)',
  failed_logins: 'too many failed sign-ins (IAM-05)',
};

export const sessionEndLabel: Record<string, string> = {
  logout: 'signed out',
  replaced: 'replaced by a newer sign-in',
  expired: 'expired',
  revoked: 'ended by you, or because your access changed',
  locked: 'account locked',
  offboarded: 'account offboarded',
};

export const mfaMethodLabel: Record<string, string> = {
  totp: 'Authenticator app (TOTP)',
};
