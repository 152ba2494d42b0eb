/**
 * One place decides HTTP status and error shape: `{ error: { code, message, requestId } }` with a stable
 * dotted `code`. Validation problems name the field and the rule, never the submitted value (which could be a
 * password or personal data). Unexpected errors are logged with their cause and answered with a generic 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isAppError, statusByKind } from '../errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

export function sendError(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): FastifyReply {
  const body: ErrorBody = { error: { code, message, requestId: String(req.id) } };
  if (details !== undefined) body.error.details = details;
  return reply.status(status).header('cache-control', 'no-store').send(body);
}

const fastifyCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'request.malformed_json', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'request.malformed_json', 'The request body is empty but JSON was declared.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'request.body_too_large', 'The request body is larger than this endpoint accepts.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'request.unsupported_media_type',
    'This endpoint does not accept that Content-Type; send application/json.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'request.invalid_content_length',
    'Content-Length does not match the body.',
  ],
};

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isAppError(err)) {
      const status = statusByKind[err.kind];
      if (status >= 500) req.log.error({ err }, 'request failed');
      return sendError(reply, req, status, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const problems = err.validation.map((v) => ({
        field: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        problem: v.message ?? 'is invalid',
      }));
      const first = problems[0];
      const message = first ? `Invalid request: ${first.field} ${first.problem}` : 'Invalid request.';
      return sendError(reply, req, 400, 'request.validation_failed', message, problems);
    }
    const known = err.code ? fastifyCodes[err.code] : undefined;
    if (known) return sendError(reply, req, known[0], known[1], known[2]);
    if (err.statusCode === 429) {
      return sendError(reply, req, 429, 'request.rate_limited', 'Too many requests; slow down and try again shortly.');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, req, err.statusCode, 'request.invalid', 'The request could not be processed.');
    }
    req.log.error({ err }, 'unexpected error');
    return sendError(
      reply,
      req,
      500,
      'internal.error',
      'Something went wrong on our side; the request id helps us find it.',
    );
  });
}
