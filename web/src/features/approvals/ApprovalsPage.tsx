import { Badge, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconCheck, IconInbox, IconX } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { PrivilegedButton } from '../elevation/PrivilegedButton.tsx';
import type { Grant } from '../grants/grants.api.ts';
import { useDecideGrant } from '../grants/grants.api.ts';
import { GrantScope } from '../users/UserGrantsCard.tsx';
import { AccountLink, displayName, PersonText, RoleBadges } from '../users/user-display.tsx';
import type { Person, UserSummary } from '../users/users.api.ts';
import { usePeople, useUserTransition } from '../users/users.api.ts';
import { useApprovals } from './approvals.api.ts';

type Decision =
  | { kind: 'user'; action: 'approve' | 'reject'; user: UserSummary }
  | { kind: 'grant'; action: 'approve' | 'reject'; grant: Grant };

/**
 * `/approvals`: what waits for this person's decision. The server leaves out what they asked for or created
 * themselves (four-eyes: IAM-07 for accounts, IAM-08 for confidential-data grants).
 */
export function ApprovalsPage() {
  const approvals = useApprovals();
  const people = usePeople();
  const { me, access } = useAccess();
  const userDecision = useUserTransition();
  const grantDecision = useDecideGrant();
  const [decision, setDecision] = useState<Decision | null>(null);
  const iAmOwner = me?.user.roles.includes('owner') ?? false;

  const users = approvals.data?.users ?? [];
  const grants = approvals.data?.grants ?? [];
  const canUsers = access('users.approve') !== 'none';
  const canGrants = access('grants.approve') !== 'none';

  const grantee = (g: Grant) => people.byId.get(g.userId);
  const granteeName = (g: Grant) => {
    const p = grantee(g);
    return p ? p.name || p.email : 'this person';
  };

  const pending = decision?.kind === 'user' ? userDecision.isPending : grantDecision.isPending;
  const error = decision?.kind === 'user' ? userDecision.error : grantDecision.error;

  const confirm = () => {
    if (!decision) return;
    const done = (message: string) => {
      notifications.show({ color: 'green', title: decision.action === 'approve' ? 'Approved' : 'Rejected', message });
      setDecision(null);
    };
    if (decision.kind === 'user') {
      const name = displayName(decision.user);
      userDecision.mutate(
        { id: decision.user.id, action: decision.action },
        {
          onSuccess: () =>
            done(
              decision.action === 'approve'
                ? `${name} is approved. Whoever created the account sends them an enrolment link.`
                : `The account of ${name} was rejected.`,
            ),
        },
      );
    } else {
      const name = granteeName(decision.grant);
      grantDecision.mutate(
        { id: decision.grant.id, decision: decision.action },
        {
          onSuccess: () =>
            done(
              decision.action === 'approve'
                ? `${name} now holds ${decision.grant.permission}.`
                : `The request for ${name} was rejected.`,
            ),
        },
      );
    }
  };

  return (
    <Stack gap="lg">
      <title>Approvals · Strongroom</title>
      <PageHeader
        title="Approvals"
        description="New accounts and confidential-data access wait here for a second person. Your own requests are never listed: someone else decides them."
      />
      <QueryStatus
        query={approvals}
        loadingLabel="Loading approvals"
        errorTitle="Could not load the approvals"
        isEmpty={users.length === 0 && grants.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconInbox size={28} />}
            title="Nothing waits for you"
            description="When another administrator creates an account or asks for confidential-data access, it appears here for you to approve or reject."
            action={
              <Button component={Link} to="/users" variant="default">
                Go to Users
              </Button>
            }
          />
        }
      />
      {approvals.isSuccess && canUsers && users.length > 0 && (
        <Card withBorder padding="lg" component="section" aria-labelledby="pending-users-heading">
          <Group gap="xs" mb="sm">
            <Title order={3} size="h4" id="pending-users-heading">
              Accounts
            </Title>
            <Badge variant="light" color="orange" circle>
              {users.length}
            </Badge>
          </Group>
          <ListTable
            minWidth={820}
            data-testid="approvals-users"
            columns={['Person', 'Roles', 'Created by', 'Created', 'Decision']}
          >
            {users.map((u) => {
              const ownerBlocked = u.roles.includes('owner') && !iAmOwner;
              const name = displayName(u);
              return (
                <Table.Tr key={u.id} data-user-id={u.id} data-email={u.email}>
                  <Table.Td>
                    <AccountLink id={u.id} name={name} email={u.email} />
                  </Table.Td>
                  <Table.Td>
                    <RoleBadges roles={u.roles} />
                  </Table.Td>
                  <Table.Td>
                    <PersonText id={u.createdBy} people={people.byId} />
                  </Table.Td>
                  <Table.Td>
                    <DateTimeText value={u.createdAt} relative />
                  </Table.Td>
                  <Table.Td>
                    {ownerBlocked ? (
                      <Text size="sm" c="dimmed">
                        Only an owner can approve an owner.
                      </Text>
                    ) : (
                      <DecisionButtons
                        permission="users.approve"
                        subject={name}
                        onApprove={() => setDecision({ kind: 'user', action: 'approve', user: u })}
                        onReject={() => setDecision({ kind: 'user', action: 'reject', user: u })}
                      />
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </ListTable>
        </Card>
      )}
      {approvals.isSuccess && canGrants && grants.length > 0 && (
        <Card withBorder padding="lg" component="section" aria-labelledby="pending-grants-heading">
          <Group gap="xs" mb="sm">
            <Title order={3} size="h4" id="pending-grants-heading">
              Confidential-data access
            </Title>
            <Badge variant="light" color="orange" circle>
              {grants.length}
            </Badge>
          </Group>
          <ListTable
            minWidth={900}
            data-testid="approvals-grants"
            columns={['For', 'Access', 'Expires', 'Requested by', 'Reason', 'Decision']}
          >
            {grants.map((g) => (
              <Table.Tr key={g.id} data-grant-id={g.id}>
                <Table.Td>
                  <GranteeCell grant={g} people={people.byId} />
                </Table.Td>
                <Table.Td>
                  <Code>{g.permission}</Code>
                  <GrantScope grant={g} />
                </Table.Td>
                <Table.Td>
                  <DateTimeText value={g.expiresAt} relative empty="No expiry" />
                </Table.Td>
                <Table.Td>
                  <PersonText id={g.requestedBy} people={people.byId} />
                  <DateTimeText value={g.requestedAt} relative />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" maw={260}>
                    {g.reason || '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {iAmOwner ? (
                    <DecisionButtons
                      permission="grants.approve"
                      subject={`${g.permission} for ${granteeName(g)}`}
                      onApprove={() => setDecision({ kind: 'grant', action: 'approve', grant: g })}
                      onReject={() => setDecision({ kind: 'grant', action: 'reject', grant: g })}
                    />
                  ) : (
                    <Text size="sm" c="dimmed">
                      Only an owner who holds this access can approve it.
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        </Card>
      )}
      <ConfirmDialog
        opened={decision !== null}
        onClose={() => setDecision(null)}
        title={decisionTitle(decision, granteeName)}
        confirmLabel={decision?.action === 'approve' ? 'Approve' : 'Reject'}
        color={decision?.action === 'reject' ? 'red' : undefined}
        pending={pending}
        error={error}
        onConfirm={confirm}
      >
        <DecisionText decision={decision} granteeName={granteeName} />
      </ConfirmDialog>
    </Stack>
  );
}

function GranteeCell({ grant, people }: { grant: Grant; people: ReadonlyMap<string, Person> }) {
  const p = people.get(grant.userId);
  return <AccountLink id={grant.userId} name={p ? p.name || p.email : 'Open the account'} email={p?.email} />;
}

function DecisionButtons({
  permission,
  subject,
  onApprove,
  onReject,
}: {
  permission: string;
  subject: string;
  onApprove: () => void;
  onReject: () => void;
}) {
  return (
    <Group gap="xs" wrap="nowrap">
      <PrivilegedButton
        permission={permission}
        size="xs"
        leftSection={<IconCheck size={14} />}
        onClick={onApprove}
        aria-label={`Approve ${subject}`}
        elevationHint="Approving is a privileged action: elevate first, then approve."
      >
        Approve
      </PrivilegedButton>
      <PrivilegedButton
        permission={permission}
        size="xs"
        variant="default"
        leftSection={<IconX size={14} />}
        onClick={onReject}
        aria-label={`Reject ${subject}`}
        elevationHint="Rejecting is a privileged action: elevate first, then reject."
      >
        Reject
      </PrivilegedButton>
    </Group>
  );
}

function decisionTitle(decision: Decision | null, granteeName: (g: Grant) => string): string {
  if (!decision) return '';
  const verb = decision.action === 'approve' ? 'Approve' : 'Reject';
  if (decision.kind === 'user') return `${verb} the account of ${displayName(decision.user)}?`;
  return `${verb} ${decision.grant.permission} for ${granteeName(decision.grant)}?`;
}

function DecisionText({ decision, granteeName }: { decision: Decision | null; granteeName: (g: Grant) => string }) {
  if (!decision) return null;
  if (decision.kind === 'user') {
    const u = decision.user;
    return decision.action === 'approve' ? (
      <Text size="sm">
        <strong>{displayName(u)}</strong> ({u.email}) will be able to enrol and sign in with the roles{' '}
        <strong>{u.roles.join(', ') || 'none'}</strong>. You are recorded as the approver.
      </Text>
    ) : (
      <Text size="sm">
        The account of <strong>{displayName(u)}</strong> ({u.email}) is disabled for good.
      </Text>
    );
  }
  const g = decision.grant;
  const scope = g.ownerIds?.length ? `${g.ownerIds.length} data owner(s)` : 'every data owner';
  return decision.action === 'approve' ? (
    <Text size="sm">
      <strong>{granteeName(g)}</strong> will be able to reveal full records of {scope}, one at a time and with a purpose
      {g.expiresAt ? `, until ${formatDateTime(g.expiresAt)}` : ', with no expiry'}. You are recorded as the second
      approver.
    </Text>
  ) : (
    <Text size="sm">
      The request for <strong>{granteeName(g)}</strong> is closed; the access is not given.
    </Text>
  );
}
