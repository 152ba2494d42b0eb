/** Modules in dependency order, with their migrations (each module owns the PostgreSQL schema of its name). */
import path from 'node:path';
import type { ModuleMigrations } from '../platform/db/migrate.ts';

export const moduleNames = ['identity', 'access', 'audit', 'notifications', 'vault', 'detection', 'risk'] as const;

export const modules: readonly ModuleMigrations[] = moduleNames.map((m) => ({
  schema: m,
  dir: path.join(import.meta.dirname, m, 'migrations'),
}));
