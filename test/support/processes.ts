/** Helpers to run the real `strongroom` CLI and server as child processes. */
import { execFile, spawn } from 'node:child_process';
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

export const mainTs = path.resolve(import.meta.dirname, '../../src/main.ts');
const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [mainTs, ...args],
      { env: { ...baseEnv(), ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export function startServer(dataDir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [mainTs, 'serve', '--data-dir', dataDir], { env: { ...baseEnv(), ...env } });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready: ${out}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes('is serving')) {
        clearTimeout(timer);
        setTimeout(() => resolve(out), 200);
      }
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    child.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  const stopped = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, ready, stopped, output: () => out };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): Record<string, unknown> & { error?: { code: string } };
}

export function request(
  port: number,
  opts: { method?: string; path: string; body?: unknown; headers?: Record<string, string>; ca?: string },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        ...(opts.ca ? { ca: opts.ca } : { rejectUnauthorized: false }),
        headers: { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body ? JSON.stringify(opts.body) : undefined);
  });
}
