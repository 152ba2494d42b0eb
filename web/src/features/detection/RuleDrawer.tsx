import {
  Badge,
  Button,
  Checkbox,
  Code,
  Divider,
  Drawer,
  Group,
  List,
  Alert as MantineAlert,
  NativeSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useAccess } from '../../app/permissions.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle, IconInfo } from '../../components/icons.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { PersonText } from '../users/user-display.tsx';
import type { Person } from '../users/users.api.ts';
import { usePeople } from '../users/users.api.ts';
import type { ReplayResult, ResponseKind, RuleDetail, RuleVersion, Severity } from './detection.api.ts';
import { responseKinds, severities, useReplayRule, useRule, useUpdateRule } from './detection.api.ts';
import { detectorSummary, responseInfo, SeverityBadge, severityInfo } from './detection-display.tsx';
import { IconHistory } from './detection-icons.tsx';
import { ReplayChart } from './ReplayChart.tsx';
import type { RuleDraft } from './rule-changes.ts';
import {
  changedSettings,
  describeSettings,
  detectorFields,
  draftOf,
  fieldSpecs,
  weakeningReasons,
} from './rule-changes.ts';

/** The detail and edit panel of one rule: settings that fit its detector, replay, save as a new version. */
export function RuleDrawer({ ruleId, onClose }: { ruleId: string | null; onClose: () => void }) {
  const rule = useRule(ruleId);
  return (
    <Drawer
      opened={ruleId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={rule.data?.title ?? 'Rule'}
      closeButtonProps={{ 'aria-label': 'Close the rule' }}
    >
      <QueryStatus query={rule} loadingLabel="Loading the rule" errorTitle="Could not load the rule" />
      {rule.data && <RuleEditor key={`${rule.data.id}:${rule.data.version}`} rule={rule.data} />}
    </Drawer>
  );
}

function RuleEditor({ rule }: { rule: RuleDetail }) {
  const { holds } = useAccess();
  const canEdit = holds('detection.manage');
  const people = usePeople();
  const update = useUpdateRule();
  const replay = useReplayRule();
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const [confirming, setConfirming] = useState(false);
  const changes = changedSettings(rule, draft);
  const changed = Object.keys(changes).length > 0;
  const weakening = weakeningReasons(rule, changes);
  const replayedFor = replay.variables ? JSON.stringify(replay.variables.settings) : null;
  const staleReplay = replay.data !== undefined && replayedFor !== JSON.stringify(changes);

  const set = (patch: Partial<RuleDraft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <Stack gap="lg" data-testid="rule-drawer" data-rule={rule.id}>
      <div>
        <Group gap="xs">
          <Code>{rule.id}</Code>
          <Badge variant="outline" tt="none">
            Version {rule.version}
          </Badge>
          <SeverityBadge severity={rule.severity} />
          <StateBadges enabled={rule.enabled} mode={rule.mode} />
        </Group>
        <Text size="sm" mt="xs">
          {rule.point}
        </Text>
      </div>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb={6}>
          What it watches
        </Title>
        <Text size="sm" mb={6}>
          <Text span fw={600} size="sm">
            Detector:{' '}
          </Text>
          {detectorSummary(rule.detector)}
        </Text>
        <Group gap={4} mb={rule.match || rule.contains ? 6 : 0}>
          <Text size="sm" fw={600}>
            Audit actions:
          </Text>
          {rule.actions.map((a) => (
            <Code key={a}>{a}</Code>
          ))}
        </Group>
        {rule.match && (
          <Text size="sm">
            <Text span fw={600} size="sm">
              Only when:{' '}
            </Text>
            {Object.entries(rule.match)
              .map(([k, v]) => `${k} is ${v.map((x) => (x === null ? 'absent' : String(x))).join(' or ')}`)
              .join('; ')}
          </Text>
        )}
        {rule.contains && (
          <Text size="sm">
            <Text span fw={600} size="sm">
              Only when:{' '}
            </Text>
            {rule.contains.key} contains “{rule.contains.value}”
          </Text>
        )}
      </Paper>

      <form
        aria-label={`Settings of ${rule.title}`}
        onSubmit={(e) => {
          e.preventDefault();
          if (changed) setConfirming(true);
        }}
        noValidate
      >
        <Stack gap="md">
          <Title order={3} size="h5">
            Settings
          </Title>
          {!canEdit && (
            <MantineAlert color="blue" variant="light" icon={<IconInfo />}>
              You can read and replay rules; changing them needs the “detection.manage” permission.
            </MantineAlert>
          )}
          <Group gap="xl" align="flex-end">
            <Switch
              label="Enabled"
              checked={draft.enabled}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
              disabled={!canEdit}
            />
            <div>
              <Text size="sm" fw={500} mb={4} id="mode-label">
                Mode
              </Text>
              <SegmentedControl
                aria-labelledby="mode-label"
                value={draft.mode}
                onChange={(v) => set({ mode: v as RuleDraft['mode'] })}
                disabled={!canEdit}
                data={[
                  { value: 'enforce', label: 'Enforce' },
                  { value: 'monitor', label: 'Monitor only' },
                ]}
              />
            </div>
            <NativeSelect
              label="Severity"
              value={draft.severity}
              onChange={(e) => set({ severity: e.currentTarget.value as Severity })}
              data={[...severities].reverse().map((s) => ({ value: s, label: severityInfo[s]?.label ?? s }))}
              disabled={!canEdit}
              w={160}
            />
          </Group>
          <Checkbox.Group
            label="Responses"
            description="What happens at once when the rule fires (in enforce mode)."
            value={draft.responses}
            onChange={(v) => set({ responses: v as ResponseKind[] })}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt={6}>
              {responseKinds.map((r) => (
                <Checkbox
                  key={r}
                  value={r}
                  label={responseInfo[r].rule}
                  description={responseInfo[r].help}
                  disabled={!canEdit}
                />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: detectorFields[rule.detector.kind].length }}>
            {detectorFields[rule.detector.kind].map((f) => {
              const spec = fieldSpecs[f];
              const value = draft.fields[f];
              return (
                <NumberInput
                  key={f}
                  label={spec.label}
                  description={`${spec.description}${value !== undefined && f === 'windowSeconds' ? ` Now: ${spec.format(value)}.` : ''}`}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  value={value ?? ''}
                  min={spec.min}
                  max={spec.max}
                  step={spec.step}
                  decimalScale={spec.decimals ?? 0}
                  allowDecimal={spec.decimals !== undefined}
                  clampBehavior="strict"
                  onChange={(v) =>
                    setDraft((d) => ({
                      ...d,
                      fields: { ...d.fields, [f]: typeof v === 'number' ? v : v === '' ? undefined : Number(v) },
                    }))
                  }
                  disabled={!canEdit}
                />
              );
            })}
          </SimpleGrid>
          {weakening.length > 0 && (
            <MantineAlert
              color="orange"
              variant="light"
              icon={<IconAlertTriangle />}
              title="This change weakens detection"
              data-testid="rule-weakening"
            >
              <List size="sm" spacing={2}>
                {weakening.map((w) => (
                  <List.Item key={w}>{w}</List.Item>
                ))}
              </List>
              <Text size="sm" mt={6}>
                Saving it raises a “security setting weakened” alert for the security team, and the version is marked as
                weakening. Replay it first to see what you would miss.
              </Text>
            </MantineAlert>
          )}
          <Group justify="space-between">
            <Button
              variant="default"
              leftSection={<IconHistory size={16} />}
              loading={replay.isPending}
              onClick={() => replay.mutate({ id: rule.id, settings: changes })}
            >
              Replay last 30 days
            </Button>
            {canEdit && (
              <Group gap="sm">
                <Button variant="subtle" onClick={() => setDraft(draftOf(rule))} disabled={!changed}>
                  Undo changes
                </Button>
                <Button type="submit" disabled={!changed} color={weakening.length ? 'orange' : undefined}>
                  Save as version {rule.version + 1}
                </Button>
              </Group>
            )}
          </Group>
        </Stack>
      </form>

      {replay.isError && <ErrorAlert error={replay.error} title="Could not replay the rule" />}
      {replay.data && (
        <ReplayPanel
          current={replay.data.current}
          proposed={replay.data.proposed}
          proposedChanges={replayedFor !== '{}'}
          stale={staleReplay}
          silenced={draft.enabled === false || draft.mode === 'monitor'}
        />
      )}

      <Divider />
      <VersionHistory history={rule.history} people={people.byId} />

      <ConfirmDialog
        opened={confirming}
        onClose={() => {
          setConfirming(false);
          update.reset();
        }}
        title={`Save “${rule.title}” as version ${rule.version + 1}?`}
        confirmLabel={weakening.length ? 'Save weakening change' : 'Save rule'}
        color={weakening.length ? 'orange' : undefined}
        pending={update.isPending}
        error={update.error}
        errorTitle="The rule was not saved"
        onConfirm={() =>
          update.mutate(
            { id: rule.id, settings: changes },
            {
              onSuccess: (saved) => {
                setConfirming(false);
                notifications.show({
                  color: weakening.length ? 'orange' : 'green',
                  title: `Rule saved as version ${saved.version}`,
                  message: weakening.length
                    ? 'It weakens detection: an alert was raised for the security team.'
                    : 'It applies to the next event on every server.',
                });
              },
            },
          )
        }
      >
        <Stack gap="xs">
          <Text size="sm">
            The change applies to the next event on every server; alerts raised from now on name version{' '}
            {rule.version + 1}.
          </Text>
          <Text size="sm">
            <Text span fw={600} size="sm">
              Changes:{' '}
            </Text>
            {describeSettings(changes as Record<string, unknown>)}
          </Text>
          {weakening.length > 0 && (
            <MantineAlert color="orange" variant="light" icon={<IconAlertTriangle />} title="Weakens detection">
              <List size="sm" spacing={2}>
                {weakening.map((w) => (
                  <List.Item key={w}>{w}</List.Item>
                ))}
              </List>
            </MantineAlert>
          )}
        </Stack>
      </ConfirmDialog>
    </Stack>
  );
}

export function StateBadges({ enabled, mode }: { enabled: boolean; mode: 'enforce' | 'monitor' }) {
  if (!enabled)
    return (
      <Badge color="gray" variant="filled" tt="none">
        Disabled
      </Badge>
    );
  return mode === 'monitor' ? (
    <Badge color="yellow" variant="light" tt="none">
      Monitor only
    </Badge>
  ) : (
    <Badge color="green" variant="light" tt="none">
      Enforced
    </Badge>
  );
}

function Stat({ label, value, testId, sub }: { label: string; value: number; testId: string; sub: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.1} data-testid={testId}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {sub}
      </Text>
    </div>
  );
}

function ReplayPanel({
  current,
  proposed,
  proposedChanges,
  stale,
  silenced,
}: {
  current: ReplayResult;
  proposed: ReplayResult;
  proposedChanges: boolean;
  stale: boolean;
  silenced: boolean;
}) {
  const delta = proposed.wouldFire - current.wouldFire;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="replay-heading" data-testid="replay-result">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id="replay-heading">
          Replay over the last {current.days} days
        </Title>
        <Text size="sm" c="dimmed">
          {current.events} matching audit entries examined
        </Text>
      </Group>
      {stale && (
        <MantineAlert color="blue" variant="light" icon={<IconInfo />} mb="sm">
          The settings changed since this replay: replay again to see the new numbers.
        </MantineAlert>
      )}
      <SimpleGrid cols={3} mb="sm">
        <Stat
          label="As it is"
          value={current.wouldFire}
          testId="replay-current-fires"
          sub={`${current.wouldFire === 1 ? 'fire' : 'fires'} · ${current.subjects} ${current.subjects === 1 ? 'subject' : 'subjects'}`}
        />
        <Stat
          label={proposedChanges ? 'As proposed' : 'As proposed (no change)'}
          value={proposed.wouldFire}
          testId="replay-proposed-fires"
          sub={`${proposed.wouldFire === 1 ? 'fire' : 'fires'} · ${proposed.subjects} ${proposed.subjects === 1 ? 'subject' : 'subjects'}`}
        />
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            Difference
          </Text>
          <Text
            fz={28}
            fw={700}
            lh={1.1}
            c={delta < 0 ? 'orange' : delta > 0 ? 'blue' : undefined}
            data-testid="replay-delta"
          >
            {delta > 0 ? `+${delta}` : delta === 0 ? '±0' : `−${-delta}`}
          </Text>
          <Text size="xs" c="dimmed">
            {delta < 0 ? 'fewer alerts (missed?)' : delta > 0 ? 'more alerts' : 'the same'}
          </Text>
        </div>
      </SimpleGrid>
      <ReplayChart current={current} proposed={proposed} />
      {(current.truncated || proposed.truncated) && (
        <Text size="xs" c="dimmed" mt={6}>
          The replay stopped at its event limit: the counts are a lower bound.
        </Text>
      )}
      {silenced && (
        <Text size="xs" c="dimmed" mt={6}>
          The replay judges the detector only. Disabled or in monitor mode, none of these fires would raise an alert or
          a response.
        </Text>
      )}
    </Paper>
  );
}

/** What each version changed against the one before it (versions store every override of the defaults). */
function versionDiff(history: RuleVersion[], i: number): Record<string, unknown> {
  const now = history[i]?.settings ?? {};
  const before = history[i + 1]?.settings ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(now)) if (JSON.stringify(v) !== JSON.stringify(before[k])) out[k] = v;
  return out;
}

function VersionHistory({ history, people }: { history: RuleVersion[]; people: ReadonlyMap<string, Person> }) {
  return (
    <section aria-labelledby="history-heading">
      <Title order={3} size="h5" id="history-heading" mb="xs">
        Version history
      </Title>
      <Table verticalSpacing={6} data-testid="rule-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Changed</Table.Th>
            <Table.Th scope="col">What changed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.map((v, i) => (
            <Table.Tr key={v.version} data-version={v.version}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={600}>
                    v{v.version}
                  </Text>
                  {i === 0 && (
                    <Badge size="sm" variant="light" tt="none">
                      in force
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {v.changedAt ? (
                  <>
                    <DateTimeText value={v.changedAt} />
                    <Text size="xs">
                      by <PersonText id={v.changedBy} people={people} />
                    </Text>
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    Built in
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {v.version === 1 && !v.changedAt
                    ? 'The built-in defaults'
                    : Object.keys(versionDiff(history, i)).length
                      ? describeSettings(versionDiff(history, i))
                      : 'No change'}
                </Text>
                {v.weakened && (
                  <Badge color="orange" variant="light" tt="none" mt={4}>
                    Weakened detection
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}
