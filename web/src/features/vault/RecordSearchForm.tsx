import { Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { OwnerSelect } from '../owners/OwnerSelect.tsx';
import type { RecordSearchParams, SearchMode } from './search-filters.ts';
import { searchModes, termProblem } from './search-filters.ts';
import { IconSearch } from './vault-icons.tsx';

interface RecordSearchFormProps {
  value: RecordSearchParams;
  onSubmit: (next: RecordSearchParams) => void;
  /** The data-owner filter needs `owners.read` (to list them). */
  showOwner: boolean;
}

/** One criterion at a time (email, phone, or name/company words), optionally within one data owner. */
export function RecordSearchForm({ value, onSubmit, showOwner }: RecordSearchFormProps) {
  const [mode, setMode] = useState<SearchMode>(value.mode);
  const [term, setTerm] = useState(value.term);
  const [ownerId, setOwnerId] = useState(value.ownerId);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // Back/forward changes the URL under us: show the search that is actually applied.
  useEffect(() => {
    setMode(value.mode);
    setTerm(value.term);
    setOwnerId(value.ownerId);
    setError(null);
  }, [value.mode, value.term, value.ownerId]);

  const spec = searchModes.find((m) => m.value === mode) ?? searchModes[0];

  return (
    <Paper withBorder p="md">
      <form
        aria-label="Search records"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const problem = termProblem(mode, term);
          setError(problem);
          if (problem) {
            input.current?.focus();
            return;
          }
          onSubmit({ mode, term: term.trim(), ownerId });
        }}
      >
        <Stack gap="sm">
          <Group gap="sm" align="center">
            <Text size="sm" fw={500} id="records-search-by">
              Search by
            </Text>
            <SegmentedControl
              aria-labelledby="records-search-by"
              data={searchModes.map((m) => ({ value: m.value, label: m.label }))}
              value={mode}
              onChange={(v) => {
                setMode(v as SearchMode);
                setTerm('');
                setError(null);
                window.setTimeout(() => input.current?.focus(), 0);
              }}
            />
          </Group>
          <Group gap="sm" align="flex-start" wrap="wrap">
            <TextInput
              ref={input}
              label={spec?.input}
              placeholder={spec?.placeholder}
              type={mode === 'email' ? 'email' : mode === 'phone' ? 'tel' : 'search'}
              inputMode={mode === 'phone' ? 'tel' : undefined}
              autoComplete="off"
              spellCheck={false}
              value={term}
              onChange={(e) => setTerm(e.currentTarget.value)}
              error={error}
              maxLength={mode === 'email' ? 254 : mode === 'phone' ? 40 : 200}
              style={{ flex: '1 1 280px' }}
              description={
                mode === 'email'
                  ? 'The whole address; case does not matter.'
                  : mode === 'phone'
                    ? 'The whole number, with or without the country code and spaces.'
                    : 'Whole words (3+ letters) from the person’s name or company; all must match.'
              }
              inputWrapperOrder={['label', 'input', 'description', 'error']}
            />
            {showOwner && (
              <OwnerSelect
                value={ownerId}
                onChange={setOwnerId}
                emptyLabel="All data owners"
                description="Optional: only this owner’s records."
                w={240}
              />
            )}
            <Button type="submit" leftSection={<IconSearch size={16} />} mt={25}>
              Search
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
