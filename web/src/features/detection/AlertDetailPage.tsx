import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Center,
  Code,
  DataList,
  Group,
  Loader,
  Alert as MantineAlert,
  Progress,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconCheck, IconInfo } from '../../components/icons.tsx';
import { invalidFields, isApiError } from '../../lib/api-client.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { PrivilegedButton } from '../elevation/PrivilegedButton.tsx';
import { PersonText } from '../users/user-display.tsx';
import type { Person } from '../users/users.api.ts';
import { usePeople } from '../users/users.api.ts';
import type { AlertDetail, ResponseKind, TimelineEntry } from './detection.api.ts';
import { useAcknowledgeAlert, useAlert, useResolveAlert } from './detection.api.ts';
import {
  AlertStatusBadge,
  alertStatusInfo,
  ResponseBadges,
  responseInfo,
  SeverityBadge,
  SubjectText,
} from './detection-display.tsx';
import { IconSiren } from './detection-icons.tsx';

/** The server's rule for a review note (LOG-06). */
export const NOTE_MIN = 10;

/** `/alerts/:id`: one alert, why it fired, what was done, and its review. */
export function AlertDetailPage() {
  const { id = '' } = useParams();
  const alert = useAlert(id);
  const people = usePeople();

  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} to="/alerts" size="sm">
        Alerts
      </Anchor>
      <Text size="sm">{alert.data?.title ?? 'Alert'}</Text>
    </Breadcrumbs>
  );

  if (alert.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the alert" />
      </Center>
    );
  }
  if (alert.isError) {
    const missing =
      isApiError(alert.error) && (alert.error.status === 404 || alert.error.code === 'request.validation_failed');
    return (
      <Stack gap="lg">
        <title>Alert · Strongroom</title>
        {crumbs}
        {missing ? (
          <EmptyStateCard
            icon={<IconSiren size={28} />}
            title="There is no such alert"
            description="It may have been mistyped in the address. Go back to the queue and pick one there."
            action={
              <Button component={Link} to="/alerts" variant="default">
                Back to alerts
              </Button>
            }
          />
        ) : (
          <ErrorAlert error={alert.error} title="Could not load the alert" onRetry={() => alert.refetch()} />
        )}
      </Stack>
    );
  }

  const a = alert.data;
  return (
    <Stack gap="lg" maw={1280}>
      <title>{`${a.title} · Alerts · Strongroom`}</title>
      {crumbs}
      <div>
        <Group gap="sm" align="center">
          <Title order={2}>{a.title}</Title>
          <SeverityBadge severity={a.severity} />
          <AlertStatusBadge status={a.status} />
        </Group>
        <Text c="dimmed" size="sm">
          Rule <Code>{a.rule}</Code> version {a.ruleVersion} · raised {formatDateTime(a.createdAt)} (
          {formatRelative(a.createdAt)}) · notified {a.notifiedTimes} {a.notifiedTimes === 1 ? 'time' : 'times'}
        </Text>
      </div>
      <StatusStepper alert={a} people={people.byId} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ExplanationCard alert={a} people={people.byId} />
        <Stack gap="lg">
          <ResponsesCard responses={a.responses} />
          <CheckpointCard checkpoint={a.checkpoint} />
        </Stack>
      </SimpleGrid>
      <ReviewCard alert={a} people={people.byId} />
      <TimelineCard entries={a.timeline} people={people.byId} />
    </Stack>
  );
}

function StatusStepper({ alert: a, people }: { alert: AlertDetail; people: ReadonlyMap<string, Person> }) {
  const active = a.status === 'resolved' ? 3 : a.status === 'acknowledged' ? 2 : 1;
  const when = (at: string | null, by: string | null) =>
    at ? (
      <>
        {formatDateTime(at)}
        {by && (
          <>
            <br />
            by <PersonText id={by} people={people} />
          </>
        )}
      </>
    ) : (
      'Not yet'
    );
  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-label={`Alert status: ${alertStatusInfo[a.status]?.label ?? a.status}`}
    >
      <Stepper active={active} size="sm" allowNextStepsSelect={false} data-testid="alert-stepper">
        <Stepper.Step label="Open" description={when(a.createdAt, null)} allowStepSelect={false} aria-disabled />
        <Stepper.Step
          label="Acknowledged"
          description={when(a.acknowledgedAt, a.acknowledgedBy)}
          allowStepSelect={false}
          aria-disabled
        />
        <Stepper.Step
          label="Resolved"
          description={when(a.resolvedAt, a.resolvedBy)}
          allowStepSelect={false}
          aria-disabled
        />
      </Stepper>
    </Card>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function ExplanationCard({ alert: a, people }: { alert: AlertDetail; people: ReadonlyMap<string, Person> }) {
  const hasNumbers = a.observed !== null && a.limit !== null;
  const ratio = hasNumbers && a.limit ? Math.min(100, ((a.observed ?? 0) / a.limit) * 100) : 0;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="why-heading" data-testid="alert-explanation">
      <Title order={3} size="h4" id="why-heading" mb="sm">
        Why it fired
      </Title>
      {hasNumbers && (
        <Group gap="xl" mb="sm" align="flex-end">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Observed
            </Text>
            <Text fz={32} fw={700} lh={1.1} c="red" data-testid="alert-observed">
              {a.observed}
            </Text>
          </div>
          <Text fz="xl" c="dimmed" pb={4} aria-hidden="true">
            vs
          </Text>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              Limit
            </Text>
            <Text fz={32} fw={700} lh={1.1} data-testid="alert-limit">
              {a.limit}
            </Text>
          </div>
        </Group>
      )}
      {hasNumbers && (
        <Progress
          value={ratio}
          color="red"
          size="sm"
          mb="md"
          aria-label={`Observed ${a.observed} against a limit of ${a.limit}`}
        />
      )}
      <DataList labelWidth={140} gap="xs" size="sm">
        <Item label="Basis">
          <Text size="sm">{a.explanation ?? 'No explanation was recorded.'}</Text>
        </Item>
        <Item label="Detection point">
          <Text size="sm">{a.point ?? '—'}</Text>
        </Item>
        <Item label="Subject">
          <SubjectText subject={a.subject} people={people} />
        </Item>
        <Item label="Rule">
          <Anchor component={Link} to={`/security/rules?rule=${encodeURIComponent(a.rule)}`} size="sm">
            {a.rule}
          </Anchor>{' '}
          <Text span size="sm" c="dimmed">
            (version {a.ruleVersion} raised it)
          </Text>
        </Item>
      </DataList>
    </Card>
  );
}

function ResponsesCard({ responses }: { responses: string[] }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="responses-heading">
      <Title order={3} size="h4" id="responses-heading" mb="sm">
        Responses taken
      </Title>
      <ResponseBadges responses={responses} taken />
      <Stack gap={4} mt="sm">
        {responses.map((r) => (
          <Text key={r} size="sm" c="dimmed">
            {responseInfo[r as ResponseKind]?.help ?? r}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

function CheckpointCard({ checkpoint }: { checkpoint: string | null }) {
  const [size, root] = checkpoint?.split(':') ?? [];
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="checkpoint-heading">
      <Title order={3} size="h4" id="checkpoint-heading" mb="sm">
        Audit checkpoint
      </Title>
      {checkpoint ? (
        <>
          <CopyField label="Signed checkpoint when raised" value={checkpoint} data-testid="alert-checkpoint" />
          <Text size="sm" c="dimmed" mt={6}>
            The audit log held {size} entries under the Merkle root {root?.slice(0, 12)}… when this alert was raised.
            Keep it with the review: verifying the audit log against this checkpoint later proves that the entries
            leading up to the alert have not been changed since.
          </Text>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          No signed checkpoint existed yet when this alert was raised.
        </Text>
      )}
    </Card>
  );
}

function ReviewCard({ alert: a, people }: { alert: AlertDetail; people: ReadonlyMap<string, Person> }) {
  const { holds } = useAccess();
  const acknowledge = useAcknowledgeAlert();
  const resolve = useResolveAlert();
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const tooShort = note.trim().length < NOTE_MIN;
  const serverNoteError = invalidFields(resolve.error).some((f) => f.includes('note'));
  const noteError =
    touched && tooShort
      ? `Write at least ${NOTE_MIN} characters: what you checked, what you found and what was done.`
      : serverNoteError && isApiError(resolve.error)
        ? resolve.error.message
        : undefined;

  if (a.status === 'resolved') {
    return (
      <MantineAlert
        color="green"
        variant="light"
        icon={<IconCheck />}
        title="Resolved"
        data-testid="alert-resolved"
        component="section"
      >
        Reviewed and closed by <PersonText id={a.resolvedBy} people={people} /> on {formatDateTime(a.resolvedAt)}. The
        review note is stored sealed with the alert.
      </MantineAlert>
    );
  }
  if (!holds('alerts.manage')) {
    return (
      <MantineAlert color="blue" variant="light" icon={<IconInfo />} title="Review">
        You can read alerts; acknowledging and resolving them needs the “alerts.manage” permission.
      </MantineAlert>
    );
  }
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="review-heading">
      <Title order={3} size="h4" id="review-heading" mb={4}>
        Review
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {a.status === 'open'
          ? 'Acknowledge to tell the others you are on it (the reminders stop), then resolve it with a note once reviewed.'
          : 'Resolve it with a note once reviewed: the note is kept with the alert for the auditors.'}
      </Text>
      {a.status === 'open' && (
        <Group mb="md">
          <PrivilegedButton
            permission="alerts.manage"
            variant="default"
            loading={acknowledge.isPending}
            onClick={() =>
              acknowledge.mutate(a.id, {
                onSuccess: () =>
                  notifications.show({
                    color: 'green',
                    title: 'Alert acknowledged',
                    message: 'The reminders stop; resolve it once reviewed.',
                  }),
              })
            }
          >
            Acknowledge
          </PrivilegedButton>
        </Group>
      )}
      {acknowledge.error != null && <ErrorAlert error={acknowledge.error} title="Could not acknowledge the alert" />}
      <form
        aria-label="Resolve the alert"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (tooShort) return;
          resolve.mutate(
            { id: a.id, note: note.trim() },
            {
              onSuccess: () => {
                notifications.show({
                  color: 'green',
                  title: 'Alert resolved',
                  message: `“${a.title}” is closed with your review note.`,
                });
                setNote('');
                setTouched(false);
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Textarea
            label="Review note"
            description={`Required, at least ${NOTE_MIN} characters: what you checked, what you found, what was done. Stored sealed.`}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            autosize
            minRows={3}
            maxLength={4000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            onBlur={() => note && setTouched(true)}
            error={noteError}
            withAsterisk
          />
          {resolve.error != null && !serverNoteError && (
            <ErrorAlert error={resolve.error} title="Could not resolve the alert" />
          )}
          <Group>
            <Button type="submit" loading={resolve.isPending} color="green">
              Resolve alert
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function TimelineCard({ entries, people }: { entries: TimelineEntry[]; people: ReadonlyMap<string, Person> }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="timeline-heading">
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h4" id="timeline-heading">
          Timeline
        </Title>
        <Anchor component={Link} to="/audit" size="sm">
          Open the audit log
        </Anchor>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Audit entries of the same person or address from an hour before to an hour after the alert, newest first. The
        highlighted row made the rule fire.
      </Text>
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          No audit entries around this alert.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={860} mah={560}>
          <Table verticalSpacing={4} stickyHeader data-testid="alert-timeline">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Seq</Table.Th>
                <Table.Th scope="col">Time</Table.Th>
                <Table.Th scope="col">Action</Table.Th>
                <Table.Th scope="col">Outcome</Table.Th>
                <Table.Th scope="col">Actor</Table.Th>
                <Table.Th scope="col">Target</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr
                  key={e.seq}
                  data-seq={e.seq}
                  data-trigger={e.trigger || undefined}
                  bg={e.trigger ? 'var(--mantine-color-red-light)' : undefined}
                  style={e.trigger ? { boxShadow: 'inset 4px 0 0 var(--mantine-color-red-filled)' } : undefined}
                >
                  <Table.Td>
                    <Code>{e.seq}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(e.at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Code>{e.action}</Code>
                      {e.trigger && (
                        <Badge color="red" variant="filled" size="sm" tt="none">
                          Trigger
                        </Badge>
                      )}
                      {e.trigger && <VisuallyHidden>: the entry that made the rule fire</VisuallyHidden>}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      color={e.outcome === 'success' ? 'green' : e.outcome === 'denied' ? 'red' : 'orange'}
                      variant="light"
                      tt="none"
                    >
                      {e.outcome}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {e.actorId ? (
                      <PersonText id={e.actorId} people={people} />
                    ) : (
                      <Text size="sm" c="dimmed">
                        system
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{e.target ? <SubjectText subject={e.target} people={people} /> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
