/**
 * The data directory holds everything private to the server: root key, TLS key, the embedded database,
 * checkpoints, the control socket. Directories are 0700 and files 0600 (PGlite writes its initial files
 * 0666 whatever the umask, so permissions are tightened after it opens).
 */
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface DataDirLayout {
  root: string;
  keys: string;
  tls: string;
  pgdata: string;
  checkpoints: string;
  socket: string;
}

export function layoutOf(root: string): DataDirLayout {
  return {
    root,
    keys: path.join(root, 'keys'),
    tls: path.join(root, 'tls'),
    pgdata: path.join(root, 'pgdata'),
    checkpoints: path.join(root, 'checkpoints'),
    socket: path.join(root, 'strongroom.sock'),
  };
}

export async function ensureDataDir(root: string): Promise<DataDirLayout> {
  process.umask(0o077);
  const l = layoutOf(root);
  for (const d of [l.root, l.keys, l.tls, l.checkpoints]) {
    await mkdir(d, { recursive: true, mode: 0o700 });
    await chmod(d, 0o700);
  }
  return l;
}

/** Makes every directory below `dir` 0700 and every regular file 0600. */
export async function tightenPermissions(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) return;
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await tightenPermissions(p);
    else if (entry.isFile()) await chmod(p, 0o600);
  }
}

/** Lists paths below `dir` whose mode gives group or others any access (for tests and `doctor`). */
export async function findLoosePermissions(dir: string): Promise<string[]> {
  const loose: string[] = [];
  const walk = async (d: string) => {
    const s = await stat(d);
    if (s.mode & 0o077) loose.push(d);
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && (await stat(p)).mode & 0o077) loose.push(p);
    }
  };
  await walk(dir);
  return loose;
}
