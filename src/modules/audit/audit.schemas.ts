/** Request and response schemas of the audit routes. */
import { z } from 'zod';

export const eventsQuery = z.strictObject({
  action: z.string().max(80).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  actorId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

export const auditItem = z.object({
  seq: z.number(),
  at: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  actorType: z.string(),
  actorId: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ipHash: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

export const eventsResponse = z.object({ items: z.array(auditItem), nextBefore: z.number().nullable() });

export const verifyResponse = z.union([
  z.object({ valid: z.literal(true), entries: z.number(), head: z.object({ seq: z.number(), hash: z.string() }) }),
  z.object({ valid: z.literal(false), firstBadSeq: z.number(), reason: z.string(), entries: z.number() }),
]);
