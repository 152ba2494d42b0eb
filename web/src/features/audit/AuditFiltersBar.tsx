import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AuditFilters } from './audit-filters.ts';
import { auditOutcomes, knownAuditActions } from './audit-filters.ts';

interface AuditFiltersBarProps {
  value: AuditFilters;
  onChange: (next: AuditFilters) => void;
}

const outcomeOptions = [{ value: '', label: 'Any outcome' }, ...auditOutcomes.map((o) => ({ value: o, label: o }))];

/** The action is applied on submit (the server matches it exactly, so half-typed text finds nothing). */
export function AuditFiltersBar({ value, onChange }: AuditFiltersBarProps) {
  const [action, setAction] = useState(value.action);
  // Back/forward changes the URL under us: show what is actually applied.
  useEffect(() => setAction(value.action), [value.action]);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ ...value, action });
      }}
      aria-label="Audit log filters"
    >
      <Group align="flex-end" gap="sm">
        {/* Suggestions from a native datalist: one labelled input, no extra listbox for assistive tech. */}
        <TextInput
          label="Action"
          placeholder="e.g. auth.login.failed"
          list="audit-action-suggestions"
          autoComplete="off"
          spellCheck={false}
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
          w={280}
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
          w={180}
        />
        <Button type="submit" variant="default">
          Apply filters
        </Button>
        {(value.action || value.outcome) && (
          <Button variant="subtle" onClick={() => onChange({ action: '', outcome: '' })}>
            Clear filters
          </Button>
        )}
      </Group>
    </form>
  );
}
