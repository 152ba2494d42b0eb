/** Request and response schemas of the access routes. */
import { z } from 'zod';

export const idParam = z.strictObject({ id: z.uuid() });
export const requestGrantBody = z.strictObject({
  permission: z.string().max(80),
  ownerIds: z.array(z.uuid()).max(100).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  reason: z.string().trim().max(500).optional(),
});
export const grantStatusResponse = z.object({ id: z.uuid(), status: z.string() });
export const grant = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  permission: z.string(),
  ownerIds: z.array(z.string()).nullable(),
  expiresAt: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  requestedBy: z.uuid(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export const listGrantsQuery = z.strictObject({
  status: z.enum(['pending_approval', 'active', 'rejected', 'revoked']).optional(),
  userId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const allowlistBody = z.strictObject({
  cidr: z.string().max(50),
  userId: z.uuid().optional(),
  label: z.string().trim().min(1).max(100),
});
export const allowlistResponse = z.object({
  usingDefaults: z.boolean(),
  defaults: z.array(z.string()),
  items: z.array(
    z.object({
      id: z.uuid(),
      cidr: z.string(),
      userId: z.string().nullable(),
      label: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export const createRoleBody = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and _'),
  description: z.string().trim().min(1).max(300),
  permissions: z.array(z.string().max(80)).min(1).max(60),
});
