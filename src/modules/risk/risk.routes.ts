/** HTTP adapter of the risk engine: assessments (explained), indicators and policy, list imports, replay. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse } from '../../platform/http/schemas.ts';
import { indicatorSpecs } from './indicators.ts';
import {
  assessmentSchema,
  importBody,
  importResult,
  indicatorSpecSchema,
  listAssessmentsQuery,
  listInfo,
  listKindSchema,
  policySchema,
  replayBody,
  replayResult,
} from './risk.schemas.ts';
import type { RiskService } from './risk.service.ts';
import { weightOf } from './scoring.ts';

const errs = { 400: errorResponse, 404: errorResponse, 413: errorResponse, ...authErrors };
const tags = ['risk'];

export function riskRoutes(deps: { risk: RiskService; guard: Guard }) {
  const { risk, guard } = deps;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/v1/risk/assessments',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'Risk assessments, newest first (filter by user, stage, decision, request or session id)',
          querystring: listAssessmentsQuery,
          response: { 200: z.object({ items: z.array(assessmentSchema) }), ...errs },
        },
      },
      async (req) => {
        const q = req.query;
        return {
          items: await risk.list({
            userId: q.userId,
            stage: q.stage,
            decision: q.decision,
            requestId: q.requestId,
            sessionId: q.sessionId,
            before: q.before ? new Date(q.before) : undefined,
            limit: q.limit,
          }),
        };
      },
    );
    r.get(
      '/api/v1/risk/assessments/:id',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'One assessment, explained indicator by indicator',
          params: z.strictObject({ id: z.uuid() }),
          response: { 200: assessmentSchema, ...errs },
        },
      },
      async (req) => risk.get(req.params.id),
    );
    r.get(
      '/api/v1/risk/indicators',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'Every indicator (factor, weight in force, stages, data source) and the policy in force',
          response: {
            200: z.object({ items: z.array(indicatorSpecSchema), policy: policySchema }),
            ...errs,
          },
        },
      },
      async () => ({
        items: indicatorSpecs.map((s) => ({
          ...s,
          stages: [...s.stages],
          defaultWeight: s.weight,
          weight: weightOf(risk.policy, s.id),
        })),
        policy: {
          mode: risk.mode,
          stepUp: risk.policy.stepUp,
          deny: risk.policy.deny,
          factorCaps: { ...risk.policy.factorCaps },
        },
      }),
    );
    r.get(
      '/api/v1/risk/lists',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'Imported address lists',
          response: { 200: z.object({ items: z.array(listInfo) }), ...errs },
        },
      },
      async () => ({ items: await risk.lists() }),
    );
    r.put(
      '/api/v1/risk/lists/:list',
      {
        preHandler: guard('alerts.manage'),
        schema: {
          tags,
          summary: 'Replace the Tor exit or threat list (one address or CIDR per line); audited',
          params: z.strictObject({ list: listKindSchema }),
          body: importBody,
          response: { 200: importResult, ...errs },
        },
      },
      async (req) => {
        const ctx = contextOf(req);
        return risk.importList(principalOf(req).userId, req.params.list, req.body.content, 'api', ctx);
      },
    );
    r.post(
      '/api/v1/risk/replay',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'Replay the last days of assessments under other thresholds/weights; reports changed decisions',
          body: replayBody,
          response: { 200: replayResult, ...errs },
        },
      },
      async (req) => risk.replay(principalOf(req).userId, req.body, contextOf(req)),
    );
  };
}
