/**
 * The identity module's use cases, composed: setup, sign-in, sessions, user administration, service tokens,
 * read models and scheduled jobs. Each part lives in its own file; this one wires them to one set of deps.
 */
import type { IdentityDeps } from './identity.deps.ts';
import { createLifecycleJobs } from './lifecycle.jobs.ts';
import { createServiceTokenUseCases } from './service-tokens.service.ts';
import { createSessionUseCases } from './sessions.service.ts';
import { createSetupUseCases } from './setup.service.ts';
import { createSignInUseCases } from './sign-in.service.ts';
import { createUserQueries } from './users.queries.ts';
import { createUserUseCases } from './users.service.ts';

export type { IdentityDeps } from './identity.deps.ts';

export function createIdentityService(deps: IdentityDeps) {
  const users = createUserUseCases(deps);
  return {
    ...createSetupUseCases(deps),
    ...createSignInUseCases(deps),
    ...createSessionUseCases(deps),
    ...users,
    ...createServiceTokenUseCases(deps),
    ...createUserQueries({ db: deps.db, access: deps.access, now: () => deps.clock.now() }),
    jobs: createLifecycleJobs(deps, users),
    passwordPolicy: deps.passwordPolicy,
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
