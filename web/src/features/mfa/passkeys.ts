/**
 * The browser side of passkeys (WebAuthn), through @simplewebauthn/browser: the server's options go in as
 * they came, the JSON answer goes back as is. The browser, not this code, binds the answer to our origin.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
} from '@simplewebauthn/browser';

/** Why a ceremony in the browser did not give an answer, in words a person can act on. */
export class PasskeyCeremonyError extends Error {
  readonly reason: 'cancelled' | 'unsupported' | 'already_registered' | 'failed';
  constructor(reason: PasskeyCeremonyError['reason'], message: string) {
    super(message);
    this.name = 'PasskeyCeremonyError';
    this.reason = reason;
  }
}

export const isPasskeyCeremonyError = (e: unknown): e is PasskeyCeremonyError => e instanceof PasskeyCeremonyError;

function explain(error: unknown, ceremony: 'sign-in' | 'registration'): PasskeyCeremonyError {
  const name = error instanceof WebAuthnError ? (error.cause as Error | undefined)?.name : (error as Error)?.name;
  const code = error instanceof WebAuthnError ? error.code : undefined;
  // NotAllowedError: the person closed the prompt, or it timed out (browsers do not say which, on purpose).
  if (name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_CEREMONY_ABORTED') {
    return new PasskeyCeremonyError(
      'cancelled',
      ceremony === 'sign-in'
        ? 'The passkey prompt was closed or timed out, so nothing was sent. Try again, or choose another way below.'
        : 'The passkey prompt was closed or timed out, so no passkey was created. Try again when you are ready.',
    );
  }
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
    return new PasskeyCeremonyError(
      'already_registered',
      'This authenticator already holds a passkey for your account. Use another device or security key.',
    );
  }
  if (code === 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT') {
    return new PasskeyCeremonyError(
      'unsupported',
      'This authenticator cannot verify you (PIN or biometric), which Strongroom requires. Use another one.',
    );
  }
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return new PasskeyCeremonyError('failed', `The browser could not use a passkey${detail}.`);
}

function requireSupport() {
  if (!browserSupportsWebAuthn()) {
    throw new PasskeyCeremonyError('unsupported', 'This browser does not support passkeys. Choose another way.');
  }
}

/** Asks the browser for an assertion over the server's request options (sign-in or step-up). */
export async function getPasskeyAssertion(
  optionsJSON: PublicKeyCredentialRequestOptionsJSON,
): Promise<AuthenticationResponseJSON> {
  requireSupport();
  try {
    return await startAuthentication({ optionsJSON });
  } catch (error) {
    throw explain(error, 'sign-in');
  }
}

/** Asks the browser to create a passkey over the server's creation options (My account). */
export async function createPasskey(
  optionsJSON: PublicKeyCredentialCreationOptionsJSON,
): Promise<RegistrationResponseJSON> {
  requireSupport();
  try {
    return await startRegistration({ optionsJSON });
  } catch (error) {
    throw explain(error, 'registration');
  }
}
