import {
  Anchor,
  Button,
  Code,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { usePeople } from '../users/users.api.ts';
import { useAlertFilters } from './alerts-filters.ts';
import type { Alert, AlertFilters } from './detection.api.ts';
import { ALERTS_LIMIT, alertStatuses, severities, useAlertSummary, useAlerts, useRules } from './detection.api.ts';
import {
  AlertStatusBadge,
  alertStatusInfo,
  ResponseBadges,
  ruleTitle,
  SeverityBadge,
  SubjectText,
  severityInfo,
} from './detection-display.tsx';
import { IconSiren, IconSliders } from './detection-icons.tsx';

const statusOptions = [
  { value: 'unresolved', label: 'Unresolved (open, acknowledged)' },
  ...alertStatuses.map((s) => ({ value: s, label: alertStatusInfo[s]?.label ?? s })),
  { value: '', label: 'Any status' },
];
const severityOptions = [
  { value: '', label: 'Any severity' },
  ...[...severities].reverse().map((s) => ({ value: s, label: severityInfo[s]?.label ?? s })),
];

const isFiltered = (f: AlertFilters) => f.status !== 'unresolved' || f.severity !== '' || f.rule !== '';

/** `/alerts`: the security analyst's queue. Unresolved first, newest first; filters in the URL. */
export function AlertsPage() {
  const [filters, setFilters] = useAlertFilters();
  const alerts = useAlerts(filters);
  const rules = useRules();
  const people = usePeople();
  const items = alerts.data?.items ?? [];
  const clear = () => setFilters({ status: 'unresolved', severity: '', rule: '' });

  const ruleOptions = [
    { value: '', label: 'Any rule' },
    ...(rules.data?.items ?? []).map((r) => ({ value: r.id, label: r.title })),
  ];
  // A rule named in the URL that the list does not know yet (loading, or removed) stays selectable.
  if (filters.rule && !ruleOptions.some((o) => o.value === filters.rule))
    ruleOptions.push({ value: filters.rule, label: filters.rule });

  return (
    <Stack gap="lg">
      <title>Alerts · Strongroom</title>
      <PageHeader
        title="Alerts"
        description="What the detection rules raised, newest first. Acknowledge to stop the reminders; resolve with a review note."
        actions={
          <Button component={Link} to="/security/rules" variant="default" leftSection={<IconSliders size={16} />}>
            Rules
          </Button>
        }
      />
      <SeveritySummary active={filters.severity} onPick={(severity) => setFilters({ severity })} />
      <FilterBar label="Alert filters">
        <NativeSelect
          label="Status"
          data={statusOptions}
          value={filters.status}
          onChange={(e) => setFilters({ status: e.currentTarget.value })}
          w={260}
        />
        <NativeSelect
          label="Severity"
          data={severityOptions}
          value={filters.severity}
          onChange={(e) => setFilters({ severity: e.currentTarget.value })}
          w={180}
        />
        <NativeSelect
          label="Rule"
          data={ruleOptions}
          value={filters.rule}
          onChange={(e) => setFilters({ rule: e.currentTarget.value })}
          w={360}
        />
        {isFiltered(filters) && (
          <Button variant="subtle" onClick={clear}>
            Clear filters
          </Button>
        )}
      </FilterBar>
      <QueryStatus
        query={alerts}
        loadingLabel="Loading alerts"
        errorTitle="Could not load the alerts"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconSiren size={28} />}
            title={isFiltered(filters) ? 'No alerts match these filters' : 'No unresolved alerts'}
            description={
              isFiltered(filters)
                ? 'Choose another status, severity or rule, or clear the filters to see what still needs someone.'
                : 'Nothing waits for review. The rules watch sign-ins, refused calls, reveals and the audit log; a new alert shows here within 30 seconds.'
            }
            action={
              isFiltered(filters) ? (
                <Button variant="default" onClick={clear}>
                  Clear filters
                </Button>
              ) : (
                <Button component={Link} to="/security/rules" variant="default">
                  Review the rules
                </Button>
              )
            }
          />
        }
      />
      {items.length > 0 && (
        <AlertsTable items={items} titles={(id) => ruleTitle(rules.data?.items, id)} people={people.byId} />
      )}
      {alerts.isSuccess && items.length > 0 && (
        <Text size="sm" c="dimmed" aria-live="polite">
          {items.length} {items.length === 1 ? 'alert' : 'alerts'}
          {items.length >= ALERTS_LIMIT ? ` (the newest ${ALERTS_LIMIT}; filter to reach older ones)` : ''}
          {alerts.isPlaceholderData ? ' (updating…)' : ''}
        </Text>
      )}
    </Stack>
  );
}

/** Unresolved alerts per severity; a tile filters the queue to that severity (again: all severities). */
function SeveritySummary({ active, onPick }: { active: string; onPick: (severity: string) => void }) {
  const summary = useAlertSummary();
  const counts = (severity: string, status?: string) =>
    (summary.data?.items ?? [])
      .filter((r) => r.severity === severity && (!status || r.status === status))
      .reduce((n, r) => n + r.count, 0);
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="alerts-summary">
      {[...severities].reverse().map((s) => {
        const total = counts(s);
        const open = counts(s, 'open');
        const pressed = active === s;
        return (
          <UnstyledButton
            key={s}
            onClick={() => onPick(pressed ? '' : s)}
            aria-pressed={pressed}
            aria-label={`${severityInfo[s]?.label}: ${total} unresolved, ${open} open. ${pressed ? 'Show every severity' : 'Show only these'}`}
          >
            <Paper
              withBorder
              p="sm"
              style={{
                borderColor: pressed ? 'var(--mantine-primary-color-filled)' : undefined,
                borderWidth: pressed ? 2 : undefined,
              }}
            >
              <Group justify="space-between" wrap="nowrap">
                <SeverityBadge severity={s} />
                <Text fz={28} fw={700} lh={1} c={total > 0 && (s === 'critical' || s === 'high') ? 'red' : undefined}>
                  {summary.isSuccess ? total : '–'}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" mt={6}>
                {summary.isSuccess ? `${open} open · ${total - open} acknowledged` : 'Loading…'}
              </Text>
            </Paper>
          </UnstyledButton>
        );
      })}
    </SimpleGrid>
  );
}

function AlertsTable({
  items,
  titles,
  people,
}: {
  items: Alert[];
  titles: (rule: string) => string | undefined;
  people: ReturnType<typeof usePeople>['byId'];
}) {
  const navigate = useNavigate();
  return (
    <ListTable
      minWidth={1000}
      striped
      highlightOnHover
      data-testid="alerts-table"
      caption="Alerts, newest first"
      columns={[
        'Severity',
        'Alert',
        'Subject',
        'Status',
        'Raised',
        'Responses taken',
        { label: 'Notified', ta: 'right' },
      ]}
    >
      {items.map((a) => (
        <Table.Tr
          key={a.id}
          data-alert-id={a.id}
          data-rule={a.rule}
          style={{ cursor: 'pointer' }}
          onClick={(e) => {
            // The title is the keyboard way in; a click anywhere else on the row does the same.
            if ((e.target as HTMLElement).closest('a, button, [tabindex]')) return;
            navigate(`/alerts/${a.id}`);
          }}
        >
          <Table.Td>
            <SeverityBadge severity={a.severity} />
          </Table.Td>
          <Table.Td maw={420}>
            <Anchor component={Link} to={`/alerts/${a.id}`} size="sm" fw={600}>
              {titles(a.rule) ?? a.rule}
            </Anchor>
            <Text size="xs" c="dimmed">
              <Code fz="xs">{a.rule}</Code> v{a.ruleVersion}
              {a.explanation ? ` · ${a.explanation}` : ''}
            </Text>
          </Table.Td>
          <Table.Td>
            <SubjectText subject={a.subject} people={people} />
          </Table.Td>
          <Table.Td>
            <AlertStatusBadge status={a.status} />
          </Table.Td>
          <Table.Td>
            <DateTimeText value={a.createdAt} relative />
          </Table.Td>
          <Table.Td>
            <ResponseBadges responses={a.responses} taken />
          </Table.Td>
          <Table.Td ta="right">
            <Text size="sm" title="How many times the on-call roles were notified">
              {a.notifiedTimes}×
            </Text>
          </Table.Td>
        </Table.Tr>
      ))}
    </ListTable>
  );
}
