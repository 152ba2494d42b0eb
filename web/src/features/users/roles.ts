import type { RolesResponse } from './users.api.ts';

/** One line per built-in role, to choose least privilege knowingly (custom roles carry their own). */
export const builtInRoleHelp: Record<string, string> = {
  owner: 'Top-level admin: everything, including confidential data. Approved only by another owner.',
  admin: 'Accounts, service tokens and data owners; no confidential data.',
  security_analyst: 'Alerts, detection, lock-down, canaries and the audit log.',
  privacy_officer: 'Data-subject requests and deletions.',
  compliance_officer: 'Controls, registers and the audit log.',
  analyst: 'Searches masked records; reveals only with an approved grant.',
  auditor: 'Reads the audit log and registers.',
};

export interface RoleOption {
  value: string;
  label: string;
  description: string;
  disabled?: boolean;
}

/** Built-in then custom roles, grouped for a select; `owner` only for owners (the server refuses otherwise). */
export function roleSelectData(roles: RolesResponse | undefined, canGiveOwner: boolean) {
  if (!roles) return [];
  const builtIn: RoleOption[] = roles.builtIn.map((r) => ({
    value: r.name,
    label: r.name,
    description:
      r.name === 'owner' && !canGiveOwner
        ? 'Only an owner can give this role.'
        : (builtInRoleHelp[r.name] ?? `${r.permissions.length} permissions`),
    disabled: r.name === 'owner' && !canGiveOwner,
  }));
  const custom: RoleOption[] = roles.custom.map((r) => ({
    value: r.name,
    label: r.name,
    description: r.description ?? `${r.permissions.length} permissions`,
  }));
  return [
    { group: 'Built-in roles', items: builtIn },
    ...(custom.length ? [{ group: 'Custom roles', items: custom }] : []),
  ];
}

/** Every permission the chosen roles give, and which of them sleep until elevation. */
export function permissionsOfRoles(roles: RolesResponse | undefined, chosen: readonly string[]) {
  const all = new Set<string>();
  for (const r of [...(roles?.builtIn ?? []), ...(roles?.custom ?? [])]) {
    if (chosen.includes(r.name)) for (const p of r.permissions) all.add(p);
  }
  const privileged = new Set(roles?.privilegedPermissions ?? []);
  const list = [...all];
  return { active: list.filter((p) => !privileged.has(p)), privileged: list.filter((p) => privileged.has(p)) };
}
