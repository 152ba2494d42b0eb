import { ActionIcon, Button, Group, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import { IconLogout, IconShield } from '../components/icons.tsx';
import { useLogout, useMe } from '../features/auth/auth.api.ts';
import { ElevationControl } from '../features/elevation/ElevationControl.tsx';
import { isApiError } from '../lib/api-client.ts';
import { ColorSchemeToggle } from './ColorSchemeToggle.tsx';

export function AppHeader() {
  const { data: me } = useMe();
  const logout = useLogout();
  const navigate = useNavigate();

  const signOut = () =>
    logout.mutate(undefined, {
      onSuccess: () => navigate('/login', { replace: true }),
      onError: (error) => {
        if (isApiError(error) && error.status === 401) {
          navigate('/login', { replace: true });
          return;
        }
        // The session may still be live: say so instead of pretending the sign-out worked.
        notifications.show({
          color: 'red',
          title: 'Sign-out failed; you are still signed in',
          message:
            isApiError(error) && error.requestId ? `${error.message} (request id ${error.requestId})` : String(error),
        });
      },
    });

  return (
    <Group justify="space-between" wrap="nowrap" style={{ flex: 1 }}>
      <Group gap={8} wrap="nowrap" miw={0}>
        <IconShield size={24} color="var(--mantine-primary-color-filled)" />
        {/* On a phone the shield stands for the name, leaving room for the controls on the right. */}
        <Title order={1} fz={{ base: 'lg', sm: 'xl' }} visibleFrom="xs">
          Strongroom
        </Title>
        <VisuallyHidden hiddenFrom="xs">
          <Title order={1}>Strongroom</Title>
        </VisuallyHidden>
      </Group>
      <Group gap="xs" wrap="nowrap">
        <ElevationControl />
        {me && (
          <Text size="sm" visibleFrom="md" data-testid="signed-in-email">
            <VisuallyHidden>Signed in as </VisuallyHidden>
            {me.user.email}
          </Text>
        )}
        <ColorSchemeToggle />
        <Button
          variant="default"
          leftSection={<IconLogout size={16} />}
          px={{ base: 'xs', sm: 'md' }}
          onClick={signOut}
          loading={logout.isPending}
          visibleFrom="xs"
        >
          Sign out
        </Button>
        <Tooltip label="Sign out">
          <ActionIcon
            variant="default"
            size="lg"
            onClick={signOut}
            loading={logout.isPending}
            hiddenFrom="xs"
            aria-label="Sign out"
          >
            <IconLogout size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Group>
  );
}
