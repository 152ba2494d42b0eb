/** Request and response schemas of the audit routes (shared with the web UI and the OpenAPI document). */
import { z } from 'zod';

export const eventsQuery = z.strictObject({
  action: z.string().max(80).optional().describe('Exact action, e.g. auth.login.failed'),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  actorId: z.uuid().optional().describe('Entries by this actor (a user, service or token id)'),
  from: z.iso.datetime({ offset: true }).optional().describe('Entries at or after this instant (ISO 8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Entries before this instant (ISO 8601)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional().describe('Page: entries with a smaller seq'),
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
  ipHash: z.string().nullable().describe('Keyed hash of the client address; the key rotates every 30 days'),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

export const eventsResponse = z.object({ items: z.array(auditItem), nextBefore: z.number().nullable() });

export const verifyResponse = z.union([
  z.object({
    valid: z.literal(true),
    entries: z.number().describe('Entries verified (the retained log)'),
    head: z.object({ seq: z.number(), hash: z.string() }),
    checkpoints: z.number().optional(),
    tombstones: z.number().optional(),
    prunedThrough: z.number().optional().describe('Entries 1…n were pruned by retention under signed tombstones'),
  }),
  z.object({ valid: z.literal(false), firstBadSeq: z.number(), reason: z.string(), entries: z.number() }),
]);

export const signedCheckpoint = z.object({
  body: z.object({
    format: z.literal('strongroom-checkpoint/1'),
    treeSize: z.number(),
    rootHash: z.string(),
    headHash: z.string(),
    at: z.string(),
    keyId: z.string(),
  }),
  signature: z.string().describe('Ed25519 over the canonical JSON of body, base64'),
  publicKey: z.string().describe('Raw Ed25519 public key, base64'),
  consistency: z.object({ from: z.number(), path: z.array(z.string()) }).nullable(),
  fingerprint: z.string(),
});

export const statusResponse = z.object({
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  pending: z.number().describe('Entries committed but not yet sequenced (the integrator lag)'),
  oldestPendingMs: z.number().nullable(),
  latestCheckpoint: signedCheckpoint.nullable(),
  retention: z.object({
    days: z.number(),
    cutoff: z.string().describe('Entries before this instant are pruned by the next run of the retention job'),
    prunedThrough: z.number(),
    lastPrunedAt: z.string().nullable(),
  }),
  checkpointEmail: z.boolean().describe('Whether checkpoints are mailed to an outside auditor'),
});

export const exportQuery = z.strictObject({});
