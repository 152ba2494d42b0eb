/**
 * Request and response schemas for the MFA routes (shared with the web UI). Dates travel as ISO strings.
 * The WebAuthn answers are plain `z.object` (unknown keys dropped, not refused): browsers add fields to
 * these JSON forms over time, and the verifier reads only the fields named here.
 */
import { z } from 'zod';
import { mfaMethods } from './mfa.types.ts';

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

export const mfaMethod = z.enum(mfaMethods);

const credentialCommon = {
  id: base64url(1366),
  rawId: base64url(1366),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};

export const registrationResponse = z.object({
  ...credentialCommon,
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(65_536),
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
});

export const authenticationResponse = z.object({
  ...credentialCommon,
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(2048),
    userHandle: base64url(128).optional(),
  }),
});

/** PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON, passed to @simplewebauthn/browser as is. */
export const webauthnCreationOptions = z.looseObject({
  challenge: z.string(),
  rp: z.object({ id: z.string().optional(), name: z.string() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.object({ alg: z.number(), type: z.literal('public-key') })),
});
export const webauthnRequestOptions = z.looseObject({ challenge: z.string(), rpId: z.string().optional() });

export const passkeyLabel = z.string().trim().min(1).max(64);
export const webauthnRegistrationFinishBody = z.strictObject({ label: passkeyLabel, response: registrationResponse });
export const webauthnRegistrationFinishResponse = z.object({ id: z.uuid() });
export const webauthnLoginFinishBody = z.strictObject({ response: authenticationResponse });

export const smsEnrolmentBody = z.strictObject({ phone: z.string().trim().min(8).max(32) });
export const smsCodeBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });
export const smsSentResponse = z.object({ expiresAt: z.string() });

export const recoveryCodeBody = z.strictObject({ code: z.string().trim().min(12).max(40) });
export const recoveryCodesResponse = z.object({
  codes: z.array(z.string()).describe('Shown once; store them offline. Each works once.'),
});
export const recoveryCodeUsedResponse = z.object({ remaining: z.number().int().min(0) });

export const removeMethodParams = z.strictObject({ method: mfaMethod });
export const removePasskeyParams = z.strictObject({ id: z.uuid() });

export const mfaOverviewResponse = z.object({
  methods: z.array(mfaMethod),
  passkeys: z.array(
    z.object({
      id: z.uuid(),
      label: z.string(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
      isBackedUp: z.boolean(),
    }),
  ),
  sms: z
    .object({ maskedPhone: z.string(), confirmedAt: z.string().nullable(), lastUsedAt: z.string().nullable() })
    .nullable(),
  recoveryCodesRemaining: z.number().int().min(0),
});

export const devOutboxQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
export const devOutboxResponse = z.object({
  items: z.array(z.object({ id: z.uuid(), createdAt: z.string(), to: z.string(), text: z.string() })),
});

export type RegistrationResponseBody = z.infer<typeof registrationResponse>;
export type AuthenticationResponseBody = z.infer<typeof authenticationResponse>;
