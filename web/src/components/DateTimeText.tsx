import { Text } from '@mantine/core';
import { formatDateTimeParts, formatRelative } from '../lib/format.ts';

/**
 * An instant for a table cell: date above time (zone named), or "—" when there is none. With `relative`, a
 * dimmed "in 3 hours" / "5 minutes ago" follows, for deadlines and last-use columns.
 */
export function DateTimeText({
  value,
  relative = false,
  empty = '—',
}: {
  value: string | null | undefined;
  relative?: boolean;
  empty?: string;
}) {
  if (!value) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  const parts = formatDateTimeParts(value);
  if (!parts) return <Text size="sm">{value}</Text>;
  return (
    <time dateTime={value}>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {parts.date}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {parts.time}
        {relative && ` · ${formatRelative(value)}`}
      </Text>
    </time>
  );
}
