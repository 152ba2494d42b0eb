import { Anchor, Code, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { useRules } from './detection.api.ts';
import { detectorSummary, ResponseBadges, SeverityBadge } from './detection-display.tsx';
import { IconSliders } from './detection-icons.tsx';
import { RuleDrawer, StateBadges } from './RuleDrawer.tsx';

/** `/security/rules`: every detection rule in force; `?rule=<id>` opens one (shareable, Back closes it). */
export function RulesPage() {
  const rules = useRules();
  const [params, setParams] = useSearchParams();
  const open = params.get('rule');
  const items = rules.data?.items ?? [];
  const openRule = (id: string | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (id) p.set('rule', id);
        else p.delete('rule');
        return p;
      },
      { replace: id === null },
    );
  const off = items.filter((r) => !r.enabled || r.mode === 'monitor').length;

  return (
    <Stack gap="lg">
      <title>Detection rules · Strongroom</title>
      <PageHeader
        title="Detection rules"
        description="What is watched, when a rule fires and what it does then. Each change is stored as a new version; replay a change over the last 30 days before saving it."
      />
      <QueryStatus
        query={rules}
        loadingLabel="Loading rules"
        errorTitle="Could not load the rules"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconSliders size={28} />}
            title="No detection rules"
            description="The server answered with no rules at all, which it should never do: check its logs and version."
          />
        }
      />
      {items.length > 0 && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {items.length} rules · {items.length - off} enforced
            {off > 0 ? ` · ${off} disabled or in monitor mode` : ''}
          </Text>
          <Table.ScrollContainer minWidth={1000}>
            <Table striped highlightOnHover verticalSpacing={8} layout="fixed" data-testid="rules-table">
              <caption>
                <VisuallyHidden>Detection rules</VisuallyHidden>
              </caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w="22%">
                    Rule
                  </Table.Th>
                  <Table.Th scope="col" w="25%">
                    Detection point
                  </Table.Th>
                  <Table.Th scope="col" w="19%">
                    Fires at
                  </Table.Th>
                  <Table.Th scope="col" w="16%">
                    Responses
                  </Table.Th>
                  <Table.Th scope="col" w="8%">
                    Severity
                  </Table.Th>
                  <Table.Th scope="col" w="10%">
                    State
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <Table.Tr
                    key={r.id}
                    data-rule={r.id}
                    style={{ cursor: 'pointer' }}
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest('a, button, [tabindex]')) return;
                      openRule(r.id);
                    }}
                  >
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        fw={600}
                        ta="left"
                        onClick={() => openRule(r.id)}
                      >
                        {r.title}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        <Code fz="xs">{r.id}</Code> v{r.version}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" lineClamp={3}>
                        {r.point}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{detectorSummary(r.detector)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ResponseBadges responses={r.responses} />
                    </Table.Td>
                    <Table.Td>
                      <SeverityBadge severity={r.severity} />
                    </Table.Td>
                    <Table.Td>
                      <StateBadges enabled={r.enabled} mode={r.mode} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
      <RuleDrawer ruleId={open} onClose={() => openRule(null)} />
    </Stack>
  );
}
