import { Alert, Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { PersonText } from '../users/user-display.tsx';
import type { Person } from '../users/users.api.ts';
import { usePeople } from '../users/users.api.ts';
import type { LockdownState } from './detection.api.ts';
import { useLockdown, useRules } from './detection.api.ts';
import { IconShieldLock } from './detection-icons.tsx';

/** A person when this viewer can name them (or it is the viewer); otherwise a neutral description. */
export function Who({
  id,
  people,
  meId,
  unknown,
}: {
  id: string | null | undefined;
  people: ReadonlyMap<string, Person>;
  meId: string | undefined;
  unknown: string;
}) {
  if (id && (people.has(id) || id === meId)) return <PersonText id={id} people={people} />;
  return <>{unknown}</>;
}

/** A person's name as plain text (for the banner, where a dimmed "(you)" would not be readable on red). */
export function nameOf(
  id: string | null | undefined,
  people: ReadonlyMap<string, Person>,
  meId: string | undefined,
  unknown: string,
): string {
  const person = id ? people.get(id) : undefined;
  const name = person ? person.name || person.email : undefined;
  if (id && id === meId) return name ? `${name} (you)` : 'you';
  return name ?? unknown;
}

/** "by Sam Security", "automatically by the rule “The audit log failed verification”"; `bare` leaves out "by". */
export function EngagedBy({
  state,
  people,
  meId,
  bare = false,
  plain = false,
}: {
  state: LockdownState;
  people: ReadonlyMap<string, Person>;
  meId: string | undefined;
  bare?: boolean;
  plain?: boolean;
}) {
  const { holds } = useAccess();
  // Rule titles only for people who may read rules: a refused call would count against them.
  const rules = useRules(holds('alerts.read'));
  if (state.engagedByRule) {
    const title = rules.data?.items.find((r) => r.id === state.engagedByRule)?.title;
    return (
      <>
        {bare ? 'The rule' : 'automatically by the rule'} “{title ?? state.engagedByRule}”
      </>
    );
  }
  return (
    <>
      {bare ? '' : 'by '}
      {plain ? (
        nameOf(state.engagedBy, people, meId, 'a security administrator')
      ) : (
        <Who id={state.engagedBy} people={people} meId={meId} unknown="a security administrator" />
      )}
    </>
  );
}

/**
 * The red banner across the top of every signed-in page while a lock-down is in force (INC-03): what is
 * closed, since when, who engaged it and who can lift it. The state is asked every 15 s.
 */
export function LockdownBanner() {
  const { me, holds } = useAccess();
  const lockdown = useLockdown(me !== undefined);
  const people = usePeople();
  const state = lockdown.data;
  if (!state?.active) return null;
  const meId = me?.user.id;
  const responder = holds('incidents.manage') && !(me?.user.roles ?? []).includes('owner');
  return (
    <Alert
      color="red.9"
      variant="filled"
      radius={0}
      icon={<IconShieldLock size={22} />}
      title="Strongroom is locked down"
      role="alert"
      data-testid="lockdown-banner"
      style={{
        position: 'sticky',
        top: 'var(--app-shell-header-offset, 0px)',
        zIndex: 3,
        margin: 'calc(var(--mantine-spacing-lg) * -1) calc(var(--mantine-spacing-lg) * -1) var(--mantine-spacing-lg)',
      }}
    >
      <Text size="sm" c="white">
        Revealing confidential records is closed to everyone except incident responders
        {responder ? ' (you are one: reveals stay open to you)' : ''}. In force since{' '}
        {state.engagedAt ? `${formatDateTime(state.engagedAt)} (${formatRelative(state.engagedAt)})` : 'now'},{' '}
        <EngagedBy state={state} people={people.byId} meId={meId} plain />.
      </Text>
      <Text size="sm" c="white" mt={4}>
        {state.liftRequestedBy ? (
          <>
            {nameOf(state.liftRequestedBy, people.byId, meId, 'An owner')} asked to lift it
            {state.liftRequestedAt ? ` at ${formatDateTime(state.liftRequestedAt)}` : ''}; a second, different owner
            must confirm.
          </>
        ) : (
          'Two owners (top-level administrators) lift it: one asks, a different one confirms.'
        )}
        {holds(['alerts.read', 'lockdown.manage']) && (
          <>
            {' '}
            <Anchor component={Link} to="/security/lockdown" c="white" fw={700} underline="always" size="sm">
              Lock-down controls
            </Anchor>
          </>
        )}
      </Text>
    </Alert>
  );
}
