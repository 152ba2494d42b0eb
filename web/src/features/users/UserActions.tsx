import { Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useAccess } from '../../app/permissions.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import {
  IconCheck,
  IconKey,
  IconLink,
  IconLock,
  IconLockOpen,
  IconUserOff,
  IconUsers,
  IconX,
} from '../../components/icons.tsx';
import { PrivilegedButton } from '../elevation/PrivilegedButton.tsx';
import { ChangeRolesModal } from './ChangeRolesModal.tsx';
import { EnrollmentLinkModal } from './EnrollmentLinkModal.tsx';
import { OffboardModal } from './OffboardModal.tsx';
import { RequestGrantModal } from './RequestGrantModal.tsx';
import { displayName } from './user-display.tsx';
import type { UserDetail, UserTransition } from './users.api.ts';
import { useUserTransition } from './users.api.ts';

type Dialog = UserTransition | 'link' | 'offboard' | 'roles' | 'grant' | null;

const transitionText: Record<
  UserTransition,
  { title: (n: string) => string; confirm: string; color?: string; done: (n: string) => string }
> = {
  approve: {
    title: (n) => `Approve the account of ${n}?`,
    confirm: 'Approve',
    done: (n) => `${n} is approved; create an enrolment link so they can set up their sign-in.`,
  },
  reject: {
    title: (n) => `Reject the account of ${n}?`,
    confirm: 'Reject',
    color: 'red',
    done: (n) => `The account of ${n} was rejected and cannot be used.`,
  },
  lock: {
    title: (n) => `Lock the account of ${n}?`,
    confirm: 'Lock account',
    color: 'red',
    done: (n) => `${n} is locked and signed out everywhere.`,
  },
  unlock: {
    title: (n) => `Unlock the account of ${n}?`,
    confirm: 'Unlock account',
    done: (n) => `${n} can sign in again.`,
  },
};

/**
 * What may be done to this account, by whom, and why not when not: every control the server would refuse is
 * hidden (no permission) or disabled with the reason (four-eyes, state), so refused calls are not made.
 */
export function UserActions({ user }: { user: UserDetail }) {
  const { me, access } = useAccess();
  const [dialog, setDialog] = useState<Dialog>(null);
  const transition = useUserTransition();
  const close = () => setDialog(null);
  const name = displayName(user);

  const myId = me?.user.id;
  const iAmOwner = me?.user.roles.includes('owner') ?? false;
  const isSelf = user.id === myId;
  const isCreator = user.createdBy !== null && user.createdBy === myId;
  const pending = user.status === 'pending_approval';
  const gone = user.status === 'offboarded' || user.status === 'disabled';
  const temporarilyLocked = user.lockedUntil !== null;

  const notes: string[] = [];
  const buttons: React.ReactNode[] = [];

  if (pending && access('users.approve') !== 'none') {
    const blockedBy = isCreator
      ? 'You created this account, so someone else must approve or reject it (four-eyes rule, IAM-07).'
      : user.roles.includes('owner') && !iAmOwner
        ? 'Only an owner can approve an account with the owner role.'
        : null;
    if (blockedBy) {
      notes.push(blockedBy);
      buttons.push(
        <Button key="approve" leftSection={<IconCheck size={16} />} disabled aria-describedby="user-actions-notes">
          Approve
        </Button>,
        <Button
          key="reject"
          variant="default"
          leftSection={<IconX size={16} />}
          disabled
          aria-describedby="user-actions-notes"
        >
          Reject
        </Button>,
      );
    } else {
      buttons.push(
        <PrivilegedButton
          key="approve"
          permission="users.approve"
          leftSection={<IconCheck size={16} />}
          onClick={() => setDialog('approve')}
          elevationHint="Approving an account is a privileged action: elevate first."
        >
          Approve
        </PrivilegedButton>,
        <PrivilegedButton
          key="reject"
          permission="users.approve"
          variant="default"
          leftSection={<IconX size={16} />}
          onClick={() => setDialog('reject')}
          elevationHint="Rejecting an account is a privileged action: elevate first."
        >
          Reject
        </PrivilegedButton>,
      );
    }
  }

  if (!user.enrolled && !gone && access('users.create') !== 'none') {
    if (pending || user.status === 'locked') {
      notes.push(
        pending
          ? 'An enrolment link can be made once the account is approved.'
          : 'Unlock the account before making an enrolment link.',
      );
      buttons.push(
        <Button
          key="link"
          variant="default"
          leftSection={<IconLink size={16} />}
          disabled
          aria-describedby="user-actions-notes"
        >
          Create enrolment link
        </Button>,
      );
    } else {
      buttons.push(
        <PrivilegedButton
          key="link"
          permission="users.create"
          leftSection={<IconLink size={16} />}
          onClick={() => setDialog('link')}
          elevationHint="Creating an enrolment link is a privileged action: elevate first."
        >
          Create enrolment link
        </PrivilegedButton>,
      );
    }
  }

  if (!gone && !isSelf && access('users.manage') !== 'none') {
    buttons.push(
      <PrivilegedButton
        key="roles"
        permission="users.manage"
        variant="default"
        leftSection={<IconUsers size={16} />}
        onClick={() => setDialog('roles')}
        elevationHint="Changing roles is a privileged action: elevate first."
      >
        Change roles
      </PrivilegedButton>,
    );
  }

  const canAskGrant =
    !gone && !isSelf && !user.roles.includes('owner') && iAmOwner && access('grants.request') !== 'none';
  if (canAskGrant) {
    buttons.push(
      <PrivilegedButton
        key="grant"
        permission="grants.request"
        variant="default"
        leftSection={<IconKey size={16} />}
        onClick={() => setDialog('grant')}
        elevationHint="Requesting confidential-data access is a privileged action: elevate first."
      >
        Request confidential-data access
      </PrivilegedButton>,
    );
  }

  if (!isSelf && access('users.manage') !== 'none') {
    if (user.status === 'locked' || temporarilyLocked) {
      buttons.push(
        <PrivilegedButton
          key="unlock"
          permission="users.manage"
          variant="default"
          leftSection={<IconLockOpen size={16} />}
          onClick={() => setDialog('unlock')}
          elevationHint="Unlocking an account is a privileged action: elevate first."
        >
          Unlock
        </PrivilegedButton>,
      );
    } else if (user.status === 'active') {
      buttons.push(
        <PrivilegedButton
          key="lock"
          permission="users.manage"
          variant="default"
          color="red"
          leftSection={<IconLock size={16} />}
          onClick={() => setDialog('lock')}
          elevationHint="Locking an account is a privileged action: elevate first."
        >
          Lock
        </PrivilegedButton>,
      );
    }
    if (user.status !== 'offboarded' && !pending) {
      buttons.push(
        <PrivilegedButton
          key="offboard"
          permission="users.manage"
          variant="outline"
          color="red"
          leftSection={<IconUserOff size={16} />}
          onClick={() => setDialog('offboard')}
          elevationHint="Offboarding is a privileged action: elevate first."
        >
          Offboard
        </PrivilegedButton>,
      );
    }
  }
  if (isSelf) notes.push('This is your own account: another administrator changes its roles, locks or offboards it.');

  const t = dialog && dialog in transitionText ? transitionText[dialog as UserTransition] : null;

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="user-actions-heading">
      <Title order={3} size="h4" id="user-actions-heading" mb="sm">
        Actions
      </Title>
      {buttons.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing you can change here: your roles allow reading this account only.
        </Text>
      ) : (
        <Stack gap="sm">
          <Group gap="sm">{buttons}</Group>
          {notes.length > 0 && (
            <List size="sm" c="dimmed" id="user-actions-notes" data-testid="user-actions-notes" spacing={2}>
              {notes.map((n) => (
                <List.Item key={n}>{n}</List.Item>
              ))}
            </List>
          )}
        </Stack>
      )}

      {t && (
        <ConfirmDialog
          opened
          onClose={close}
          title={t.title(name)}
          confirmLabel={t.confirm}
          color={t.color}
          pending={transition.isPending}
          error={transition.error}
          onConfirm={() =>
            transition.mutate(
              { id: user.id, action: dialog as UserTransition },
              {
                onSuccess: () => {
                  notifications.show({ color: 'green', title: 'Done', message: t.done(name) });
                  close();
                },
              },
            )
          }
        >
          <ConfirmText action={dialog as UserTransition} name={name} email={user.email} roles={user.roles} />
        </ConfirmDialog>
      )}
      <EnrollmentLinkModal user={user} opened={dialog === 'link'} onClose={close} />
      <OffboardModal user={user} opened={dialog === 'offboard'} onClose={close} />
      <ChangeRolesModal user={user} opened={dialog === 'roles'} onClose={close} />
      <RequestGrantModal user={user} opened={dialog === 'grant'} onClose={close} />
    </Card>
  );
}

function ConfirmText({
  action,
  name,
  email,
  roles,
}: {
  action: UserTransition;
  name: string;
  email: string;
  roles: string[];
}) {
  const who = (
    <>
      <strong>{name}</strong> ({email})
    </>
  );
  switch (action) {
    case 'approve':
      return (
        <Text size="sm">
          {who} will be able to enrol and then sign in with the roles <strong>{roles.join(', ') || 'none'}</strong>. You
          are recorded as the approver.
        </Text>
      );
    case 'reject':
      return <Text size="sm">The account of {who} is disabled for good; create a new one if this was a mistake.</Text>;
    case 'lock':
      return (
        <Text size="sm">
          {who} is signed out everywhere at once and cannot sign in until someone unlocks the account.
        </Text>
      );
    case 'unlock':
      return <Text size="sm">{who} can sign in again; failed sign-in counters are reset.</Text>;
  }
}
