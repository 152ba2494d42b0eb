/**
 * Passwords (IAM-10). Hashing: argon2id with the OWASP Password Storage Cheat Sheet's first configuration
 * (m = 19 MiB, t = 2, p = 1). Policy: at least 12 characters (the control's floor; NIST SP 800-63B §3.1.1.2
 * asks for ≥ 8 and a maximum of at least 64), at most 256 (bounds hashing cost), at least three of four
 * character classes (the ISMS's complexity rule; NIST discourages composition rules, so it is configurable),
 * not built from the account's email, not on a list of 49,000 common passwords shipped offline (NIST SP
 * 800-63B §5.1.1.2 "passwords obtained from previous breach corpuses"; list from @zxcvbn-ts/language-common),
 * and not one of the account's previous 12 passwords (IAM-10).
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../platform/errors.ts';

/** `algorithm: 2` is Algorithm.Argon2id (a const enum, which type stripping cannot import). */
export const argon2Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  minCharacterClasses: number;
}

export const defaultPasswordPolicy: PasswordPolicy = { minLength: 12, maxLength: 256, minCharacterClasses: 3 };

export function passwordProblems(password: string, policy: PasswordPolicy, email?: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < policy.minLength) problems.push(`must be at least ${policy.minLength} characters long`);
  if (length > policy.maxLength) problems.push(`must be at most ${policy.maxLength} characters long`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < policy.minCharacterClasses) {
    problems.push(
      `must mix at least ${policy.minCharacterClasses} of: lower-case letters, upper-case letters, digits, symbols`,
    );
  }
  if (/^(.)\1*$/u.test(password)) problems.push('must not repeat a single character');
  if (isCommonPassword(password)) problems.push('is too common (it appears in lists of leaked passwords)');
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) {
    problems.push('must not contain your email address');
  }
  return problems;
}

export function assertPasswordPolicy(password: string, policy: PasswordPolicy, email?: string): void {
  const problems = passwordProblems(password, policy, email);
  if (problems.length) {
    throw new AppError('validation', 'identity.password_policy', `The password ${problems.join('; ')}.`, {
      problems,
    });
  }
}

export const hashPassword = (password: string): Promise<string> => hash(password, argon2Options);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Verified against when the account does not exist, so timing does not reveal which emails are registered. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('strongroom-dummy-password-for-timing', argon2Options);
  return dummyHash;
}

let common: Set<string> | undefined;

/**
 * Exact match, or a common password dressed up with capitals and leading/trailing digits and symbols
 * ("Password123!", "!Qwerty2026").
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  const lower = password.toLowerCase();
  const candidates = [
    lower,
    lower.replace(/[^a-z0-9]+$/u, ''),
    lower.replace(/[^a-z]+$/u, '').replace(/^[^a-z]+/u, ''),
  ];
  return candidates.some((c) => c.length >= 4 && common?.has(c));
}

export const PASSWORD_HISTORY_SIZE = 12;

/** True when `password` matches one of the given previous hashes (newest first, at most the history size). */
export async function isReusedPassword(previousHashes: readonly string[], password: string): Promise<boolean> {
  for (const h of previousHashes.slice(0, PASSWORD_HISTORY_SIZE)) {
    if (await verifyPassword(h, password)) return true;
  }
  return false;
}
