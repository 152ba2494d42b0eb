import { Alert, Button, Center, Code, Loader, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo, IconLock } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useOwnerNames } from '../owners/owners.api.ts';
import { RecordSearchForm } from './RecordSearchForm.tsx';
import { RecordsResultsTable } from './RecordsResultsTable.tsx';
import { RevealDialog } from './RevealDialog.tsx';
import { canRevealFor, revealScope } from './reveal-scope.ts';
import type { RecordSearch } from './search-filters.ts';
import { searchHint, searchModes, termProblem, useRecordSearchParams } from './search-filters.ts';
import type { MaskedRecord } from './vault.api.ts';
import { SEARCH_LIMIT, useRecordSearch } from './vault.api.ts';
import { IconSearch, IconUpload } from './vault-icons.tsx';

/**
 * `/records`: masked search (DAT-03, DAT-04). The search is in the URL; results show masked values only and
 * never a total; each row can be revealed, one at a time, through the Reveal dialog.
 */
export function RecordsSearchPage() {
  const [params, setParams] = useRecordSearchParams();
  const { me, holds } = useAccess();
  const showOwners = holds('owners.read');
  const ownerNames = useOwnerNames(showOwners);
  const scope = revealScope(me);
  const [revealing, setRevealing] = useState<MaskedRecord | null>(null);
  const closeReveal = useCallback(() => setRevealing(null), []);

  const problem = params.term ? termProblem(params.mode, params.term) : null;
  const search: RecordSearch | null =
    params.term && !problem ? { mode: params.mode, term: params.term, ownerId: params.ownerId || undefined } : null;
  const results = useRecordSearch(search);
  const items = results.data?.items ?? [];
  const hint = isApiError(results.error) ? searchHint(results.error.code, params.mode) : null;
  const modeLabel = searchModes.find((m) => m.value === params.mode)?.label.toLowerCase() ?? 'this search';

  return (
    <Stack gap="lg">
      <title>Records · Strongroom</title>
      <PageHeader
        title="Records"
        description="Find a record by email, phone, or name. Results are masked; reveal one record at a time, with a purpose."
        actions={
          holds('records.write') ? (
            <Button component={Link} to="/records/import" variant="default" leftSection={<IconUpload size={16} />}>
              Import records
            </Button>
          ) : null
        }
      />
      <RecordSearchForm value={params} onSubmit={setParams} showOwner={showOwners} />

      {scope === 'none' && (
        <Alert variant="light" color="gray" icon={<IconLock />} title="You can search, not reveal">
          <Text size="sm">
            Revealing a record needs a “records.reveal” grant, asked for and approved by two owners. Ask an owner if
            your work requires it.
          </Text>
        </Alert>
      )}

      {!params.term && (
        <EmptyStateCard
          icon={<IconSearch size={28} />}
          title="Search for a record"
          description="Choose Email, Phone, or Name or company, type the whole email address, the whole phone number, or a word of 3+ letters from the name or company, and press Search. Partial values do not match: the search never scans the data in clear."
        />
      )}

      {problem && (
        <Alert variant="light" color="yellow" icon={<IconInfo />} title="Refine the search">
          <Text size="sm">{problem}</Text>
        </Alert>
      )}

      {results.isFetching && (
        <Center py="xl">
          <Loader aria-label="Searching" />
        </Center>
      )}

      {results.isError && hint && (
        <Alert variant="light" color="yellow" icon={<IconInfo />} title="Refine the search" role="alert">
          <Text size="sm">{hint}</Text>
          {isApiError(results.error) && (
            <Text size="xs" mt={6} c="dimmed" data-testid="error-request-id">
              Code <Code>{results.error.code}</Code>
              {results.error.requestId && (
                <>
                  {' · '}Request id <Code>{results.error.requestId}</Code>
                </>
              )}
            </Text>
          )}
        </Alert>
      )}
      {results.isError && !hint && (
        <ErrorAlert error={results.error} title="The search failed" onRetry={() => results.refetch()} />
      )}

      {results.isSuccess && !results.isFetching && items.length === 0 && (
        <EmptyStateCard
          icon={<IconSearch size={28} />}
          title="No record matches"
          description={`Nothing matches this ${modeLabel}${params.ownerId ? ' for this data owner' : ''}. The search matches whole values: check the spelling, try the whole address or number, or search another way.`}
        />
      )}

      {results.isSuccess && !results.isFetching && items.length > 0 && (
        <>
          <RecordsResultsTable
            items={items}
            ownerNames={ownerNames}
            canReveal={(ownerId) => canRevealFor(scope, ownerId)}
            onReveal={setRevealing}
          />
          <Text size="sm" c="dimmed">
            A search shows at most {SEARCH_LIMIT} records, newest first, and never how many exist in all. If the record
            you need is not here, search by its email or phone number, or choose its data owner.
          </Text>
        </>
      )}

      <RevealDialog
        record={revealing}
        ownerName={revealing ? ownerNames.get(revealing.ownerId) : undefined}
        onClose={closeReveal}
      />
    </Stack>
  );
}
