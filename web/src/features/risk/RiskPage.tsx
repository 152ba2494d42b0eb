import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconShield } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { formatDateTime, shortId } from '../../lib/format.ts';
import { AssessmentDrawer } from './AssessmentDrawer.tsx';
import {
  type Assessment,
  decisionColor,
  decisionLabel,
  factorLabel,
  outcomeLabel,
  type ReplayInput,
  useAssessments,
  useImportList,
  useIndicators,
  useReplay,
  useRiskLists,
} from './risk.api.ts';

/** `/security/risk`: the risk engine (IAM-14): recent decisions, their explanation, lists, replay, indicators. */
export function RiskPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'assessments';
  const setTab = (v: string | null) => {
    const next = new URLSearchParams(params);
    next.set('tab', v ?? 'assessments');
    setParams(next, { replace: true });
  };
  const indicators = useIndicators();
  const policy = indicators.data?.policy;
  return (
    <Stack gap="lg">
      <title>Risk · Strongroom</title>
      <PageHeader
        title="Risk engine"
        description="Every sign-in and reveal is scored from 30+ indicators; the score decides allow, step-up or deny."
      />
      {policy && (
        <Group gap="xs">
          <Badge variant="light" color={policy.mode === 'enforce' ? 'teal' : 'gray'} tt="none">
            mode: {policy.mode}
          </Badge>
          <Badge variant="light" color="yellow" tt="none">
            step-up from {policy.stepUp}
          </Badge>
          <Badge variant="light" color="red" tt="none">
            deny from {policy.deny}
          </Badge>
        </Group>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="assessments">Assessments</Tabs.Tab>
          <Tabs.Tab value="lists">Address lists</Tabs.Tab>
          <Tabs.Tab value="replay">Replay</Tabs.Tab>
          <Tabs.Tab value="indicators">Indicators</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="assessments" pt="md">
          <AssessmentsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="lists" pt="md">
          <ListsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="replay" pt="md">
          <ReplayPanel />
        </Tabs.Panel>
        <Tabs.Panel value="indicators" pt="md">
          <IndicatorsPanel />
        </Tabs.Panel>
      </Tabs>
      <Text size="xs" c="dimmed">
        Places and networks come from offline data shipped with Strongroom:{' '}
        <Anchor href="https://db-ip.com" target="_blank" rel="noreferrer">
          IP Geolocation by DB-IP
        </Anchor>{' '}
        (CC BY 4.0) and RouteViews.
      </Text>
    </Stack>
  );
}

function AssessmentsPanel() {
  const [params, setParams] = useSearchParams();
  const filters = {
    decision: params.get('decision') ?? undefined,
    stage: params.get('stage') ?? undefined,
    userId: params.get('userId') ?? undefined,
  };
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const list = useAssessments(filters);
  const [open, setOpen] = useState<Assessment | null>(null);
  const items = list.data?.items ?? [];
  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end">
        <Select
          label="Decision"
          placeholder="Any"
          clearable
          data={[
            { value: 'allow', label: 'Allow' },
            { value: 'step_up', label: 'Step-up' },
            { value: 'deny', label: 'Deny' },
          ]}
          value={filters.decision ?? null}
          onChange={(v) => set('decision', v)}
          w={160}
        />
        <Select
          label="Stage"
          placeholder="Any"
          clearable
          data={[
            { value: 'login', label: 'Sign-in' },
            { value: 'reveal', label: 'Reveal' },
          ]}
          value={filters.stage ?? null}
          onChange={(v) => set('stage', v)}
          w={160}
        />
        {filters.userId && (
          <Button variant="default" onClick={() => set('userId', null)}>
            All users (now {shortId(filters.userId)})
          </Button>
        )}
      </Group>
      <QueryStatus
        query={list}
        loadingLabel="Loading assessments"
        errorTitle="Could not load assessments"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconShield size={28} />}
            title="No assessments match"
            description="Assessments appear with every sign-in and every reveal; clear the filters to see them all."
          />
        }
      />
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover aria-label="Risk assessments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Stage</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th ta="right">Score</Table.Th>
                <Table.Th>Decision</Table.Th>
                <Table.Th>Top indicators</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id} onClick={() => setOpen(a)} style={{ cursor: 'pointer' }}>
                  <Table.Td>{formatDateTime(a.at)}</Table.Td>
                  <Table.Td>{a.stage === 'login' ? 'Sign-in' : 'Reveal'}</Table.Td>
                  <Table.Td>
                    <Anchor
                      component="button"
                      type="button"
                      onClick={(e) => {
                        e.stopPropagation();
                        set('userId', a.userId);
                      }}
                    >
                      <Code>{shortId(a.userId)}</Code>
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {a.score}
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      <Badge color={decisionColor[a.decision]} variant="light" style={{ overflow: 'visible' }}>
                        {decisionLabel[a.decision]}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {outcomeLabel[a.outcome]}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {[...a.indicators]
                        .sort((x, y) => y.points - x.points)
                        .slice(0, 3)
                        .map((i) => (
                          <Badge key={i.id} variant="outline" color="gray" tt="none">
                            {i.id}
                          </Badge>
                        ))}
                      {a.indicators.length > 3 && (
                        <Text size="xs" c="dimmed">
                          +{a.indicators.length - 3}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setOpen(a)}
                      aria-label={`Explain assessment ${shortId(a.id)}`}
                    >
                      Explain
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AssessmentDrawer a={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}

function ListsPanel() {
  const lists = useRiskLists();
  const importList = useImportList();
  const { access } = useAccess();
  const canManage = access('alerts.manage') !== 'none';
  const [list, setList] = useState<'tor' | 'threat'>('tor');
  const [content, setContent] = useState('');
  return (
    <Stack gap="md">
      <Text c="dimmed" size="sm">
        Addresses on these lists raise the score of any sign-in or reveal that comes from them. Each import replaces the
        list whole and is audited. Lists hold public infrastructure (Tor relays, attack sources), stored as CIDR ranges.
        Larger files: <Code>strongroom risk import --list tor|threat FILE</Code>.
      </Text>
      {lists.isError && <ErrorAlert error={lists.error} title="Could not load the lists" />}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {(['tor', 'threat'] as const).map((kind) => {
          const info = lists.data?.items.find((l) => l.list === kind);
          return (
            <Card key={kind} withBorder>
              <Text fw={600}>{kind === 'tor' ? 'Tor exit relays' : 'Threat list'}</Text>
              {info ? (
                <Text size="sm">
                  {info.entries} entries · imported {formatDateTime(info.importedAt)} via {info.via}
                  <br />
                  <Text span size="xs" c="dimmed">
                    sha256 {info.sha256.slice(0, 16)}…
                  </Text>
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  Not imported yet.
                </Text>
              )}
            </Card>
          );
        })}
      </SimpleGrid>
      {canManage && (
        <Card withBorder>
          <Stack gap="sm">
            <Title order={4}>Import a list</Title>
            <Select
              label="List"
              data={[
                { value: 'tor', label: 'Tor exit relays' },
                { value: 'threat', label: 'Threat list' },
              ]}
              value={list}
              onChange={(v) => setList((v as 'tor' | 'threat') ?? 'tor')}
              allowDeselect={false}
              w={240}
            />
            <Textarea
              label="Addresses or CIDRs, one a line"
              description="# comments are ignored; Tor exit-addresses files work as they are"
              autosize
              minRows={4}
              maxRows={12}
              value={content}
              onChange={(e) => setContent(e.currentTarget.value)}
            />
            <Group>
              <Button
                onClick={() => importList.mutate({ list, content })}
                loading={importList.isPending}
                disabled={!content.trim()}
              >
                Replace the list
              </Button>
            </Group>
            {importList.isError && <ErrorAlert error={importList.error} title="The list was not imported" />}
            {importList.isSuccess && (
              <Alert color="teal" title="List imported">
                {importList.data.entries} entries in the {importList.data.list} list; {importList.data.rejectedCount}{' '}
                lines refused
                {importList.data.rejected.length > 0 &&
                  ` (${importList.data.rejected.map((r) => `line ${r.line}: ${r.reason}`).join('; ')})`}
                .
              </Alert>
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

function ReplayPanel() {
  const indicators = useIndicators();
  const replay = useReplay();
  const policy = indicators.data?.policy;
  const [stepUp, setStepUp] = useState<number | string>('');
  const [deny, setDeny] = useState<number | string>('');
  const [indicator, setIndicator] = useState<string | null>(null);
  const [weight, setWeight] = useState<number | string>('');
  const [days, setDays] = useState<number | string>(30);
  const run = () => {
    const input: ReplayInput = { days: Number(days) || 30 };
    if (stepUp !== '') input.stepUp = Number(stepUp);
    if (deny !== '') input.deny = Number(deny);
    if (indicator && weight !== '') input.weights = { [indicator]: Number(weight) };
    replay.mutate(input);
  };
  return (
    <Stack gap="md">
      <Text c="dimmed" size="sm">
        Try other thresholds or an indicator's weight on the stored decisions of the last days before you enforce them
        (STRONGROOM_RISK_* settings). Nothing changes until then.
      </Text>
      <Group align="flex-end" gap="sm">
        <NumberInput
          label="Step-up from"
          placeholder={String(policy?.stepUp ?? '')}
          min={1}
          max={100}
          value={stepUp}
          onChange={setStepUp}
          w={140}
        />
        <NumberInput
          label="Deny from"
          placeholder={String(policy?.deny ?? '')}
          min={1}
          max={100}
          value={deny}
          onChange={setDeny}
          w={140}
        />
        <Select
          label="Indicator"
          placeholder="(none)"
          searchable
          clearable
          data={(indicators.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.id} (${i.weight})` }))}
          value={indicator}
          onChange={setIndicator}
          w={280}
        />
        <NumberInput
          label="New weight"
          min={0}
          max={100}
          value={weight}
          onChange={setWeight}
          w={120}
          disabled={!indicator}
        />
        <NumberInput label="Days" min={1} max={30} value={days} onChange={setDays} w={90} />
        <Button onClick={run} loading={replay.isPending}>
          Replay
        </Button>
      </Group>
      {replay.isError && <ErrorAlert error={replay.error} title="Replay failed" />}
      {replay.isSuccess && (
        <Card withBorder aria-live="polite">
          <Stack gap="xs">
            <Text fw={600}>
              {replay.data.changed} of {replay.data.evaluated} decisions in the last {replay.data.days} days would
              change
            </Text>
            <Group gap="xs">
              {Object.entries(replay.data.transitions).map(([k, n]) => (
                <Badge key={k} variant="light" tt="none" size="lg">
                  {k.replace('->', ' → ').replaceAll('_', '-')}: {n}
                </Badge>
              ))}
            </Group>
            {replay.data.examples.length > 0 && (
              <Table aria-label="Examples of changed decisions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Assessment</Table.Th>
                    <Table.Th>Now</Table.Th>
                    <Table.Th>Would be</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {replay.data.examples.slice(0, 10).map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>
                        <Code>{shortId(e.id)}</Code>
                      </Table.Td>
                      <Table.Td>
                        {decisionLabel[e.from]} ({e.score})
                      </Table.Td>
                      <Table.Td>
                        <Badge color={decisionColor[e.to]} variant="light">
                          {decisionLabel[e.to]}
                        </Badge>{' '}
                        ({e.newScore})
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

function IndicatorsPanel() {
  const indicators = useIndicators();
  if (indicators.isError) return <ErrorAlert error={indicators.error} title="Could not load the indicators" />;
  const items = indicators.data?.items ?? [];
  const factors = [...new Set(items.map((i) => i.factor))];
  return (
    <Stack gap="md">
      <Text c="dimmed" size="sm">
        {items.length} indicators in {factors.length} factors. Weights in force; a factor adds at most its cap (
        {Object.entries(indicators.data?.policy.factorCaps ?? {})
          .map(([f, c]) => `${f} ${c}`)
          .join(', ')}
        ).
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table striped aria-label="Risk indicators">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Indicator</Table.Th>
              <Table.Th>Factor</Table.Th>
              <Table.Th ta="right">Weight</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>What it means · data source</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>
                  <Code>{i.id}</Code>
                </Table.Td>
                <Table.Td>{factorLabel[i.factor] ?? i.factor}</Table.Td>
                <Table.Td ta="right">{i.weight}</Table.Td>
                <Table.Td>{i.stages.map((s) => (s === 'login' ? 'sign-in' : 'reveal')).join(', ')}</Table.Td>
                <Table.Td>
                  <Text size="sm">{i.description}</Text>
                  <Text size="xs" c="dimmed">
                    {i.source}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
