import { Badge, Code, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { type Assessment, decisionColor, decisionLabel, factorLabel, outcomeLabel } from './risk.api.ts';

/** The score as a bar with the two thresholds named beside it. */
export function ScoreBar({ a }: { a: Pick<Assessment, 'score' | 'decision' | 'thresholds'> }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text fw={700} size="xl" aria-label={`Risk score ${a.score} of 100`}>
          {a.score}
          <Text span c="dimmed" size="sm">
            {' '}
            / 100
          </Text>
        </Text>
        <Badge color={decisionColor[a.decision]} variant="light" size="lg">
          {decisionLabel[a.decision]}
        </Badge>
      </Group>
      <Progress value={a.score} color={decisionColor[a.decision]} aria-hidden />
      <Text size="xs" c="dimmed">
        Step-up from {a.thresholds.stepUp}, deny from {a.thresholds.deny}
      </Text>
    </Stack>
  );
}

function evidenceText(e: Record<string, string | number | boolean | null>): string {
  return Object.entries(e)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

/**
 * One decision explained indicator by indicator: what fired, its factor, weight, strength and the points it added
 * (as scored when the decision was made), with the evidence (classes, counts, distances; never an address).
 */
export function RiskExplanation({ a, descriptions }: { a: Assessment; descriptions?: Map<string, string> }) {
  const byFactor = new Map<string, Assessment['indicators']>();
  for (const i of a.indicators) byFactor.set(i.factor, [...(byFactor.get(i.factor) ?? []), i]);
  return (
    <Stack gap="md">
      <ScoreBar a={a} />
      <Group gap="xs">
        <Badge variant="outline" tt="none">
          {a.stage === 'login' ? 'Sign-in' : 'Reveal'}
        </Badge>
        <Badge variant="outline" tt="none">
          {outcomeLabel[a.outcome]}
        </Badge>
        {!a.enforced && (
          <Badge color="gray" tt="none">
            monitor mode: not enforced
          </Badge>
        )}
        {a.methods && a.decision === 'step_up' && (
          <Badge color="yellow" variant="outline" tt="none">
            second factors accepted: {a.methods.join(', ')}
          </Badge>
        )}
      </Group>
      {a.indicators.length === 0 ? (
        <Text c="dimmed">No indicator fired: nothing about this request looked unusual.</Text>
      ) : (
        <Table withTableBorder striped aria-label="Indicators that fired">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Indicator</Table.Th>
              <Table.Th ta="right">Weight</Table.Th>
              <Table.Th ta="right">Strength</Table.Th>
              <Table.Th ta="right">Points</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...byFactor.entries()].map(([factor, list]) => [
              <Table.Tr key={`f-${factor}`}>
                <Table.Td colSpan={4}>
                  <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                    {factorLabel[factor] ?? factor}
                  </Text>
                </Table.Td>
              </Table.Tr>,
              ...list.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>
                    <Code>{i.id}</Code>
                    {descriptions?.get(i.id) && (
                      <Text size="xs" c="dimmed">
                        {descriptions.get(i.id)}
                      </Text>
                    )}
                    {Object.keys(i.evidence).length > 0 && <Text size="xs">Evidence: {evidenceText(i.evidence)}</Text>}
                  </Table.Td>
                  <Table.Td ta="right">{i.weight}</Table.Td>
                  <Table.Td ta="right">{Math.round(i.strength * 100)}%</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    +{i.points}
                  </Table.Td>
                </Table.Tr>
              )),
            ])}
          </Table.Tbody>
        </Table>
      )}
      <Text size="xs" c="dimmed">
        Each factor adds at most its cap, so related signals do not pile up; the score is capped at 100.
      </Text>
    </Stack>
  );
}
