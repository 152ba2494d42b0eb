/**
 * Signed checkpoints (LOG-02): at a fixed interval, when there are new entries, the RFC 6962 root over entries
 * 1..n and the chain head at n are signed with Ed25519, stored in `audit.checkpoints` and written as a file
 * outside the database (`<data-dir>/checkpoints/`), so a truncated or rewritten log is caught against them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { appendLeaf, type Frontier, frontierRoot } from './frontier.ts';
import type { CheckpointBody, createSigner } from './signer.ts';

export interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  head_hash: Buffer;
  frontier: Buffer[];
  at: Date;
  key_id: string;
  signature: Buffer;
}

export const bodyOf = (r: CheckpointRow): CheckpointBody => ({
  format: 'strongroom-checkpoint/1',
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash.toString('hex'),
  headHash: r.head_hash.toString('hex'),
  at: r.at.toISOString(),
  keyId: r.key_id,
});

const asBuf = (x: Uint8Array) => (Buffer.isBuffer(x) ? x : Buffer.from(x));

export async function checkpointsOf(q: Queryable): Promise<CheckpointRow[]> {
  const { rows } = await q.query<CheckpointRow>('SELECT * FROM audit.checkpoints ORDER BY tree_size');
  return rows.map((r) => ({ ...r, frontier: (r.frontier ?? []).map(asBuf) }));
}

export function createCheckpoints(deps: {
  db: Db;
  clock: Clock;
  signer: ReturnType<typeof createSigner>;
  dir: string | undefined;
}) {
  const { db } = deps;

  async function latest(): Promise<CheckpointRow | undefined> {
    const { rows } = await db.query<CheckpointRow>('SELECT * FROM audit.checkpoints ORDER BY tree_size DESC LIMIT 1');
    const r = rows[0];
    return r && { ...r, frontier: (r.frontier ?? []).map(asBuf) };
  }

  return {
    latest,
    publicKey: () => ({ keyId: deps.signer.keyId, publicKey: deps.signer.publicKey }),

    /** Cuts a checkpoint when entries were added since the last one; returns it (or undefined). */
    async cut(): Promise<{ body: CheckpointBody; signature: string } | undefined> {
      const head = (await db.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM audit.head')).rows[0];
      if (!head || head.seq === '0') return undefined;
      const prev = await latest();
      const from = prev ? Number(prev.tree_size) : 0;
      const to = Number(head.seq);
      if (to <= from) return undefined;
      const f: Frontier = { size: from, nodes: prev ? [...prev.frontier] : [] };
      let headHash = prev?.head_hash ?? Buffer.alloc(32);
      for (let after = from; after < to; ) {
        const { rows } = await db.query<{ seq: string; hash: Buffer }>(
          'SELECT seq, hash FROM audit.entries WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 10000',
          [after, to],
        );
        if (!rows.length) throw new Error(`audit entries after ${after} are missing; not signing a checkpoint`);
        for (const r of rows) {
          if (Number(r.seq) !== f.size + 1)
            throw new Error(`audit entry ${f.size + 1} is missing; not signing a checkpoint`);
          appendLeaf(f, r.hash);
          headHash = r.hash;
        }
        after = Number(rows[rows.length - 1]?.seq);
      }
      const body: CheckpointBody = {
        format: 'strongroom-checkpoint/1',
        treeSize: to,
        rootHash: frontierRoot(f).toString('hex'),
        headHash: headHash.toString('hex'),
        at: new Date(Math.floor(deps.clock.now().getTime())).toISOString(),
        keyId: deps.signer.keyId,
      };
      const signature = deps.signer.sign(body);
      await db.query(
        `INSERT INTO audit.checkpoints (tree_size, root_hash, head_hash, frontier, at, key_id, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tree_size) DO NOTHING`,
        [to, Buffer.from(body.rootHash, 'hex'), headHash, f.nodes, body.at, body.keyId, signature],
      );
      const out = { body, signature: signature.toString('base64'), publicKey: deps.signer.publicKey };
      if (deps.dir) {
        await mkdir(deps.dir, { recursive: true, mode: 0o700 });
        await writeFile(
          path.join(deps.dir, `${String(to).padStart(12, '0')}.json`),
          `${JSON.stringify(out, null, 2)}\n`,
          {
            mode: 0o600,
          },
        );
      }
      return { body, signature: out.signature };
    },
  };
}

export type Checkpoints = ReturnType<typeof createCheckpoints>;
