/**
 * Starts Strongroom the way a new user does (`npm start`) on a fresh data directory and a free port, and hands
 * the test the base URL and the one-time setup link printed on the terminal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface StartedServer {
  baseUrl: string;
  setupLink: string | undefined;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** `env` is added to the server's environment (not this process's), e.g. a shorter step-up window. */
export async function startServer(env: Record<string, string> = {}): Promise<StartedServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      ...env,
      STRONGROOM_DATA_DIR: dataDir,
      STRONGROOM_PORT: String(port),
      STRONGROOM_LOG_LEVEL: 'warn',
    },
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const tick = () => {
      if (/\/setup#token=\S+/.test(out) || (out.includes('is serving') && !out.includes('No administrator'))) {
        return resolve();
      }
      if (child.exitCode !== null) return reject(new Error(`server exited:\n${out}`));
      if (Date.now() > deadline) return reject(new Error(`server did not start:\n${out}`));
      setTimeout(tick, 100);
    };
    tick();
  });
  const stopped = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    baseUrl: `https://localhost:${port}`,
    setupLink: /(https:\/\/\S+\/setup#token=\S+)/.exec(out)?.[1],
    dataDir,
    output: () => out,
    async stop() {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await stopped;
      // the server's own children may still be closing the embedded database's files for a moment
      await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}
