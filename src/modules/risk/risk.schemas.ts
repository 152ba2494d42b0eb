/** zod request/response schemas of the risk API (shared with the web UI's types). */
import { z } from 'zod';
import { factors } from './indicators.ts';
import { listKinds } from './lists.ts';

export const decisionSchema = z.enum(['allow', 'step_up', 'deny']);
export const stageSchema = z.enum(['login', 'reveal']);
const score = z.number().int().min(0).max(100);

export const indicatorExplanation = z.object({
  id: z.string(),
  factor: z.string(),
  weight: z.number(),
  strength: z.number(),
  points: z.number().describe('weight × strength, before the factor cap'),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export const assessmentSchema = z.object({
  id: z.uuid(),
  at: z.string(),
  stage: stageSchema,
  userId: z.uuid(),
  sessionId: z.uuid().nullable(),
  requestId: z.string().nullable(),
  ipHash: z.string().nullable().describe('keyed hash of the client address, as in the audit log'),
  country: z.string().nullable(),
  asn: z.number().nullable(),
  client: z.string().describe('client class, e.g. chrome:windows (never the User-Agent string)'),
  score,
  decision: decisionSchema,
  outcome: z.enum(['allowed', 'challenged', 'step_up_satisfied', 'denied', 'monitored']),
  enforced: z.boolean(),
  methods: z.array(z.string()).nullable(),
  thresholds: z.object({ stepUp: z.number(), deny: z.number() }),
  indicators: z.array(indicatorExplanation),
});

export const listAssessmentsQuery = z.strictObject({
  userId: z.uuid().optional(),
  stage: stageSchema.optional(),
  decision: decisionSchema.optional(),
  requestId: z.string().max(100).optional(),
  sessionId: z.uuid().optional(),
  before: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const indicatorSpecSchema = z.object({
  id: z.string(),
  factor: z.enum(factors),
  weight: z.number().describe('in force (configured or default)'),
  defaultWeight: z.number(),
  stages: z.array(stageSchema),
  description: z.string(),
  source: z.string(),
});

const factorCaps = z.object(
  Object.fromEntries(factors.map((f) => [f, z.number()])) as Record<(typeof factors)[number], z.ZodNumber>,
);

export const policySchema = z.object({
  mode: z.enum(['enforce', 'monitor', 'off']),
  stepUp: score,
  deny: score,
  factorCaps,
});

export const listKindSchema = z.enum(listKinds);

export const listInfo = z.object({
  list: listKindSchema,
  entries: z.number(),
  sha256: z.string(),
  importedAt: z.string(),
  importedBy: z.string().nullable(),
  via: z.enum(['api', 'cli']),
});

export const importBody = z.strictObject({
  content: z.string().min(1).describe('the list file: one address or CIDR per line, # comments; Tor exit-addresses'),
});

export const importResult = z.object({
  list: listKindSchema,
  entries: z.number(),
  rejectedCount: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.enum(['invalid', 'private', 'too_broad']) })),
  sha256: z.string(),
  replaced: z.boolean(),
});

export const replayBody = z
  .strictObject({
    stepUp: score.optional(),
    deny: score.optional(),
    weights: z.record(z.string().regex(/^[a-z_]+$/), z.number().min(0).max(100)).optional(),
    factorCaps: z
      .strictObject(Object.fromEntries(factors.map((f) => [f, z.number().min(0).max(100).optional()])))
      .optional(),
    days: z.number().int().min(1).max(30).default(30),
  })
  .refine((b) => b.stepUp === undefined || b.deny === undefined || b.stepUp <= b.deny, {
    message: 'stepUp must not exceed deny',
  });

export const replayResult = z.object({
  days: z.number(),
  evaluated: z.number(),
  changed: z.number(),
  transitions: z.record(z.string(), z.number()).describe('e.g. { "allow->step_up": 3 }'),
  examples: z.array(z.object({ id: z.uuid(), from: decisionSchema, to: decisionSchema, score, newScore: score })),
  policy: z.object({
    current: z.object({ stepUp: z.number(), deny: z.number(), weights: z.record(z.string(), z.number()) }),
    candidate: z.object({ stepUp: z.number(), deny: z.number(), weights: z.record(z.string(), z.number()) }),
  }),
});
