import { Anchor, Badge, Card, Code, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { ConfirmItemDialog } from '../../components/ConfirmItemDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PrivilegedRowAction } from '../elevation/PrivilegedButton.tsx';
import type { Grant } from '../grants/grants.api.ts';
import { grantStatusLabel, useDecideGrant } from '../grants/grants.api.ts';
import { PersonText } from './user-display.tsx';
import type { Person } from './users.api.ts';

export function GrantScope({ grant }: { grant: Pick<Grant, 'ownerIds'> }) {
  if (!grant.ownerIds || grant.ownerIds.length === 0) return <Text size="sm">Every data owner</Text>;
  return (
    <Text size="sm" title={grant.ownerIds.join('\n')}>
      {grant.ownerIds.length === 1 ? '1 data owner' : `${grant.ownerIds.length} data owners`}
    </Text>
  );
}

export function GrantStatusBadge({ status }: { status: string }) {
  const info = grantStatusLabel[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={info.color} variant="light" tt="none" miw="max-content">
      {info.label}
    </Badge>
  );
}

/** Confidential-data grants of one person: status, scope, expiry, who asked and who decided (IAM-08, IAM-12). */
export function UserGrantsCard({
  grants,
  people,
  name,
}: {
  grants: Grant[];
  people: ReadonlyMap<string, Person>;
  name: string;
}) {
  const { holds } = useAccess();
  const decide = useDecideGrant();
  const [revoking, setRevoking] = useState<Grant | null>(null);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="grants-heading">
      <Title order={3} size="h4" id="grants-heading" mb="sm">
        Confidential-data access
      </Title>
      {grants.length === 0 ? (
        <Text size="sm" c="dimmed">
          No grants. An owner can request confidential-data access for this person above; a second owner approves it.
        </Text>
      ) : (
        <ListTable
          minWidth={900}
          data-testid="user-grants"
          columns={[
            'Permission',
            'Status',
            'Scope',
            'Expires',
            'Requested by',
            'Decided by',
            'Last used',
            { label: 'Actions', hidden: true },
          ]}
        >
          {grants.map((g) => (
            <Table.Tr key={g.id} data-grant-id={g.id} data-status={g.status}>
              <Table.Td>
                <Code>{g.permission}</Code>
                {g.reason && (
                  <Text size="xs" c="dimmed" mt={2} maw={260}>
                    “{g.reason}”
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <GrantStatusBadge status={g.status} />
              </Table.Td>
              <Table.Td>
                <GrantScope grant={g} />
              </Table.Td>
              <Table.Td>
                <DateTimeText value={g.expiresAt} relative empty="No expiry" />
              </Table.Td>
              <Table.Td>
                <PersonText id={g.requestedBy} people={people} />
                <DateTimeText value={g.requestedAt} />
              </Table.Td>
              <Table.Td>
                {g.decidedBy ? (
                  <>
                    <PersonText id={g.decidedBy} people={people} />
                    <DateTimeText value={g.revokedAt ?? g.decidedAt} />
                  </>
                ) : g.status === 'pending_approval' ? (
                  holds('grants.approve') ? (
                    <Anchor component={Link} to="/approvals" size="sm">
                      Waiting in Approvals
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Waiting for a second owner
                    </Text>
                  )
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <DateTimeText value={g.lastUsedAt} empty="Never" />
              </Table.Td>
              <Table.Td>
                {g.status === 'active' && (
                  <PrivilegedRowAction
                    permission="grants.approve"
                    onClick={() => setRevoking(g)}
                    aria-label={`Revoke ${g.permission} of ${name}`}
                    elevationHint="Revoking a grant is a privileged action: elevate first."
                  >
                    Revoke
                  </PrivilegedRowAction>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      <ConfirmItemDialog
        item={revoking}
        onClose={() => setRevoking(null)}
        mutation={decide}
        variables={(g) => ({ id: g.id, decision: 'revoke' as const })}
        done={() => ({ title: 'Access revoked', message: `${name} can no longer reveal records through this grant.` })}
        title={`Revoke ${revoking?.permission ?? ''} of ${name}?`}
        confirmLabel="Revoke access"
        color="red"
      >
        <Text size="sm">
          {name} loses this access at once. To give it again, a new request and a second owner’s approval are needed.
        </Text>
      </ConfirmItemDialog>
    </Card>
  );
}
