/**
 * The host operator's channel to a running server. With the embedded database only one process may open the
 * data directory, so CLI commands are sent to the running server over a Unix socket inside the data
 * directory (mode 0600 in a 0700 directory: only the server's OS user can connect). JSON in, JSON out.
 */
import { chmod, rm } from 'node:fs/promises';
import http from 'node:http';

export type ControlHandler = (args: Record<string, unknown>) => Promise<unknown>;

export interface ControlServer {
  close(): Promise<void>;
}

/** Commands answer `{ ok: true, result }` or `{ ok: false, error: { code, message } }`. */
export async function startControlSocket(
  socketPath: string,
  handlers: Record<string, ControlHandler>,
): Promise<ControlServer> {
  await rm(socketPath, { force: true });
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const handler = req.method === 'POST' ? handlers[name] : undefined;
    if (!handler) return send(404, { ok: false, error: { code: 'control.unknown_command', message: name } });
    try {
      const args = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      send(200, { ok: true, result: await handler(args) });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      send(200, { ok: false, error: { code: e.code ?? 'control.failed', message: e.message ?? 'failed' } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => rm(socketPath, { force: true })),
  };
}

export class ControlUnavailable extends Error {}

/** Sends one command to a running server; throws ControlUnavailable when no server listens. */
export function callControl(socketPath: string, command: string, args: Record<string, unknown> = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath,
        path: `/${encodeURIComponent(command)}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (body.ok) resolve(body.result);
            else reject(Object.assign(new Error(body.error.message), { code: body.error.code }));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') reject(new ControlUnavailable(err.code));
      else reject(err);
    });
    req.end(JSON.stringify(args));
  });
}
