import { Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AuditFilters } from './audit-filters.ts';
import {
  auditOutcomes,
  emptyAuditFilters,
  fromLocalInput,
  hasAuditFilters,
  isActorId,
  knownAuditActions,
  toLocalInput,
} from './audit-filters.ts';

interface AuditFiltersBarProps {
  value: AuditFilters;
  onChange: (next: AuditFilters) => void;
}

const outcomeOptions = [{ value: '', label: 'Any outcome' }, ...auditOutcomes.map((o) => ({ value: o, label: o }))];

/** The viewer's time zone, named next to the time inputs so nobody guesses whether they are UTC. */
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Typed filters (action, actor, time range) are applied on submit — the server matches the action and the actor
 * exactly, so half-typed text would find nothing; the outcome applies at once.
 */
export function AuditFiltersBar({ value, onChange }: AuditFiltersBarProps) {
  const [action, setAction] = useState(value.action);
  const [actor, setActor] = useState(value.actorId);
  const [from, setFrom] = useState(toLocalInput(value.from));
  const [to, setTo] = useState(toLocalInput(value.to));
  const [actorError, setActorError] = useState<string | null>(null);
  const [rangeError, setRangeError] = useState<string | null>(null);
  // Back/forward changes the URL under us: show what is actually applied.
  useEffect(() => setAction(value.action), [value.action]);
  useEffect(() => setActor(value.actorId), [value.actorId]);
  useEffect(() => setFrom(toLocalInput(value.from)), [value.from]);
  useEffect(() => setTo(toLocalInput(value.to)), [value.to]);

  const submit = () => {
    const actorId = actor.trim();
    const badActor = actorId !== '' && !isActorId(actorId);
    const fromIso = fromLocalInput(from);
    const toIso = fromLocalInput(to);
    const badRange = Boolean(fromIso && toIso && fromIso >= toIso);
    setActorError(badActor ? 'An actor id is a UUID, e.g. 3f2b8c1e-…; copy it from an entry' : null);
    setRangeError(badRange ? '“To” must be after “From”' : null);
    if (badActor || badRange) return;
    onChange({ ...value, action, actorId, from: fromIso, to: toIso });
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-label="Audit log filters"
    >
      <Stack gap="xs">
        <Group align="flex-start" gap="sm" wrap="wrap">
          {/* Suggestions from a native datalist: one labelled input, no extra listbox for assistive tech. */}
          <TextInput
            label="Action"
            placeholder="e.g. auth.login.failed"
            list="audit-action-suggestions"
            autoComplete="off"
            spellCheck={false}
            value={action}
            onChange={(e) => setAction(e.currentTarget.value)}
            w={260}
          />
          <datalist id="audit-action-suggestions">
            {knownAuditActions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          {/* A native select: keyboard, screen readers and tests all know it without a custom listbox. */}
          <NativeSelect
            label="Outcome"
            data={outcomeOptions}
            value={value.outcome}
            onChange={(e) => onChange({ ...value, outcome: e.currentTarget.value })}
            w={160}
          />
          <TextInput
            label="Actor id"
            placeholder="user or service id (UUID)"
            autoComplete="off"
            spellCheck={false}
            value={actor}
            onChange={(e) => setActor(e.currentTarget.value)}
            error={actorError}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            w={340}
          />
        </Group>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            type="datetime-local"
            label={`From (${zone})`}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            w={230}
          />
          <TextInput
            type="datetime-local"
            label={`To (${zone})`}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={rangeError}
            w={230}
          />
          <Button type="submit" variant="default">
            Apply filters
          </Button>
          {hasAuditFilters(value) && (
            <Button variant="subtle" onClick={() => onChange(emptyAuditFilters)}>
              Clear filters
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
