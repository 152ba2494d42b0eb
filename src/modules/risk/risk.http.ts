/**
 * HTTP hooks of the risk engine: read the client's headers into classified signals when a request that may be
 * assessed arrives (sign-in, second factor, reveal), set the device cookie on the answer that completes a sign-in
 * from a browser without one, and forget the signals with the response.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RiskService } from './risk.service.ts';
import { DEVICE_COOKIE, signalsFrom } from './signals.ts';

const ASSESSED = /^\/api\/v1\/(auth\/(login|mfa)|records\/[^/]+\/reveal)(\?|$)/;
const DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 86_400;

export function installRiskHooks(app: FastifyInstance, risk: Pick<RiskService, 'signals' | 'mode'>): void {
  if (risk.mode === 'off') return;
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (req.method !== 'POST' || !ASSESSED.test(req.url)) return;
    risk.signals.put(String(req.id), signalsFrom(req.headers, req.cookies ?? {}));
  });
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    const s = risk.signals.get(String(req.id));
    if (s?.setCookie && reply.statusCode < 300) {
      reply.setCookie(DEVICE_COOKIE, s.deviceId, {
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'strict',
        maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
      });
    }
    return payload;
  });
  app.addHook('onResponse', async (req: FastifyRequest) => {
    risk.signals.drop(String(req.id));
  });
}
