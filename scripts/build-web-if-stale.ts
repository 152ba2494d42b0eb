/**
 * Builds the web UI when web/dist is missing or older than its sources, so `npm ci && npm start` serves the
 * UI with no other step and a restart after a UI change picks it up. Fast when nothing changed (~50 ms).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'web');

function newestMtime(p: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

const sources = Math.max(
  ...['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) => newestMtime(path.join(web, p))),
  newestMtime(path.join(root, 'package-lock.json')),
);
const built = newestMtime(path.join(web, 'dist', 'index.html'));

if (built === 0 || built < sources) {
  process.stdout.write('Building the web UI (web/dist)…\n');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
