import { Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useAccess } from '../../app/permissions.ts';
import { api } from '../../lib/api-client.ts';
import { RiskExplanation } from './RiskExplanation.tsx';
import type { Assessment } from './risk.api.ts';

const RISKY_ACTIONS = /^(auth\.login\.|risk\.assessed$|vault\.record\.revealed$|vault\.reveal\.refused$)/;

/**
 * The risk decision behind a sign-in or reveal entry of the audit log, explained indicator by indicator: found by
 * the entry's request id (password step, reveal) or, for a completed sign-in, by its session. Shown only to people
 * who may read risk assessments (alerts.read).
 */
export function RiskForAuditEvent({
  event,
}: {
  event: { action: string; requestId?: string | null; targetType: string | null; targetId: string | null };
}) {
  const { holds } = useAccess();
  const bySession = event.action === 'auth.login.succeeded' && event.targetType === 'session' && event.targetId;
  const query = bySession
    ? { sessionId: event.targetId ?? undefined, stage: 'login', limit: 1 }
    : { requestId: event.requestId ?? undefined, limit: 1 };
  const enabled = holds('alerts.read') && RISKY_ACTIONS.test(event.action) && Boolean(bySession || event.requestId);
  const risk = useQuery({
    queryKey: ['risk', 'for-event', query],
    queryFn: ({ signal }) => api.get<{ items: Assessment[] }>('/api/v1/risk/assessments', query, signal),
    enabled,
  });
  if (!enabled) return null;
  if (risk.isPending) return <Loader size="sm" aria-label="Loading the risk decision" />;
  const a = risk.data?.items[0];
  if (!a) return null;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Text fw={600} size="sm">
          Risk decision
        </Text>
        <Badge variant="outline" tt="none">
          IAM-14
        </Badge>
      </Group>
      <RiskExplanation a={a} />
    </Stack>
  );
}
