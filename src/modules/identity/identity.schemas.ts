/** Request and response schemas of the identity routes (shared with the web UI). */
import { z } from 'zod';
import { mfaSchemas } from './mfa/index.ts';

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be a valid email address' }));
const token = z.string().min(16).max(200);

export const setupStatusResponse = z.object({ needed: z.boolean() });
export const setupStartBody = z.strictObject({ token, email: z.string().max(254).optional() });
export const totpEnrolment = z.object({ totpSecret: z.string(), otpauthUrl: z.string() });
export const setupCompleteBody = z.strictObject({
  token,
  email,
  name: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(1024),
  totpCode: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
});
export const userSummary = z.object({ id: z.uuid(), email: z.string(), roles: z.array(z.string()) });

export const loginBody = z.strictObject({ email: z.string().max(254), password: z.string().max(1024) });
const mfaMethodName = z.enum(['totp', 'webauthn', 'sms', 'recovery_code']);
export const loginResponse = z.object({
  mfaRequired: z.literal(true),
  challengeId: z.string(),
  methods: z.array(mfaMethodName).describe('Second factors this account has enrolled'),
});
const challengeId = z.string().min(16).max(200);
/** One second factor: a code (TOTP, SMS, recovery code) or a passkey assertion. */
const secondFactorFields = [
  { method: z.literal('totp'), code: z.string().max(20) },
  { method: z.literal('sms'), code: z.string().max(20) },
  { method: z.literal('recovery_code'), code: z.string().max(40) },
  { method: z.literal('webauthn'), response: mfaSchemas.authenticationResponse },
] as const;
export const mfaBody = z.discriminatedUnion(
  'method',
  secondFactorFields.map((f) => z.strictObject({ challengeId, ...f })) as unknown as [
    z.ZodObject<{ challengeId: typeof challengeId; method: z.ZodLiteral<'totp'>; code: z.ZodString }>,
  ],
);
export const mfaOptionsBody = z.strictObject({ challengeId, method: z.enum(['webauthn', 'sms']) });
export const mfaOptionsResponse = z.object({
  method: z.enum(['webauthn', 'sms']),
  options: z.unknown().optional().describe('PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get()'),
  expiresAt: z.string().optional().describe('When the SMS code expires'),
});
export const mfaResponse = z.object({ user: userSummary, csrfToken: z.string() });
export const meResponse = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
    dormantPermissions: z.array(z.string()),
    mfaMethods: z.array(z.enum(['totp', 'webauthn', 'sms', 'recovery_code'])),
    grants: z.array(
      z.object({
        id: z.uuid(),
        permission: z.string(),
        ownerIds: z.array(z.string()).nullable(),
        expiresAt: z.string().nullable(),
      }),
    ),
  }),
  csrfToken: z.string(),
  session: z.object({
    id: z.uuid(),
    expiresAt: z.string(),
    idleExpiresAt: z.string(),
    elevatedUntil: z.string().nullable(),
    mfaAt: z.string(),
    stepUpValidUntil: z.string(),
  }),
});
export const passwordPolicyResponse = z.object({
  minLength: z.number(),
  maxLength: z.number(),
  minCharacterClasses: z.number(),
});
export const setupCompleteResponse = z.object({ user: userSummary });

export const uuidParam = z.strictObject({ id: z.uuid() });
export const stepUpBody = z.discriminatedUnion(
  'method',
  secondFactorFields.map((f) => z.strictObject({ ...f })) as unknown as [
    z.ZodObject<{ method: z.ZodLiteral<'totp'>; code: z.ZodString }>,
  ],
);
export const stepUpOptionsBody = z.strictObject({ method: z.enum(['webauthn', 'sms']) });
export const elevateBody = z.strictObject({
  reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(500),
  minutes: z.number().int().min(1).max(60).default(30),
});
export const elevateResponse = z.object({ csrfToken: z.string(), elevatedUntil: z.string() });
export const changePasswordBody = z.strictObject({
  currentPassword: z.string().max(1024),
  newPassword: z.string().min(1).max(1024),
});
export const sessionItem = z.object({
  id: z.uuid(),
  current: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  elevatedUntil: z.string().nullable(),
  ipHash: z.string().nullable(),
});

const roleName = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be a role name');
export const createUserBody = z.strictObject({
  email,
  name: z.string().trim().min(1).max(200),
  roles: z.array(roleName).min(1).max(10),
});
export const userStatusResponse = z.object({ id: z.uuid(), status: z.string() });
export const listUsersQuery = z.strictObject({
  status: z.enum(['pending_approval', 'active', 'locked', 'disabled', 'offboarded']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const enrollmentLinkResponse = z.object({ token: z.string(), url: z.string(), expiresAt: z.string() });
export const enrollmentStartBody = z.strictObject({ token });
export const enrollmentCompleteBody = z.strictObject({
  token,
  password: z.string().min(1).max(1024),
  totpCode: z.string().regex(/^\d{6}$/, 'must be 6 digits'),
});
export const offboardBody = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });
export const changeRolesBody = z.strictObject({
  add: z.array(roleName).max(10).default([]),
  remove: z.array(roleName).max(10).default([]),
});
export const createServiceTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(['records.write'])).min(1),
  allowedCidrs: z.array(z.string().max(50)).min(1).max(50),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
