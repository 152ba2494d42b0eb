import { Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { useAccess } from '../../app/permissions.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconBolt, IconKey } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { openElevationDialog } from '../elevation/elevation-store.ts';
import { PrivilegedButton } from '../elevation/PrivilegedButton.tsx';
import { IconRefresh } from '../vault/vault-icons.tsx';
import { useKeyStatus, useRotateRootKey } from './keys.api.ts';

const providerText: Record<string, string> = {
  file: 'Root keys are files in the server’s data directory (mode 0600).',
  env: 'The root key comes from the STRONGROOM_ROOT_KEY environment variable; it cannot be rotated here.',
};

const ELEVATION_HINT = 'Key management is a privileged action: elevate first.';

/**
 * `/settings/keys` (`keys.manage`, privileged; DAT-02): the root key's version and provider, the versions
 * still holding data keys, and the rotation, polled every 2 s while it runs.
 */
export function KeysPage() {
  const { access } = useAccess();
  const held = access('keys.manage');
  const status = useKeyStatus(held === 'granted');
  const rotate = useRotateRootKey();
  const [confirming, setConfirming] = useState(false);

  const s = status.data;
  const running = s?.rotation.state === 'running';

  // Say when a rotation this page watched has finished.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (!s) return;
    if (wasRunning.current && !running) {
      notifications.show({
        color: 'green',
        title: 'Root-key rotation finished',
        message: `Every data key is now wrapped by root key version ${s.rootKeyVersion}; older versions are retired.`,
      });
    }
    wasRunning.current = running;
  }, [s, running]);

  if (held === 'dormant') {
    return (
      <Stack gap="lg">
        <title>Root key · Strongroom</title>
        <PageHeader title="Root key" description="The key that wraps every record’s data key." />
        <EmptyStateCard
          icon={<IconKey size={28} />}
          title="Key management needs elevation"
          description="Reading the key status and rotating the root key are privileged actions, asleep until you elevate your session for a short window."
          action={
            <Button leftSection={<IconBolt size={16} />} onClick={() => openElevationDialog(ELEVATION_HINT)}>
              Elevate
            </Button>
          }
        />
      </Stack>
    );
  }

  const percent = s && s.rotation.total > 0 ? Math.round((s.rotation.done / s.rotation.total) * 100) : 0;
  const next = s ? s.rootKeyVersion + (running ? 0 : 1) : undefined;

  return (
    <Stack gap="lg">
      <title>Root key · Strongroom</title>
      <PageHeader
        title="Root key"
        description="Every record has its own data key; the root key wraps them all. Rotating it re-wraps every data key under a new version and destroys the old one."
        actions={
          <PrivilegedButton
            permission="keys.manage"
            leftSection={<IconRefresh size={16} />}
            onClick={() => {
              rotate.reset();
              setConfirming(true);
            }}
            disabled={!s || running}
            elevationHint={ELEVATION_HINT}
          >
            Rotate root key
          </PrivilegedButton>
        }
      />
      <QueryStatus query={status} loadingLabel="Loading the key status" errorTitle="Could not read the key status" />
      {s && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                Current root-key version
              </Text>
              <Text fz={28} fw={700} data-testid="root-key-version">
                v{s.rootKeyVersion}
              </Text>
            </Paper>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                Provider
              </Text>
              <Text fz={28} fw={700} data-testid="key-provider">
                {s.provider}
              </Text>
              {providerText[s.provider] && (
                <Text size="xs" c="dimmed">
                  {providerText[s.provider]}
                </Text>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                Versions in use
              </Text>
              <Group gap={6} mt={8} data-testid="key-versions">
                {s.versionsInUse.map((v) => (
                  <Badge key={v} variant={v === s.rootKeyVersion ? 'filled' : 'light'} tt="none" size="lg">
                    v{v}
                    {v === s.rootKeyVersion ? ' (current)' : ''}
                  </Badge>
                ))}
              </Group>
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md" data-testid="key-rotation">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={3} size="h4">
                  Rotation
                </Title>
                {running ? (
                  <Badge color="blue" variant="light" tt="none">
                    Running
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light" tt="none">
                    Idle
                  </Badge>
                )}
              </Group>
              {running ? (
                <>
                  <Progress value={percent} size="lg" striped animated aria-label={`Rotation progress, ${percent}%`} />
                  <Text size="sm" aria-live="polite" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {s.rotation.done.toLocaleString()} of {s.rotation.total.toLocaleString()} data keys re-wrapped (
                    {percent}%). Records stay searchable and revealable meanwhile.
                  </Text>
                </>
              ) : (
                <Text size="sm">
                  No rotation is running. Rotate after a suspected key exposure, when someone who could read the key
                  leaves, or on your key-management schedule.
                </Text>
              )}
              <Text size="xs" c="dimmed">
                Checked {formatDateTime(status.dataUpdatedAt)}
                {running ? '; refreshed every 2 seconds.' : '.'}
              </Text>
            </Stack>
          </Paper>
        </>
      )}
      <ConfirmDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        title="Rotate the root key?"
        confirmLabel="Rotate root key"
        color="orange"
        pending={rotate.isPending}
        error={rotate.error}
        errorTitle="The rotation could not start"
        onConfirm={() =>
          rotate.mutate(undefined, {
            onSuccess: (r) => {
              setConfirming(false);
              notifications.show({
                title: 'Rotation started',
                message: `Data keys are being re-wrapped from v${r.fromVersion} to v${r.toVersion}.`,
              });
            },
          })
        }
      >
        <Stack gap="xs">
          <Text size="sm">
            A new root-key version{next ? ` (v${next})` : ''} is created and used for new records at once. In the
            background, every record’s data key is re-wrapped under it and the search indexes rebuilt, in batches;
            records stay searchable and revealable throughout.
          </Text>
          <Text size="sm">
            When no record uses the old version any more, it is <strong>retired and destroyed</strong>. Database backups
            taken before then cannot be decrypted with this server’s keys afterwards.
          </Text>
          <Text size="sm" c="dimmed">
            The start and the end are recorded in the audit log.
          </Text>
        </Stack>
      </ConfirmDialog>
    </Stack>
  );
}
