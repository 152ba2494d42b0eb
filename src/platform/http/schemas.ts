/** Schemas shared by every route, for validation and the OpenAPI document. */
import { z } from 'zod';

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('Stable dotted error code, e.g. auth.invalid_credentials'),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .describe('Error');

/** Standard error answers for a route that needs a session. */
export const authErrors = { 401: errorResponse, 403: errorResponse } as const;
export const noContent = z.null().describe('No content');
