/** HTTP adapter for grants, approvals, IP allow-lists and roles. No SQL and no rules here. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/db.ts';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import * as s from './access.schemas.ts';
import type { AccessService } from './access.service.ts';
import { builtInRoles, privilegedPermissions, rolePermissions } from './roles.ts';

const errs = { 400: errorResponse, 404: errorResponse, 409: errorResponse, ...authErrors };

export function accessRoutes(deps: {
  db: Db;
  access: AccessService;
  guard: Guard;
  pendingUsers: () => Promise<unknown[]>;
}) {
  const { db, access, guard } = deps;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/v1/users/:id/grants',
      {
        preHandler: guard('grants.request'),
        schema: {
          tags: ['grants'],
          summary: 'Ask to grant confidential-data access; a second top-level admin who holds it must approve (IAM-08)',
          params: s.idParam,
          body: s.requestGrantBody,
          response: { 201: s.grantStatusResponse, ...errs },
        },
      },
      async (req, reply) => {
        const out = await db.transaction((tx) =>
          access.requestGrant(tx, principalOf(req), { ...req.body, userId: req.params.id }, contextOf(req)),
        );
        return reply.status(201).send(out);
      },
    );

    r.get(
      '/api/v1/grants',
      {
        preHandler: guard('users.read'),
        schema: {
          tags: ['grants'],
          summary: 'List grants',
          querystring: s.listGrantsQuery,
          response: { 200: z.object({ items: z.array(s.grant) }), ...errs },
        },
      },
      async (req) => ({ items: await access.listGrants(db, req.query) }),
    );

    for (const [verb, summary] of [
      ['approve', 'Approve a grant (not by its requester or grantee; only by a top-level admin who holds it)'],
      ['reject', 'Reject a pending grant'],
      ['revoke', 'Revoke a grant now'],
    ] as const) {
      r.post(
        `/api/v1/grants/:id/${verb}`,
        {
          preHandler: guard('grants.approve'),
          schema: { tags: ['grants'], summary, params: s.idParam, response: { 200: s.grantStatusResponse, ...errs } },
        },
        async (req) =>
          db.transaction((tx) =>
            verb === 'revoke'
              ? access.revokeGrant(tx, principalOf(req), req.params.id, contextOf(req))
              : access.decideGrant(tx, principalOf(req), req.params.id, verb, contextOf(req)),
          ),
      );
    }

    r.get(
      '/api/v1/approvals',
      {
        preHandler: guard(),
        schema: {
          tags: ['grants'],
          summary: 'What waits for my approval: accounts and grants (my own requests excluded)',
          response: { 200: z.object({ users: z.array(z.unknown()), grants: z.array(s.grant) }), ...errs },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const holds = (perm: string) => p.permissions.includes(perm) || p.dormantPermissions.includes(perm);
        const users = holds('users.approve')
          ? ((await deps.pendingUsers()) as { createdBy: string | null }[]).filter((u) => u.createdBy !== p.userId)
          : [];
        const grants = holds('grants.approve')
          ? (await access.listGrants(db, { status: 'pending_approval', limit: 200 })).filter(
              (g) => g.requestedBy !== p.userId && g.userId !== p.userId,
            )
          : [];
        return { users, grants };
      },
    );

    r.get(
      '/api/v1/ip-allowlist',
      {
        preHandler: guard('users.read'),
        schema: {
          tags: ['allowlist'],
          summary: 'Where confidential data may be reached from (IAM-13)',
          response: { 200: s.allowlistResponse, ...errs },
        },
      },
      async () => access.listAllowlist(db),
    );

    r.post(
      '/api/v1/ip-allowlist',
      {
        preHandler: guard('settings.manage'),
        schema: {
          tags: ['allowlist'],
          summary: 'Add a global (no userId) or per-user entry; the first global entry replaces the built-in defaults',
          body: s.allowlistBody,
          response: { 201: z.object({ id: z.uuid(), cidr: z.string() }), ...errs },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await db.transaction((tx) => access.addAllowlistEntry(tx, principalOf(req), req.body, contextOf(req)))),
    );

    r.delete(
      '/api/v1/ip-allowlist/:id',
      {
        preHandler: guard('settings.manage'),
        schema: {
          tags: ['allowlist'],
          summary: 'Remove an allow-list entry',
          params: s.idParam,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        await db.transaction((tx) => access.removeAllowlistEntry(tx, principalOf(req), req.params.id, contextOf(req)));
        return reply.status(204).send(null);
      },
    );

    r.get(
      '/api/v1/roles',
      {
        preHandler: guard('users.read'),
        schema: {
          tags: ['roles'],
          summary: 'Built-in and custom roles with their permissions',
          response: { 200: z.unknown(), ...errs },
        },
      },
      async () => ({
        privilegedPermissions: [...privilegedPermissions],
        builtIn: builtInRoles.map((name) => ({ name, permissions: rolePermissions[name] })),
        custom: (await access.listCustomRoles(db)).map((c) => ({
          name: c.name,
          description: c.description,
          permissions: c.permissions,
          createdAt: c.created_at.toISOString(),
        })),
      }),
    );

    r.post(
      '/api/v1/roles',
      {
        preHandler: guard('roles.manage'),
        schema: {
          tags: ['roles'],
          summary: 'Create a custom role',
          body: s.createRoleBody,
          response: { 201: z.object({ name: z.string() }), ...errs },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await db.transaction((tx) => access.createCustomRole(tx, principalOf(req), req.body, contextOf(req)))),
    );
  };
}
