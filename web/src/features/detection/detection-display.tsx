import { Anchor, Badge, Code, Group, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { shortId } from '../../lib/format.ts';
import { isUuid } from '../../lib/lists.ts';
import { PersonText } from '../users/user-display.tsx';
import type { Person } from '../users/users.api.ts';
import type { Detector, ResponseKind, Rule } from './detection.api.ts';

export const severityInfo: Record<string, { label: string; color: string; variant: 'filled' | 'light' }> = {
  critical: { label: 'Critical', color: 'red.9', variant: 'filled' },
  high: { label: 'High', color: 'red', variant: 'light' },
  medium: { label: 'Medium', color: 'orange', variant: 'light' },
  low: { label: 'Low', color: 'blue', variant: 'light' },
};

export function SeverityBadge({ severity }: { severity: string }) {
  const info = severityInfo[severity] ?? { label: severity, color: 'gray', variant: 'light' as const };
  return (
    <Badge color={info.color} variant={info.variant} tt="none" miw="max-content" data-severity={severity}>
      {info.label}
    </Badge>
  );
}

export const alertStatusInfo: Record<string, { label: string; color: string; help: string }> = {
  open: { label: 'Open', color: 'red', help: 'Nobody has taken it yet; reminders are sent until someone does.' },
  acknowledged: { label: 'Acknowledged', color: 'orange', help: 'Someone is on it; reminders have stopped.' },
  resolved: { label: 'Resolved', color: 'green', help: 'Reviewed and closed with a note.' },
};

export function AlertStatusBadge({ status }: { status: string }) {
  const info = alertStatusInfo[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={info.color} variant="outline" tt="none" miw="max-content" data-status={status}>
      {info.label}
    </Badge>
  );
}

/** Responses as the rule would take them (rules screen) and as they were taken (alerts). */
export const responseInfo: Record<ResponseKind, { rule: string; taken: string; help: string; color: string }> = {
  alert: {
    rule: 'Alert',
    taken: 'Alert sent',
    help: 'Raise an alert for the on-call roles (email, SMS, webhooks).',
    color: 'gray',
  },
  step_up: {
    rule: 'Step-up',
    taken: 'Step-up asked',
    help: 'The user must confirm a second factor again before going on.',
    color: 'indigo',
  },
  end_sessions: {
    rule: 'End sessions',
    taken: 'Sessions ended',
    help: 'Every session of the user is signed out.',
    color: 'orange',
  },
  lock_account: {
    rule: 'Lock account',
    taken: 'Account locked',
    help: 'The account is locked until an administrator unlocks it.',
    color: 'red',
  },
  block_ip: {
    rule: 'Block address',
    taken: 'Address blocked',
    help: 'The network address is refused for 1 h, then 4 h, 24 h and 7 days for repeat offenders.',
    color: 'red',
  },
  lockdown: {
    rule: 'Lock down',
    taken: 'Locked down',
    help: 'Confidential data is closed to everyone but incident responders until two owners lift it.',
    color: 'grape',
  },
};

export function ResponseBadges({ responses, taken = false }: { responses: readonly string[]; taken?: boolean }) {
  if (responses.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {responses.map((r) => {
        const info = responseInfo[r as ResponseKind];
        return (
          <Tooltip key={r} label={info?.help ?? r} multiline w={260}>
            <Badge
              color={info?.color ?? 'gray'}
              variant="light"
              tt="none"
              miw="max-content"
              tabIndex={0}
              data-response={r}
            >
              {info ? (taken ? info.taken : info.rule) : r}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

/** "45 s", "5 min", "1 h", "1 day": windows as people say them. */
export function formatSeconds(s: number): string {
  if (s % 86_400 === 0) return s === 86_400 ? '1 day' : `${s / 86_400} days`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  if (s > 3600) return `${Math.round(s / 360) / 10} h`;
  if (s > 60) return `${Math.round(s / 6) / 10} min`;
  return `${s} s`;
}

const groupWords: Record<string, string> = { actor: 'per user', ip: 'per address', target: 'per target' };
const bucketWords = (s: number) => (s === 3600 ? 'hour' : s === 60 ? 'minute' : formatSeconds(s));

/** The detector in one line: "3 in 5 min per user", "every hit, per user", "above own baseline…". */
export function detectorSummary(d: Detector): string {
  if (d.kind === 'count') {
    const per = groupWords[d.groupBy] ?? `per ${d.groupBy}`;
    if (d.threshold === 1) return `Every hit (one alert ${per} per ${formatSeconds(d.windowSeconds)})`;
    const what = d.distinct === 'target' ? `${d.threshold} different targets` : `${d.threshold}`;
    return `${what} in ${formatSeconds(d.windowSeconds)} ${per}`;
  }
  if (d.kind === 'baseline') {
    return `Per user per ${bucketWords(d.bucketSeconds)}: above own ${d.historyDays}-day baseline + ${d.deviations} sd (at least ${d.minimum}), always at ${d.hardCap}`;
  }
  return `${d.minReveals}+ reveals covering ${Math.round(d.ratio * 100)}% of search hits in ${formatSeconds(d.windowSeconds)}`;
}

export const ruleTitle = (rules: readonly Rule[] | undefined, id: string) => rules?.find((r) => r.id === id)?.title;

/**
 * Who or what an alert is about: a person (linked to their page for people who may read users), or a network
 * address, which the server keeps only as a keyed hash.
 */
export function SubjectText({
  subject,
  people,
}: {
  subject: { type: string; id: string | null };
  people: ReadonlyMap<string, Person>;
}) {
  const { holds } = useAccess();
  if (!subject.id) {
    return (
      <Text size="sm" c="dimmed">
        {subject.type}
      </Text>
    );
  }
  if (subject.type === 'user') {
    const person = <PersonText id={subject.id} people={people} />;
    return holds('users.read') ? (
      <Anchor component={Link} to={`/users/${subject.id}`} size="sm">
        {person}
      </Anchor>
    ) : (
      person
    );
  }
  if (subject.type === 'ip') {
    return (
      <Tooltip label={`Network address, as the audit log's keyed hash: ${subject.id}`} multiline w={280}>
        <Text size="sm" span tabIndex={0}>
          Address <Code>{shortId(subject.id)}</Code>
        </Text>
      </Tooltip>
    );
  }
  // Other subjects are what a rule counted per target: a setting (a rule, the allow-list) or a typed account name.
  const label = subject.type === 'account_name' ? 'Account name' : subject.type === 'system' ? 'Setting' : subject.type;
  const long = isUuid(subject.id) || subject.id.length > 24;
  return (
    <Text size="sm" span>
      {label} <Code title={subject.id}>{long ? shortId(subject.id) : subject.id}</Code>
    </Text>
  );
}
