import { Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../../app/permissions.ts';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconListCheck } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { AuditCheckpointPanel } from './AuditCheckpointPanel.tsx';
import { AuditEventDrawer } from './AuditEventDrawer.tsx';
import { AuditFiltersBar } from './AuditFiltersBar.tsx';
import { AuditTable } from './AuditTable.tsx';
import { AuditVerifyPanel } from './AuditVerifyPanel.tsx';
import type { AuditEvent } from './audit.api.ts';
import { AUDIT_EXPORT_URL, useAuditEvents } from './audit.api.ts';
import { hasAuditFilters, useAuditFilters } from './audit-filters.ts';

/**
 * `/audit`: the log newest first, filtered from the URL (action, outcome, actor, time range), paged by sequence
 * number; the integrity check, the latest signed checkpoint's fingerprint, and the bundle download.
 */
export function AuditPage() {
  const [filters, setFilters] = useAuditFilters();
  const events = useAuditEvents(filters);
  const [open, setOpen] = useState<AuditEvent | null>(null);

  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = hasAuditFilters(filters);
  const { holds } = useAccess();

  return (
    <Stack gap="lg">
      <title>Audit log · Strongroom</title>
      <PageHeader
        title="Audit log"
        description="Who did what, when, and with what outcome. Newest entries first."
        actions={
          holds('audit.export') && (
            // a plain link: the browser streams the bundle to disk with the session cookie (the export is audited)
            <Button component="a" href={AUDIT_EXPORT_URL} download variant="light" data-testid="audit-export">
              Export bundle
            </Button>
          )
        }
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <AuditVerifyPanel />
        <AuditCheckpointPanel />
      </SimpleGrid>
      <AuditFiltersBar value={filters} onChange={setFilters} />
      <QueryStatus
        query={events}
        loadingLabel="Loading audit entries"
        errorTitle="Could not load the audit log"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconListCheck size={28} />}
            title={filtered ? 'No entries match these filters' : 'The audit log is empty'}
            description={
              filtered
                ? 'Check the action name and the actor id (both must match exactly) and the time range, or clear the filters.'
                : 'Entries appear as soon as anyone signs in or changes something.'
            }
          />
        }
      />
      {items.length > 0 && <AuditTable items={items} onOpen={setOpen} />}
      {events.isSuccess && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" aria-live="polite">
            {items.length} {items.length === 1 ? 'entry' : 'entries'} shown
            {events.hasNextPage ? '; older entries exist.' : items.length > 0 ? '; this is the start of the log.' : '.'}
          </Text>
          {events.hasNextPage && (
            <Button variant="default" onClick={() => events.fetchNextPage()} loading={events.isFetchingNextPage}>
              Load older entries
            </Button>
          )}
        </Group>
      )}
      {events.isFetchNextPageError && <ErrorAlert error={events.error} title="Could not load older entries" />}
      <AuditEventDrawer event={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}
