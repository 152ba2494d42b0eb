/**
 * Cold start of `strongroom serve` on an initialised data directory (embedded database), from process spawn to
 * "is serving", against two same-run baselines: a bare `node` process, and a bare process that only opens the
 * same PGlite data directory. Usage: node bench/cold-start.ts [--runs 5]
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { benchArgs } from './lib/args.ts';

const { runs } = benchArgs({ runs: 5 });
const root = path.resolve(import.meta.dirname, '..');
const main = path.join(root, 'src', 'main.ts');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function timeUntil(args: string[], marker: string | undefined, env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      if (marker && out.includes(marker)) {
        const ms = performance.now() - t0;
        child.once('exit', () => resolve(ms));
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code) => {
      if (!marker) code === 0 ? resolve(performance.now() - t0) : reject(new Error(`exit ${code}`));
      else if (!out.includes(marker)) reject(new Error(`no "${marker}" in output:\n${out}`));
    });
  });
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-bench-'));
try {
  const dataDir = path.join(dir, 'data');
  await writeFile(path.join(dir, 'pw'), 'Cold-Start-Passphrase-7\n');
  execFileSync(process.execPath, [
    main,
    'init',
    '--admin-email',
    'bench@example.test',
    '--admin-password-file',
    path.join(dir, 'pw'),
    '--totp-secret-file',
    path.join(dir, 'totp'),
    '--data-dir',
    dataDir,
  ]);
  const pgliteOnly = `import { PGlite } from '@electric-sql/pglite'; const db = await PGlite.create(${JSON.stringify(
    path.join(dir, 'copy'),
  )}); await db.query('select 1'); await db.close();`;
  await cp(path.join(dataDir, 'pgdata'), path.join(dir, 'copy'), { recursive: true });
  // warm the file cache once so every variant sees the same conditions
  await timeUntil(['--input-type=module', '-e', pgliteOnly], undefined);

  const bare: number[] = [];
  const pglite: number[] = [];
  const serve: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await timeUntil(['-e', '0'], undefined));
    pglite.push(await timeUntil(['--input-type=module', '-e', pgliteOnly], undefined));
    serve.push(
      await timeUntil([main, 'serve', '--data-dir', dataDir], 'is serving', {
        STRONGROOM_PORT: String(await freePort()),
      }),
    );
  }
  const b = median(bare);
  const p = median(pglite);
  const s = median(serve);
  console.log(`cold start, median of ${runs} runs (${os.cpus().length} cores, node ${process.version})`);
  console.log(`  bare node process          ${b.toFixed(0).padStart(6)} ms   1.00x`);
  console.log(`  node + open PGlite dir     ${p.toFixed(0).padStart(6)} ms   ${(p / b).toFixed(2)}x`);
  console.log(
    `  strongroom serve → ready   ${s.toFixed(0).padStart(6)} ms   ${(s / b).toFixed(2)}x bare, ${(s / p).toFixed(2)}x PGlite-only`,
  );
  console.log(`  target < 3000 ms: ${s < 3000 ? 'met' : 'NOT met'}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
