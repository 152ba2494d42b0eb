import { Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onElevationRequired } from '../../lib/api-client.ts';
import { meQueryKey } from '../auth/auth.api.ts';
import { openElevationDialog } from './elevation-store.ts';

const NOTIFICATION_ID = 'elevation-required';

/**
 * Any call refused with 403 `access.elevation_required` offers to elevate, whichever screen made it. The
 * window may have closed behind this page's back (ended in another tab, or expired): `/me` is asked again so
 * the header and the buttons show the truth.
 */
export function ElevationRequiredWatcher() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onElevationRequired((error) => {
        void queryClient.invalidateQueries({ queryKey: meQueryKey });
        notifications.hide(NOTIFICATION_ID);
        notifications.show({
          id: NOTIFICATION_ID,
          color: 'orange',
          title: 'This needs elevation',
          autoClose: 20_000,
          message: (
            <Stack gap={6} align="flex-start">
              <Text size="sm">
                {error.message}
                {error.requestId ? ` (request id ${error.requestId})` : ''}
              </Text>
              <Button
                size="xs"
                onClick={() => {
                  notifications.hide(NOTIFICATION_ID);
                  openElevationDialog('The server asked for elevation before that action. Elevate, then try again.');
                }}
              >
                Elevate now
              </Button>
            </Stack>
          ),
        });
      }),
    [queryClient],
  );
  return null;
}
