/**
 * TOTP (RFC 6238) second factor (IAM-03): SHA-1, 6 digits, 30 s steps, ±1 step of clock drift. A code is
 * accepted once: the step it matched is stored and any step at or before it is refused afterwards.
 */
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function otpauthUrl(secretBase32: string, label: string): string {
  return new TOTP({
    issuer: 'Strongroom',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  }).toString();
}

/** The step the code matched, or undefined. */
export function matchTotp(secretBase32: string, code: string, at: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = new TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
  const delta = totp.validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return undefined;
  return Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** For tests and the CLI: the code for a given time. */
export function totpCode(secretBase32: string, at: Date = new Date()): string {
  return new TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  }).generate({
    timestamp: at.getTime(),
  });
}
