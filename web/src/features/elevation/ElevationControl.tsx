import { ActionIcon, Badge, Box, Button, Group, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { IconBolt, IconX } from '../../components/icons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { formatDateTime, formatTimeLeft } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { meQueryKey, useMe } from '../auth/auth.api.ts';
import { useEndElevation } from './elevation.api.ts';
import { openElevationDialog } from './elevation-store.ts';

/**
 * Header control for people who hold privileged permissions: "Elevated · 8 min left" with a live countdown and
 * a way to end it, or an "Elevate" button while those permissions are asleep. Nothing for everyone else.
 */
export function ElevationControl() {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const end = useEndElevation();
  const elevatedUntil = me?.session.elevatedUntil ?? null;
  const until = elevatedUntil ? Date.parse(elevatedUntil) : 0;
  const now = useNow(1000, until > 0);
  const left = until - now;

  const expired = until > 0 && left <= 0;
  // When the window closes, the permissions in force change: ask the server rather than guess.
  useEffect(() => {
    if (expired) void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }, [expired, queryClient]);

  if (!me) return null;
  const dormant = me.user.dormantPermissions ?? [];

  if (until > 0 && left > 0) {
    const endIt = () =>
      end.mutate(undefined, {
        onSuccess: () =>
          notifications.show({ title: 'Elevation ended', message: 'Privileged actions are asleep again.' }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            title: 'Could not end the elevation',
            message:
              isApiError(error) && error.requestId ? `${error.message} (request id ${error.requestId})` : String(error),
          }),
      });
    return (
      <Group gap={6} wrap="nowrap">
        <Tooltip label={`Privileged actions allowed until ${formatDateTime(elevatedUntil)}`}>
          <Badge
            color="orange"
            variant="light"
            size="lg"
            tt="none"
            leftSection={<IconBolt size={14} />}
            data-testid="elevation-badge"
            style={{ fontVariantNumeric: 'tabular-nums' }}
          >
            {/* The whole phrase from "sm" up; on a phone only the time, to keep Sign out on screen. */}
            <Box component="span" visibleFrom="sm">
              Elevated · {formatTimeLeft(left)} left
            </Box>
            <Box component="span" hiddenFrom="sm">
              <VisuallyHidden>Elevated, </VisuallyHidden>
              {formatTimeLeft(left)}
              <VisuallyHidden> left</VisuallyHidden>
            </Box>
          </Badge>
        </Tooltip>
        <Button size="xs" variant="default" loading={end.isPending} onClick={endIt} visibleFrom="sm">
          End elevation
        </Button>
        <Tooltip label="End elevation">
          <ActionIcon
            variant="default"
            size="lg"
            loading={end.isPending}
            onClick={endIt}
            hiddenFrom="sm"
            aria-label="End elevation"
          >
            <IconX size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    );
  }
  if (dormant.length === 0) return null;
  return (
    <Button variant="light" size="xs" leftSection={<IconBolt size={14} />} onClick={() => openElevationDialog()}>
      Elevate
    </Button>
  );
}
