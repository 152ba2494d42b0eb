import { Group } from '@mantine/core';
import type { ReactNode } from 'react';

/** A row of filters above a list; each applies as it changes (kept in the URL), so submitting does nothing. */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <form onSubmit={(e) => e.preventDefault()} aria-label={label}>
      <Group align="flex-end" gap="sm">
        {children}
      </Group>
    </form>
  );
}
