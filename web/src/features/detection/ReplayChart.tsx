import { Box, Group, Text, VisuallyHidden } from '@mantine/core';
import type { ReplayResult } from './detection.api.ts';

/** The last `days` UTC days, oldest first, as the server names them ("2026-11-29"). */
export function dayAxis(days: number, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const label = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));

const CURRENT = 'var(--mantine-color-gray-6)';
const PROPOSED = 'var(--mantine-primary-color-filled)';

/**
 * Fires per day, the rule as it is beside the rule as proposed: two thin bars per day in plain SVG (no chart
 * package). A table with the same numbers is there for screen readers.
 */
export function ReplayChart({ current, proposed }: { current: ReplayResult; proposed: ReplayResult }) {
  const days = dayAxis(Math.max(current.days, proposed.days));
  const cur = new Map(current.byDay.map((d) => [d.day, d.fires]));
  const pro = new Map(proposed.byDay.map((d) => [d.day, d.fires]));
  const highest = Math.max(0, ...days.map((d) => Math.max(cur.get(d) ?? 0, pro.get(d) ?? 0)));
  const max = Math.max(1, highest);
  const W = 600;
  const H = 120;
  const top = 14;
  const slot = W / days.length;
  const bar = Math.max(2, slot * 0.36);
  const y = (v: number) => H - (v / max) * (H - top);
  const busy = days.filter((d) => (cur.get(d) ?? 0) > 0 || (pro.get(d) ?? 0) > 0);

  return (
    <Box data-testid="replay-chart">
      <Group gap="md" mb={4}>
        <Group gap={6}>
          <Box w={12} h={12} style={{ background: CURRENT, borderRadius: 2 }} aria-hidden="true" />
          <Text size="xs">As it is</Text>
        </Group>
        <Group gap={6}>
          <Box w={12} h={12} style={{ background: PROPOSED, borderRadius: 2 }} aria-hidden="true" />
          <Text size="xs">As proposed</Text>
        </Group>
        <Text size="xs" c="dimmed">
          {highest > 0 ? `Fires per day (UTC), highest ${highest}` : 'No fires in this period'}
        </Text>
      </Group>
      <svg
        viewBox={`0 0 ${W} ${H + 18}`}
        width="100%"
        role="img"
        aria-label={`Fires per day over ${days.length} days: ${current.wouldFire} as it is, ${proposed.wouldFire} as proposed.`}
        style={{ display: 'block', maxHeight: 180 }}
      >
        <line x1={0} x2={W} y1={H + 0.5} y2={H + 0.5} stroke="var(--mantine-color-default-border)" />
        <line x1={0} x2={W} y1={top} y2={top} stroke="var(--mantine-color-default-border)" strokeDasharray="3 3" />
        <text x={2} y={top - 3} fontSize={10} fill="var(--mantine-color-dimmed)">
          {max}
        </text>
        {days.map((d, i) => {
          const c = cur.get(d) ?? 0;
          const p = pro.get(d) ?? 0;
          const x = i * slot + (slot - 2 * bar) / 2;
          return (
            <g key={d}>
              <title>{`${label(d)}: ${c} as it is, ${p} as proposed`}</title>
              <rect x={x} y={y(c)} width={bar} height={H - y(c)} fill={CURRENT} rx={1} />
              <rect x={x + bar} y={y(p)} width={bar} height={H - y(p)} fill={PROPOSED} rx={1} />
            </g>
          );
        })}
        {[0, Math.floor((days.length - 1) / 2), days.length - 1].map((i) => (
          <text
            key={i}
            x={i === 0 ? 0 : i === days.length - 1 ? W : i * slot + slot / 2}
            y={H + 14}
            fontSize={10}
            textAnchor={i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle'}
            fill="var(--mantine-color-dimmed)"
          >
            {label(days[i] as string)}
          </text>
        ))}
      </svg>
      <VisuallyHidden>
        <table>
          <caption>Days on which the rule would have fired</caption>
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">As it is</th>
              <th scope="col">As proposed</th>
            </tr>
          </thead>
          <tbody>
            {busy.map((d) => (
              <tr key={d}>
                <th scope="row">{label(d)}</th>
                <td>{cur.get(d) ?? 0}</td>
                <td>{pro.get(d) ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </Box>
  );
}
