/**
 * Runs every benchmark in bench/ (or the ones named), passing the options on to each:
 *   node bench/run.ts                          all, default sizes
 *   node bench/run.ts ingest reveal --records 1M
 * (npm run bench -- ingest --records 1M). DATABASE_URL=postgres://…/strongroom_bench selects PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''));
const argv = process.argv.slice(2);
const names: string[] = [];
const options: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i] as string;
  if (a.startsWith('--')) {
    options.push(a);
    if (!a.includes('=') && argv[i + 1] !== undefined) options.push(argv[++i] as string);
  } else names.push(a);
}
const chosen = names.length ? names : all;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`no benchmark named ${name} (have: ${all.join(', ')})`);
    process.exit(2);
  }
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, [path.join(dir, `${name}.ts`), ...options], {
    stdio: 'inherit',
    // each benchmark takes the options it knows and skips the others (--records means nothing to cold-start)
    env: { ...process.env, STRONGROOM_BENCH_RUN_ALL: names.length === 1 ? '' : '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
