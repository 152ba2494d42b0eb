/**
 * The HTTP SMS adapter against a real local HTTP server: success, provider errors, timeout, redirects, and
 * that no error ever carries the number or the text.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../platform/errors.ts';
import { createHttpSmsSender } from './sms.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
const TO = '+4915199887766';
const TEXT = 'Your Strongroom sign-in code is 424242.';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/ok') res.writeHead(202).end('{"id":"m1"}');
      else if (req.url === '/fail') res.writeHead(500).end(`provider error for ${TO}`);
      else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      // '/slow' never answers
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const sender = (path: string, timeoutMs = 2000) =>
  createHttpSmsSender({ url: `${base}${path}`, token: 'test-token-123', from: 'Strongroom', timeoutMs });

async function failure(path: string, timeoutMs?: number) {
  const err = await sender(path, timeoutMs)
    .send(TO, TEXT)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!isAppError(err)) throw new Error('expected an AppError');
  // Nothing about the message leaks into what callers might log.
  const printed = `${err.message} ${JSON.stringify(err.details)} ${String(err.stack)} ${String(err.cause)}`;
  expect(printed).not.toContain(TO);
  expect(printed).not.toContain('424242');
  return err;
}

describe('HTTP SMS adapter (IAM-03, DAT-05)', () => {
  it('IAM-03: POSTs { from, to, text } as JSON with the bearer token and resolves on 2xx', async () => {
    await sender('/ok').send(TO, TEXT);
    const req = received.at(-1);
    expect(req?.path).toBe('/ok');
    expect(req?.headers.authorization).toBe('Bearer test-token-123');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({ from: 'Strongroom', to: TO, text: TEXT });
  });

  it('IAM-03: a 500 from the provider is mfa.sms_delivery_failed (rejected)', async () => {
    const err = await failure('/fail');
    expect(err).toMatchObject({ code: 'mfa.sms_delivery_failed', kind: 'unavailable', details: { cause: 'rejected' } });
  });

  it('IAM-03: a provider that does not answer in time is mfa.sms_delivery_failed (timeout)', async () => {
    const started = Date.now();
    const err = await failure('/slow', 300);
    expect(err).toMatchObject({ code: 'mfa.sms_delivery_failed', details: { cause: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('IAM-03: a redirect is not followed', async () => {
    const before = received.filter((r) => r.path === '/ok').length;
    expect(await failure('/redirect')).toMatchObject({ details: { cause: 'network' } });
    expect(received.filter((r) => r.path === '/ok').length).toBe(before);
  });

  it('IAM-03, NET-01: refuses a plain-HTTP provider URL unless it is on this machine', () => {
    const opts = { token: 't', from: 'S' };
    expect(() => createHttpSmsSender({ ...opts, url: 'http://sms.example.com/send' })).toThrow(/https/);
    expect(() => createHttpSmsSender({ ...opts, url: 'https://sms.example.com/send' })).not.toThrow();
    expect(() => createHttpSmsSender({ ...opts, url: 'http://localhost:9000/send' })).not.toThrow();
  });
});
