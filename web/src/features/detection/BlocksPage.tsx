import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Alert as MantineAlert,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { ConfirmItemDialog } from '../../components/ConfirmItemDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconInfo, IconLock } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { formatDateTime, shortId } from '../../lib/format.ts';
import { PrivilegedRowAction } from '../elevation/PrivilegedButton.tsx';
import { AccountLink, displayName, RoleBadges } from '../users/user-display.tsx';
import type { Alert, BlockedIp } from './detection.api.ts';
import { useAlerts, useBlockedIps, useLiftBlock, useLockedUsers, useRules } from './detection.api.ts';
import { ruleTitle } from './detection-display.tsx';
import { IconBan } from './detection-icons.tsx';

/** How long the n-th block of one address lasts (NET-02): 1 h, 4 h, 24 h, then 7 days. */
const levelLength = ['1 h', '4 h', '24 h', '7 days'];
const lengthOf = (level: number) => levelLength[Math.min(level, levelLength.length) - 1] ?? `level ${level}`;

type BlockState = 'active' | 'lifted' | 'expired';
const stateOf = (b: BlockedIp, now = Date.now()): BlockState =>
  b.active ? 'active' : Date.parse(b.expiresAt) > now ? 'lifted' : 'expired';
const stateBadge: Record<BlockState, { label: string; color: string }> = {
  active: { label: 'Blocked', color: 'red' },
  lifted: { label: 'Lifted', color: 'gray' },
  expired: { label: 'Expired', color: 'gray' },
};

const anyAlert = { status: '', severity: '', rule: '' };

/** `/security/blocks`: network addresses the rules blocked, and accounts that are locked. */
export function BlocksPage() {
  return (
    <Stack gap="xl">
      <title>Blocks and locks · Strongroom</title>
      <PageHeader
        title="Blocked addresses and locked accounts"
        description="What the responses shut out. Lift a block here; unlock an account on its page once you know why it was locked."
      />
      <BlockedAddresses />
      <LockedAccounts />
    </Stack>
  );
}

function BlockedAddresses() {
  const blocks = useBlockedIps();
  const rules = useRules();
  const lift = useLiftBlock();
  const [show, setShow] = useState<'active' | 'all'>('active');
  const [lifting, setLifting] = useState<BlockedIp | null>(null);
  const all = blocks.data?.items ?? [];
  const items = show === 'active' ? all.filter((b) => b.active) : all;
  const activeCount = all.filter((b) => b.active).length;

  return (
    <Stack gap="sm" component="section" aria-labelledby="blocks-heading">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3} id="blocks-heading">
            Blocked addresses
          </Title>
          <Text size="sm" c="dimmed">
            Every request from a blocked address is refused. A repeat offender is blocked longer each time: 1 h, 4 h, 24
            h, then 7 days. Addresses are shown as the audit log’s keyed hash.
          </Text>
        </div>
        <SegmentedControl
          aria-label="Which blocks to show"
          value={show}
          onChange={(v) => setShow(v as 'active' | 'all')}
          data={[
            { value: 'active', label: `In force (${activeCount})` },
            { value: 'all', label: `All, with lifted and expired (${all.length})` },
          ]}
        />
      </Group>
      <QueryStatus
        query={blocks}
        loadingLabel="Loading blocked addresses"
        errorTitle="Could not load the blocked addresses"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconBan size={28} />}
            title={show === 'active' ? 'No address is blocked now' : 'No address has been blocked'}
            description={
              show === 'active' && all.length > 0
                ? 'Earlier blocks have expired or were lifted; show all to see them.'
                : 'Rules with the “Block address” response (refused calls, password spraying, canaries) block an address when they fire.'
            }
            action={
              show === 'active' && all.length > 0 ? (
                <Button variant="default" onClick={() => setShow('all')}>
                  Show all blocks
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
        <ListTable
          minWidth={900}
          striped
          data-testid="blocks-table"
          caption="Blocked addresses, newest first"
          columns={['Address (keyed hash)', 'State', 'Rule', 'Level', 'Blocked', 'Expires', 'Action']}
        >
          {items.map((b) => {
            const state = stateOf(b);
            return (
              <Table.Tr key={b.id} data-block-id={b.id} data-state={state}>
                <Table.Td>
                  <Tooltip label={b.ipHash}>
                    <Code tabIndex={0}>{shortId(b.ipHash)}</Code>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Badge color={stateBadge[state].color} variant="light" tt="none" miw="max-content">
                    {stateBadge[state].label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{ruleTitle(rules.data?.items, b.rule) ?? b.rule}</Text>
                  <Code fz="xs">{b.rule}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {b.level} · {lengthOf(b.level)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <DateTimeText value={b.createdAt} />
                </Table.Td>
                <Table.Td>
                  <DateTimeText value={b.expiresAt} relative={state === 'active'} />
                </Table.Td>
                <Table.Td>
                  {b.active && (
                    <PrivilegedRowAction
                      permission="alerts.manage"
                      onClick={() => setLifting(b)}
                      aria-label={`Lift the block on ${shortId(b.ipHash)}`}
                    >
                      Lift block
                    </PrivilegedRowAction>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </ListTable>
      )}
      <ConfirmItemDialog
        item={lifting}
        onClose={() => setLifting(null)}
        resetOnClose
        mutation={lift}
        variables={(b) => b.id}
        done={(b) => ({
          title: 'Block lifted',
          message: `Requests from ${shortId(b.ipHash)} are accepted again.`,
        })}
        title={`Lift the block on address ${lifting ? shortId(lifting.ipHash) : ''}?`}
        confirmLabel="Lift block"
        color="red"
      >
        <Text size="sm">
          Requests from the address <Code>{lifting?.ipHash}</Code> are accepted again at once instead of from{' '}
          {lifting && formatDateTime(lifting.expiresAt)}. It was blocked by the rule “
          {lifting && (ruleTitle(rules.data?.items, lifting.rule) ?? lifting.rule)}”. If it offends again, the next
          block lasts longer ({lifting && lengthOf(lifting.level + 1)}). The lift is recorded in the audit log.
        </Text>
      </ConfirmItemDialog>
    </Stack>
  );
}

function LockedAccounts() {
  const { holds } = useAccess();
  const users = useLockedUsers();
  const alerts = useAlerts(anyAlert);
  const items = users.data?.items ?? [];
  /** The newest alert that locked this person, if one did. */
  const lockedBy = (userId: string): Alert | undefined =>
    alerts.data?.items.find((a) => a.subject.id === userId && a.responses.includes('lock_account'));
  const rules = useRules();

  return (
    <Stack gap="sm" component="section" aria-labelledby="locked-heading">
      <div>
        <Title order={3} id="locked-heading">
          Locked accounts
        </Title>
        <Text size="sm" c="dimmed">
          Locked by a rule, by failed sign-ins, for inactivity or by an administrator. Unlocking is done on the person’s
          page, by an administrator who holds “users.manage”.
        </Text>
      </div>
      {!holds('users.read') ? (
        <MantineAlert color="blue" variant="light" icon={<IconInfo />}>
          Listing accounts needs the “users.read” permission.
        </MantineAlert>
      ) : (
        <>
          <QueryStatus
            query={users}
            loadingLabel="Loading locked accounts"
            errorTitle="Could not load the locked accounts"
            isEmpty={items.length === 0}
            emptyState={
              <EmptyStateCard
                icon={<IconLock size={28} />}
                title="No account is locked"
                description="Rules with the “Lock account” response lock the person who set them off; the account then shows here."
              />
            }
          />
          {items.length > 0 && (
            <ListTable
              minWidth={900}
              striped
              data-testid="locked-users-table"
              caption="Locked accounts"
              columns={['Person', 'Roles', 'Locked by', 'Locked until', 'Last sign-in', 'Action']}
            >
              {items.map((u) => {
                const alert = lockedBy(u.id);
                return (
                  <Table.Tr key={u.id} data-user-id={u.id} data-email={u.email}>
                    <Table.Td>
                      <AccountLink id={u.id} name={displayName(u)} email={u.email} />
                    </Table.Td>
                    <Table.Td>
                      <RoleBadges roles={u.roles} />
                    </Table.Td>
                    <Table.Td>
                      {alert ? (
                        <Anchor component={Link} to={`/alerts/${alert.id}`} size="sm">
                          {ruleTitle(rules.data?.items, alert.rule) ?? alert.rule}
                        </Anchor>
                      ) : (
                        <Text size="sm" c="dimmed">
                          Not by an alert (see the account)
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <DateTimeText value={u.lockedUntil} relative empty="Until unlocked" />
                    </Table.Td>
                    <Table.Td>
                      <DateTimeText value={u.lastLoginAt} empty="Never" />
                    </Table.Td>
                    <Table.Td>
                      <Button
                        component={Link}
                        to={`/users/${u.id}`}
                        size="compact-sm"
                        variant="subtle"
                        aria-label={`Open the account of ${displayName(u)} to unlock it`}
                      >
                        Open to unlock
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </ListTable>
          )}
        </>
      )}
    </Stack>
  );
}
