import { Code, MultiSelect, Stack, Text } from '@mantine/core';
import type { RoleOption } from './roles.ts';
import { permissionsOfRoles, roleSelectData } from './roles.ts';
import type { RolesResponse } from './users.api.ts';

interface RolesFieldProps {
  roles: RolesResponse | undefined;
  loading: boolean;
  canGiveOwner: boolean;
  value: string[];
  onChange: (value: string[]) => void;
  error?: React.ReactNode;
  label?: string;
}

/** Multi-select of built-in and custom roles, with what the choice gives spelled out under it. */
export function RolesField({ roles, loading, canGiveOwner, value, onChange, error, label = 'Roles' }: RolesFieldProps) {
  const data = roleSelectData(roles, canGiveOwner);
  const descriptions = new Map<string, string>();
  for (const group of data)
    for (const item of group.items as RoleOption[]) descriptions.set(item.value, item.description);
  const gives = permissionsOfRoles(roles, value);

  return (
    <Stack gap={6}>
      <MultiSelect
        label={label}
        description="Give only what the person's work needs (least privilege)."
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        placeholder={value.length ? undefined : loading ? 'Loading roles…' : 'Choose one or more'}
        data={data}
        value={value}
        onChange={onChange}
        error={error}
        searchable
        nothingFoundMessage="No role with that name"
        comboboxProps={{ withinPortal: true }}
        renderOption={({ option }) => (
          <div>
            <Text size="sm">{option.label}</Text>
            <Text size="xs" c="dimmed">
              {descriptions.get(option.value)}
            </Text>
          </div>
        )}
      />
      {value.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="roles-give">
          These roles give {gives.active.length + gives.privileged.length} permissions
          {gives.privileged.length > 0 && (
            <>
              ; privileged ones sleep until the person elevates:{' '}
              {gives.privileged.map((p) => (
                <Code key={p} fz="xs" mr={4}>
                  {p}
                </Code>
              ))}
            </>
          )}
          .
        </Text>
      )}
    </Stack>
  );
}
