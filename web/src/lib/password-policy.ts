/**
 * The password policy, as `GET /api/v1/auth/password-policy` states it (defaults: at least 12 characters and
 * 3 of the 4 character classes). Checked here only to save a round trip; the server is the judge
 * (`identity.password_policy`) and also refuses passwords built from the email address.
 */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  minCharacterClasses: number;
}

export const defaultPasswordPolicy: PasswordPolicy = { minLength: 12, maxLength: 256, minCharacterClasses: 3 };

export function describePasswordPolicy(policy: PasswordPolicy = defaultPasswordPolicy): string {
  return `At least ${policy.minLength} characters, using at least ${policy.minCharacterClasses} of: lower-case, upper-case, digit, symbol. Do not include your email address.`;
}

export function passwordClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** As the server judges it: the local part of the email (4+ characters) must not appear in the password. */
export function containsEmail(password: string, email: string | null | undefined): boolean {
  const local = email?.split('@')[0]?.toLowerCase();
  return !!local && local.length >= 4 && password.toLowerCase().includes(local);
}

/** Returns the problem in words, or null when the password meets the policy. */
export function checkPassword(
  password: string,
  policy: PasswordPolicy = defaultPasswordPolicy,
  email?: string | null,
): string | null {
  // Count code points, not UTF-16 units, as a person would count characters (and as the server does).
  const length = [...password].length;
  if (length < policy.minLength) return `Use at least ${policy.minLength} characters.`;
  if (length > policy.maxLength) return `Use at most ${policy.maxLength} characters.`;
  if (passwordClasses(password) < policy.minCharacterClasses) {
    return `Use at least ${policy.minCharacterClasses} of: lower-case, upper-case, digit, symbol.`;
  }
  if (containsEmail(password, email)) return 'Do not include your email address.';
  return null;
}
