import { Anchor, Badge, Group, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { shortId } from '../../lib/format.ts';
import { useMe } from '../auth/auth.api.ts';
import type { Person, UserSummary } from './users.api.ts';

export const userStatusInfo: Record<string, { label: string; color: string; help: string }> = {
  pending_approval: {
    label: 'Waiting for approval',
    color: 'orange',
    help: 'Created; someone other than its creator must approve it before it can enrol.',
  },
  active: { label: 'Active', color: 'green', help: 'Approved; can sign in once enrolled.' },
  locked: { label: 'Locked', color: 'red', help: 'Cannot sign in until an administrator unlocks it.' },
  disabled: { label: 'Rejected', color: 'gray', help: 'The account was rejected at approval and cannot be used.' },
  offboarded: { label: 'Offboarded', color: 'gray', help: 'The person left; every access was revoked.' },
};

export function UserStatusBadge({ status }: { status: string }) {
  const info = userStatusInfo[status] ?? { label: status, color: 'gray', help: '' };
  return (
    <Badge color={info.color} variant="light" tt="none" miw="max-content" data-status={status}>
      {info.label}
    </Badge>
  );
}

export function RoleBadges({ roles, empty = 'No roles' }: { roles: readonly string[]; empty?: string }) {
  if (roles.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Group gap={4}>
      {roles.map((role) => (
        <Badge key={role} variant="outline" tt="none" color={role === 'owner' ? 'grape' : 'indigo'} miw="max-content">
          {role}
        </Badge>
      ))}
    </Group>
  );
}

/** "Ana Lopez" with the email below, "you" for the signed-in person, a short id when unknown. */
export function PersonText({
  id,
  people,
  fallback = '—',
}: {
  id: string | null | undefined;
  people: ReadonlyMap<string, Person>;
  fallback?: string;
}) {
  const { data: me } = useMe();
  if (!id) {
    return (
      <Text size="sm" c="dimmed" span>
        {fallback}
      </Text>
    );
  }
  const person = people.get(id);
  const you = me?.user.id === id;
  if (!person) {
    return (
      <Tooltip label={id}>
        <Text size="sm" ff="monospace" span>
          {you ? 'you' : shortId(id)}
        </Text>
      </Tooltip>
    );
  }
  return (
    <Text size="sm" span title={person.email}>
      {person.name || person.email}
      {you && (
        <Text span size="sm" c="dimmed">
          {' '}
          (you)
        </Text>
      )}
    </Text>
  );
}

export const displayName = (u: { name: string; email: string }) => (u.name?.trim() ? u.name : u.email);

/** A person in a table row: their name as a link to their account, and their email under it when known. */
export function AccountLink({ id, name, email }: { id: string; name: ReactNode; email?: string }) {
  return (
    <>
      <Anchor component={Link} to={`/users/${id}`} size="sm" fw={600}>
        {name}
      </Anchor>
      {email !== undefined && (
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          {email}
        </Text>
      )}
    </>
  );
}

/** The props of a dialog about one account (change roles, offboard, enrolment link, confidential-data access). */
export interface UserDialogProps {
  user: UserSummary;
  opened: boolean;
  onClose: () => void;
}
