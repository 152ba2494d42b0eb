/** Request and response schemas of the identity routes (shared with the web UI). */
import { z } from 'zod';

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
export const loginResponse = z.object({
  mfaRequired: z.literal(true),
  challengeId: z.string(),
  methods: z.array(z.enum(['totp'])),
});
export const mfaBody = z.strictObject({
  challengeId: z.string().min(16).max(200),
  method: z.enum(['totp']),
  code: z.string().max(20),
});
export const mfaResponse = z.object({ user: userSummary, csrfToken: z.string() });
export const meResponse = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
  }),
  csrfToken: z.string(),
  session: z.object({ id: z.uuid(), expiresAt: z.string(), idleExpiresAt: z.string() }),
});
export const passwordPolicyResponse = z.object({
  minLength: z.number(),
  maxLength: z.number(),
  minCharacterClasses: z.number(),
});
export const setupCompleteResponse = z.object({ user: userSummary });
