/**
 * Passkeys (IAM-03) per W3C WebAuthn Level 2, verified by @simplewebauthn/server. Phishing-resistant: the
 * browser binds each answer to our origin and the authenticator to our RP ID, and both are checked exactly.
 * - User verification is required (PIN or biometric), so a passkey is a multi-factor authenticator on its own
 *   (NIST SP 800-63B §5.1.8/§5.1.9); user presence is required too.
 * - Challenges: 32 random bytes, stored as SHA-256 in the database (any node can finish a ceremony), valid
 *   5 minutes, single use: consumed by the first answer, right or wrong, and tied to user and purpose.
 * - Signature counter (WebAuthn L2 §6.1.1): an authentic signature whose counter does not move forward
 *   suggests a cloned authenticator; it is refused as `counter_regressed` (worth an alert), not just "failed".
 * - Attestation `none`: we trust the user's choice of authenticator rather than a vendor list.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Queryable } from '../../../platform/db/db.ts';
import { newId, sha256 } from '../../../platform/ids.ts';
import * as errors from './mfa.errors.ts';
import { addMs, type MfaDeps, type MfaResult, refuse } from './mfa.types.ts';
import * as repo from './webauthn.repository.ts';

export const WEBAUTHN_CHALLENGE_TTL_MS = 5 * 60_000;
/** EdDSA, ES256, RS256: what passkey providers and security keys use; fixed so options and checks agree. */
const ALGORITHMS = [-8, -7, -257];
const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/** The challenge the browser signed, read from clientDataJSON; undefined when it is not well-formed. */
function signedChallenge(clientDataJSON: unknown): string | undefined {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return undefined;
  try {
    const challenge = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'))?.challenge;
    return typeof challenge === 'string' && challenge.length <= 256 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

type Purpose = 'registration' | 'authentication';
type RegistrationRefusal = 'challenge_expired' | 'verification_failed' | 'credential_exists';
type LoginRefusal = 'challenge_expired' | 'unknown_credential' | 'verification_failed' | 'counter_regressed';

export interface PasskeySummary {
  id: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  isBackedUp: boolean;
}

export function createWebauthn(deps: Pick<MfaDeps, 'clock' | 'webauthn'>) {
  const { clock } = deps;
  const { rpId, rpName, origin } = deps.webauthn;

  async function storeChallenge(q: Queryable, userId: string, purpose: Purpose, c: string) {
    const at = clock.now();
    const expiresAt = addMs(at, WEBAUTHN_CHALLENGE_TTL_MS);
    await repo.insertWebauthnChallenge(q, { id: newId(), userId, purpose, hash: sha256(c), at, expiresAt });
  }

  /** Consumes the challenge the answer was signed over; false for unknown, foreign, expired or used ones. */
  const takeChallenge = async (q: Queryable, userId: string, purpose: Purpose, c?: string) =>
    c !== undefined && repo.consumeWebauthnChallenge(q, { userId, purpose, hash: sha256(c), at: clock.now() });

  return {
    /** Options for navigator.credentials.create(); the user handle is the opaque user id, never the email. */
    async beginWebauthnRegistration(
      q: Queryable,
      user: { id: string; name: string; displayName: string },
    ): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const existing = await repo.listWebauthnCredentials(q, user.id);
      const options = await generateRegistrationOptions({
        rpName,
        rpID: rpId,
        userID: new Uint8Array(Buffer.from(user.id.replaceAll('-', ''), 'hex')),
        userName: user.name,
        userDisplayName: user.displayName,
        timeout: WEBAUTHN_CHALLENGE_TTL_MS,
        attestationType: 'none',
        excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
        supportedAlgorithmIDs: ALGORITHMS,
      });
      await storeChallenge(q, user.id, 'registration', options.challenge);
      return options;
    },

    async finishWebauthnRegistration(
      q: Queryable,
      userId: string,
      input: { response: RegistrationResponseJSON; label: string },
    ): Promise<MfaResult<{ credentialId: string }, RegistrationRefusal>> {
      const label = input.label.trim();
      if (label.length < 1 || label.length > 64) throw errors.labelInvalid();
      const challenge = signedChallenge(input.response.response?.clientDataJSON);
      if (!(await takeChallenge(q, userId, 'registration', challenge))) {
        return refuse('challenge_expired', errors.webauthnRegistrationFailed());
      }
      const failed = () => refuse('verification_failed', errors.webauthnRegistrationFailed());
      const info = await verifyRegistrationResponse({
        response: input.response,
        expectedChallenge: challenge as string,
        expectedOrigin: origin,
        expectedRPID: rpId,
        requireUserPresence: true,
        requireUserVerification: true,
        supportedAlgorithmIDs: ALGORITHMS,
      }).then(
        (r) => r.registrationInfo,
        () => undefined, // the library throws for every malformed or mismatched answer
      );
      // The id the client will present later must be the one the authenticator certified.
      if (!info || info.credential.id !== input.response.id) return failed();
      if (await repo.webauthnCredentialExists(q, info.credential.id)) {
        return refuse('credential_exists', errors.webauthnCredentialExists());
      }
      const id = newId();
      await repo.insertWebauthnCredential(q, {
        id,
        userId,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey),
        signCount: info.credential.counter,
        transports: (info.credential.transports ?? []).filter((t) => TRANSPORTS.has(t)).slice(0, 8),
        label,
        aaguid: info.aaguid,
        deviceType: info.credentialDeviceType,
        isBackedUp: info.credentialBackedUp,
        at: clock.now(),
      });
      return { ok: true, credentialId: id };
    },

    /** Options for navigator.credentials.get(), limited to this user's passkeys (after the password step). */
    async beginWebauthnLogin(
      q: Queryable,
      userId: string,
    ): Promise<MfaResult<{ options: PublicKeyCredentialRequestOptionsJSON }, 'method_unavailable'>> {
      const credentials = await repo.listWebauthnCredentials(q, userId);
      if (!credentials.length) return refuse('method_unavailable', errors.methodUnavailable());
      const options = await generateAuthenticationOptions({
        rpID: rpId,
        allowCredentials: credentials.map((c) => ({ id: c.credential_id, transports: c.transports })),
        userVerification: 'required',
        timeout: WEBAUTHN_CHALLENGE_TTL_MS,
      });
      await storeChallenge(q, userId, 'authentication', options.challenge);
      return { ok: true, options };
    },

    async finishWebauthnLogin(
      q: Queryable,
      userId: string,
      response: AuthenticationResponseJSON,
    ): Promise<MfaResult<{ credentialId: string }, LoginRefusal>> {
      const challenge = signedChallenge(response.response?.clientDataJSON);
      if (!(await takeChallenge(q, userId, 'authentication', challenge))) {
        return refuse('challenge_expired', errors.webauthnFailed());
      }
      const cred = await repo.lockWebauthnCredential(q, userId, String(response.id));
      if (!cred) return refuse('unknown_credential', errors.webauthnFailed());
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge as string,
        expectedOrigin: origin,
        expectedRPID: rpId,
        // Counter 0 here: the library then leaves the counter to us, so that a regression is told apart from
        // a bad signature. The check below is the same rule, applied only once the signature is proven.
        credential: { id: cred.credential_id, publicKey: new Uint8Array(cred.public_key), counter: 0 },
        requireUserVerification: true,
      }).catch(() => undefined);
      if (!result?.verified) return refuse('verification_failed', errors.webauthnFailed());
      const info = result.authenticationInfo;
      const stored = Number(cred.sign_count);
      if ((info.newCounter > 0 || stored > 0) && info.newCounter <= stored) {
        return refuse('counter_regressed', errors.webauthnFailed());
      }
      await repo.markWebauthnUsed(q, cred.id, info.newCounter, info.credentialBackedUp, clock.now());
      return { ok: true, credentialId: cred.id };
    },

    async listPasskeys(q: Queryable, userId: string): Promise<PasskeySummary[]> {
      return (await repo.listWebauthnCredentials(q, userId)).map((c) => ({
        id: c.id,
        label: c.label,
        createdAt: c.created_at,
        lastUsedAt: c.last_used_at,
        isBackedUp: c.is_backed_up,
      }));
    },
  };
}
