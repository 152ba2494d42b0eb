import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Center,
  Divider,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconPlus, IconTrash } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { AddPasskeyModal } from '../mfa/AddPasskeyModal.tsx';
import { AddPhoneModal } from '../mfa/AddPhoneModal.tsx';
import type { MfaOverview, RemovalTarget } from '../mfa/mfa.api.ts';
import { useMyMfa } from '../mfa/mfa.api.ts';
import { IconDeviceCode, IconFingerprint, IconListNumbers, IconMessage } from '../mfa/mfa-icons.tsx';
import { RecoveryCodesModal } from '../mfa/RecoveryCodesModal.tsx';
import { RemoveFactorModal } from '../mfa/RemoveFactorModal.tsx';

/** A moment as "3 minutes ago", with the exact time (zone named) on hover. */
function When({ value, empty = 'Never' }: { value: string | null; empty?: string }) {
  if (!value)
    return (
      <Text size="xs" c="dimmed" component="span">
        {empty}
      </Text>
    );
  return (
    <Tooltip label={formatDateTime(value)}>
      <Text size="xs" component="time" dateTime={value}>
        {formatRelative(value)}
      </Text>
    </Tooltip>
  );
}

function FactorSection({
  icon,
  title,
  status,
  description,
  actions,
  children,
  testId,
}: {
  icon: ReactNode;
  title: string;
  status: ReactNode;
  description: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
  testId: string;
}) {
  return (
    <Group
      gap="sm"
      wrap="nowrap"
      align="flex-start"
      py="sm"
      data-testid={testId}
      component="section"
      aria-label={title}
    >
      <ThemeIcon variant="light" size="lg" radius="md" aria-hidden="true">
        {icon}
      </ThemeIcon>
      <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
        <div>
          <Group gap={6}>
            <Text fw={600} size="sm">
              {title}
            </Text>
            {status}
          </Group>
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        </div>
        {children}
        {actions && <Group gap="xs">{actions}</Group>}
      </Stack>
    </Group>
  );
}

const on = (label: string) => (
  <Badge color="green" variant="light" tt="none" size="sm">
    {label}
  </Badge>
);
const off = (label = 'Not set up') => (
  <Badge color="gray" variant="light" tt="none" size="sm">
    {label}
  </Badge>
);

function recoveryBadge(left: number, has: boolean) {
  if (!has && left === 0) return off('None');
  const color = left === 0 ? 'red' : left <= 3 ? 'orange' : 'green';
  return (
    <Badge color={color} variant="light" tt="none" size="sm">
      {left === 0 ? 'None left' : `${left} left`}
    </Badge>
  );
}

function Overview({
  mfa,
  onAddPasskey,
  onAddPhone,
  onRecovery,
  onRemove,
}: {
  mfa: MfaOverview;
  onAddPasskey: () => void;
  onAddPhone: () => void;
  onRecovery: () => void;
  onRemove: (t: RemovalTarget) => void;
}) {
  const hasTotp = mfa.methods.includes('totp');
  const factors = (hasTotp ? 1 : 0) + mfa.passkeys.length + (mfa.sms ? 1 : 0);
  const removeButton = (label: string, target: RemovalTarget) => (
    <Button
      size="compact-sm"
      variant="subtle"
      color="red"
      onClick={() => onRemove(target)}
      aria-label={label}
      leftSection={<IconTrash size={14} />}
    >
      Remove
    </Button>
  );

  return (
    <Stack gap={0}>
      {factors < 2 && (
        <Text size="sm" c="orange.8" mb="xs" data-testid="second-factors-advice">
          You have one way to confirm it is you. Add a passkey or a phone too, so that losing one device does not lock
          you out.
        </Text>
      )}
      <FactorSection
        testId="factor-totp"
        icon={<IconDeviceCode size={18} />}
        title="Authenticator app (TOTP)"
        status={hasTotp ? on('On') : off()}
        description={
          hasTotp
            ? 'A 6-digit code from the app you set up at enrolment.'
            : 'Removed. Setting up an authenticator app again is not possible from here.'
        }
        actions={hasTotp ? removeButton('Remove the authenticator app', { method: 'totp' }) : undefined}
      />
      <Divider />
      <FactorSection
        testId="factor-webauthn"
        icon={<IconFingerprint size={18} />}
        title="Passkeys"
        status={mfa.passkeys.length > 0 ? on(String(mfa.passkeys.length)) : off('None')}
        description="Fingerprint, face or device PIN; cannot be phished."
        actions={
          <Button size="compact-sm" variant="light" leftSection={<IconPlus size={14} />} onClick={onAddPasskey}>
            Add a passkey
          </Button>
        }
      >
        {mfa.passkeys.length > 0 && (
          <ListTable
            minWidth={420}
            verticalSpacing={4}
            fz="sm"
            data-testid="passkeys"
            columns={['Name', 'Added', 'Last used', { label: 'Action', hidden: true }]}
          >
            {mfa.passkeys.map((k) => (
              <Table.Tr key={k.id} data-passkey-label={k.label}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
                      {k.label}
                    </Text>
                    {k.isBackedUp && (
                      <Tooltip label="Kept by a passkey provider, so it may be on several of your devices">
                        <Badge size="xs" variant="outline" color="gray" tt="none">
                          synced
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <When value={k.createdAt} />
                </Table.Td>
                <Table.Td>
                  <When value={k.lastUsedAt} />
                </Table.Td>
                <Table.Td ta="right">
                  <Tooltip label={`Remove ${k.label}`}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove passkey ${k.label}`}
                      onClick={() => onRemove({ method: 'webauthn', passkey: { id: k.id, label: k.label } })}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </FactorSection>
      <Divider />
      <FactorSection
        testId="factor-sms"
        icon={<IconMessage size={18} />}
        title="Text message (SMS)"
        status={mfa.sms ? on('On') : off()}
        description={
          mfa.sms ? (
            <>
              <Text component="span" ff="monospace" size="xs" data-testid="masked-phone">
                {mfa.sms.maskedPhone}
              </Text>
              {' · last used '}
              <When value={mfa.sms.lastUsedAt} empty="never" />
            </>
          ) : (
            'A code by text message. A fallback: weaker than an app or a passkey.'
          )
        }
        actions={
          <>
            <Button
              size="compact-sm"
              variant="light"
              leftSection={mfa.sms ? undefined : <IconPlus size={14} />}
              onClick={onAddPhone}
            >
              {mfa.sms ? 'Change number' : 'Add a phone'}
            </Button>
            {mfa.sms && removeButton('Remove the phone number', { method: 'sms' })}
          </>
        }
      />
      <Divider />
      <FactorSection
        testId="factor-recovery"
        icon={<IconListNumbers size={18} />}
        title="Recovery codes"
        status={recoveryBadge(mfa.recoveryCodesRemaining, mfa.methods.includes('recovery_code'))}
        description={
          mfa.recoveryCodesRemaining > 0
            ? `${mfa.recoveryCodesRemaining} unused ${mfa.recoveryCodesRemaining === 1 ? 'code' : 'codes'}, each usable once when your devices are not at hand.`
            : 'Single-use codes to keep offline, for when your devices are lost.'
        }
        actions={
          <>
            <Button size="compact-sm" variant="light" onClick={onRecovery}>
              {mfa.recoveryCodesRemaining > 0 ? 'Generate new codes' : 'Generate recovery codes'}
            </Button>
            {mfa.recoveryCodesRemaining > 0 && removeButton('Remove the recovery codes', { method: 'recovery_code' })}
          </>
        }
      />
    </Stack>
  );
}

/**
 * My second factors (IAM-03): the authenticator app, passkeys, a phone for SMS codes and recovery codes, with
 * add / remove / regenerate. Each change needs a recent second factor; the step-up appears in the dialog.
 */
export function SecondFactorsCard() {
  const mfa = useMyMfa();
  const [dialog, setDialog] = useState<'passkey' | 'phone' | 'recovery' | null>(null);
  const [removing, setRemoving] = useState<RemovalTarget | null>(null);
  const close = () => setDialog(null);

  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-labelledby="second-factors-heading"
      data-testid="second-factors"
    >
      <Title order={3} size="h4" id="second-factors-heading" mb={4}>
        Second factors
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Asked at every sign-in, and again before privileged or confidential actions. Any one of them will do.
      </Text>
      {mfa.isPending && (
        <Center py="md">
          <Loader size="sm" aria-label="Loading your second factors" />
        </Center>
      )}
      {mfa.isError && (
        <ErrorAlert error={mfa.error} title="Could not load your second factors" onRetry={() => mfa.refetch()} />
      )}
      {mfa.data && (
        <Overview
          mfa={mfa.data}
          onAddPasskey={() => setDialog('passkey')}
          onAddPhone={() => setDialog('phone')}
          onRecovery={() => setDialog('recovery')}
          onRemove={setRemoving}
        />
      )}
      <AddPasskeyModal opened={dialog === 'passkey'} onClose={close} />
      <AddPhoneModal opened={dialog === 'phone'} onClose={close} replacing={mfa.data?.sms?.maskedPhone} />
      <RecoveryCodesModal
        opened={dialog === 'recovery'}
        onClose={close}
        remaining={mfa.data?.recoveryCodesRemaining ?? 0}
      />
      <RemoveFactorModal target={removing} onClose={() => setRemoving(null)} />
    </Card>
  );
}
