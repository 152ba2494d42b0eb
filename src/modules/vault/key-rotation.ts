/**
 * Root-key rotation that finishes (DAT-02): `start` adds a root-key version; `step` (a scheduled job, and
 * called in a loop by tests and the CLI) re-wraps the data keys of a batch of records under the new version and
 * rebuilds their blind indexes, committing progress with each batch, so a crash resumes where it stopped.
 * When no record is left on the old version, that version is retired (destroyed) and the rotation finishes.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { Db } from '../../platform/db/db.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog } from '../audit/index.ts';
import type { FieldSpec } from './field-catalogue.ts';
import type { RecordCrypto } from './record-crypto.ts';
import * as errors from './vault.errors.ts';
import * as repo from './vault.repository.ts';

const BATCH = 200;

interface RotationRow {
  id: string;
  from_version: number;
  to_version: number;
  state: string;
  done: number;
  total: number;
}

export function createKeyRotation(deps: {
  db: Db;
  clock: Clock;
  keyring: Keyring;
  crypto: RecordCrypto;
  audit: Pick<AuditLog, 'append'>;
  fieldSpecs: Map<string, FieldSpec>;
}) {
  const { db, keyring, crypto, audit } = deps;
  const running = async () =>
    (await db.query<RotationRow>(`SELECT * FROM vault.key_rotations WHERE state = 'running'`)).rows[0];

  return {
    async status() {
      await keyring.provider.reload();
      const r = await running();
      return {
        rotation: r
          ? { state: 'running' as const, done: r.done, total: r.total }
          : { state: 'idle' as const, done: 0, total: 0 },
        rootKeyVersion: keyring.provider.currentRoot().version,
        versionsInUse: keyring.provider.rootVersions(),
        provider: keyring.provider.name,
      };
    },

    /** Starts a rotation (or returns the one already running). */
    async start(actor: { type: 'user'; id: string } | { type: 'host_operator' }) {
      if (!keyring.provider.canRotate) {
        throw errors.rotationUnavailable(
          'This key provider holds one root key; use the file provider or a KMS to rotate.',
        );
      }
      const existing = await running();
      if (existing) return { id: existing.id, fromVersion: existing.from_version, toVersion: existing.to_version };
      const from = keyring.provider.currentRoot().version;
      const next = await keyring.provider.createRootVersion();
      const { rows } = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM vault.records WHERE shredded_at IS NULL AND kek_version <> $1',
        [next.version],
      );
      const id = newId();
      const total = Number(rows[0]?.n ?? 0);
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO vault.key_rotations (id, from_version, to_version, state, total, started_at, started_by)
           VALUES ($1, $2, $3, 'running', $4, $5, $6)`,
          [id, from, next.version, total, deps.clock.now(), actor.type === 'user' ? actor.id : null],
        );
        await audit.append(tx, {
          action: 'keys.rotation.started',
          outcome: 'success',
          actor: actor.type === 'user' ? { type: 'user', id: actor.id } : { type: 'host_operator' },
          details: { fromVersion: from, toVersion: next.version, total },
        });
      });
      return { id, fromVersion: from, toVersion: next.version };
    },

    /** Processes one batch; returns true while work remains. Safe to run on several nodes (row locks). */
    async step(): Promise<boolean> {
      const r = await running();
      if (!r) return false;
      await keyring.provider.reload();
      const to = r.to_version;
      const moved = await db.transaction(async (tx) => {
        const rows = await repo.lockRecordsToRotate(tx, to, BATCH);
        if (!rows.length) return 0;
        const searchable = new Set([...deps.fieldSpecs.values()].filter((s) => s.searchable).map((s) => s.name));
        for (const rec of rows) {
          const fields = repo.fieldsOf([rec]).filter((f) => searchable.has(f.field));
          const values = crypto.open(rec.id, rec, fields);
          const wrapped = crypto.rewrap(rec.id, rec.dek_wrapped, rec.kek_version, to);
          const idx = crypto.indexesFor(deps.fieldSpecs, values, to).map((i) => i.idx);
          await repo.updateKeysAndIndexes(tx, rec.id, wrapped, to, idx);
        }
        await tx.query('UPDATE vault.key_rotations SET done = done + $2 WHERE id = $1', [r.id, rows.length]);
        return rows.length;
      });
      if (moved > 0) return true;
      await this.finish(r);
      return false;
    },

    async finish(r: RotationRow) {
      const left = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM vault.records WHERE shredded_at IS NULL AND kek_version <> $1',
        [r.to_version],
      );
      if (Number(left.rows[0]?.n ?? 0) > 0) return;
      let retired = false;
      for (const v of keyring.provider.rootVersions()) {
        if (v < r.to_version) {
          await keyring.provider.retireRootVersion(v);
          retired = true;
        }
      }
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ done: number }>(
          `UPDATE vault.key_rotations SET state = 'finished', finished_at = $2 WHERE id = $1 AND state = 'running'
           RETURNING done`,
          [r.id, deps.clock.now()],
        );
        if (!rows.length) return;
        await audit.append(tx, {
          action: 'keys.rotation.finished',
          outcome: 'success',
          actor: { type: 'system' },
          details: { fromVersion: r.from_version, toVersion: r.to_version, rewrapped: rows[0]?.done ?? 0, retired },
        });
      });
    },

    /** Runs batches until the rotation is done (CLI, tests). */
    async runToCompletion(maxBatches = Number.POSITIVE_INFINITY) {
      let n = 0;
      while (n++ < maxBatches && (await this.step())) {}
    },
  };
}

export type KeyRotation = ReturnType<typeof createKeyRotation>;
