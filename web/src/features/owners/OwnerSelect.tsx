import type { NativeSelectProps } from '@mantine/core';
import { NativeSelect } from '@mantine/core';
import { shortId } from '../../lib/format.ts';
import { useOwners } from './owners.api.ts';

interface OwnerSelectProps {
  value: string;
  onChange: (ownerId: string) => void;
  label?: string;
  description?: string;
  /** The option for "no owner chosen": "All data owners" for a filter, "Choose a data owner" for a form. */
  emptyLabel: string;
  error?: string;
  disabled?: boolean;
  w?: NativeSelectProps['w'];
}

/**
 * The data owners as a native select (keyboard, screen readers and tests know it without a custom listbox).
 * An id in the URL that is not in the list is still shown, so the filter in force is never hidden.
 */
export function OwnerSelect({
  value,
  onChange,
  label = 'Data owner',
  description,
  emptyLabel,
  error,
  disabled,
  w,
}: OwnerSelectProps) {
  const owners = useOwners();
  const items = owners.data?.items ?? [];
  const data = [
    { value: '', label: owners.isPending ? 'Loading data owners…' : emptyLabel },
    ...items.map((o) => ({ value: o.id, label: o.name })),
  ];
  if (value && !items.some((o) => o.id === value)) data.push({ value, label: `Owner ${shortId(value)}` });
  return (
    <NativeSelect
      label={label}
      description={description}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      data={data}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error ?? (owners.isError ? `Could not load the data owners: ${owners.error.message}` : undefined)}
      disabled={disabled}
      w={w}
    />
  );
}
