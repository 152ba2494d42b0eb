/**
 * Structured logging (pino) with redaction (DAT-05). Request bodies are never logged; headers that carry
 * credentials and any field that commonly carries secrets or personal data are censored wherever they appear.
 */
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

export const redactPaths: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'newPassword',
    'token',
    'totpSecret',
    'secret',
    'code',
    'totpCode',
    'email',
    'name',
    'fields',
  ].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'strongroom' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      req: (req: { id?: string; method?: string; url?: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        // the route pattern, never the raw URL: query strings can carry search terms (personal data)
        route: req.routeOptions?.url ?? (req.url ?? '').split('?')[0],
      }),
      err: pino.stdSerializers.err,
    },
  };
}

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
