/** Request and response schemas of the vault routes (shared with the web UI). */
import { z } from 'zod';

export const purposes = [
  'customer_request',
  'data_quality',
  'legal',
  'security_investigation',
  'data_subject_request',
] as const;

export const idParam = z.strictObject({ id: z.uuid() });
export const createOwnerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  contactEmails: z.array(z.string().trim().max(254).pipe(z.email())).min(1).max(20),
});
export const ownerItem = z.object({
  id: z.uuid(),
  name: z.string(),
  contactEmails: z.array(z.string()),
  records: z.number(),
  createdAt: z.string(),
});
export const createRecordBody = z.strictObject({
  ownerId: z.uuid(),
  externalRef: z.string().trim().min(1).max(200).optional(),
  fields: z.record(z.string().max(64), z.unknown()),
});
export const createRecordResponse = z.object({ id: z.uuid() });
export const searchQuery = z.strictObject({
  email: z.string().max(254).optional(),
  phone: z.string().max(40).optional(),
  q: z.string().max(200).optional(),
  externalRef: z.string().max(200).optional(),
  ownerId: z.uuid().optional(),
});
export const searchResponse = z.object({
  items: z.array(z.object({ id: z.uuid(), ownerId: z.uuid(), masked: z.record(z.string(), z.string()) })),
});
export const revealBody = z.strictObject({
  purpose: z.enum(purposes),
  justification: z.string().trim().min(10, 'must explain why, in at least 10 characters').max(2000),
});
export const revealResponse = z.object({
  id: z.uuid(),
  ownerId: z.uuid(),
  fields: z.record(z.string(), z.string()),
  revealedAt: z.string(),
});
export const bulkQuery = z.strictObject({ ownerId: z.uuid().optional(), ingestId: z.uuid().optional() });
export const bulkResponse = z.object({
  ingestId: z.uuid(),
  accepted: z.number(),
  rejected: z
    .array(z.object({ line: z.number(), code: z.string(), message: z.string() }))
    .describe('The first 1,000 refused lines'),
  rejectedCount: z.number(),
  lines: z.number(),
  sha256: z.string(),
});
export const ingestResponse = z.object({
  id: z.uuid(),
  status: z.string(),
  format: z.string(),
  lines: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  bytes: z.number(),
  sha256: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const createCanaryBody = z.strictObject({ ownerId: z.uuid() });
export const keyStatusResponse = z.object({
  rotation: z.object({ state: z.enum(['idle', 'running']), done: z.number(), total: z.number() }),
  rootKeyVersion: z.number(),
  versionsInUse: z.array(z.number()),
  provider: z.string(),
});
