import { Alert, Button, Divider, Group, Stack, Text, TextInput } from '@mantine/core';
import type { ComponentType, ReactNode } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { IconProps } from '../../components/icons.tsx';
import { IconAlertTriangle, IconInfo } from '../../components/icons.tsx';
import { formatDateTimeParts, formatTimeLeft } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import type { MfaMethod } from './mfa.api.ts';
import { IconDeviceCode, IconFingerprint, IconListNumbers, IconMessage } from './mfa-icons.tsx';
import type { SecondFactorController } from './use-second-factor.ts';

const timeOf = (iso: string | number) => formatDateTimeParts(new Date(iso))?.time ?? String(iso);

const methodIcon: Record<MfaMethod, ComponentType<IconProps>> = {
  totp: IconDeviceCode,
  webauthn: IconFingerprint,
  sms: IconMessage,
  recovery_code: IconListNumbers,
};

/** The button that switches to a method (a passkey starts, a text is sent: the label says what happens). */
function switchLabel(m: MfaMethod, smsSent: boolean): string {
  if (m === 'totp') return 'Use your authenticator app';
  if (m === 'webauthn') return 'Use a passkey';
  if (m === 'sms') return smsSent ? 'Enter the texted code' : 'Text me a code';
  return 'Use a recovery code';
}

function CodeInput({
  sf,
  label,
  hint,
  autoFocus,
}: {
  sf: SecondFactorController;
  label: string;
  hint?: string;
  autoFocus?: boolean;
}) {
  const recovery = sf.method === 'recovery_code';
  return (
    <TextInput
      id={sf.codeFieldId}
      label={label}
      description={hint}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      value={sf.code}
      onChange={(e) => sf.setCode(e.currentTarget.value)}
      error={sf.codeError}
      inputMode={recovery ? 'text' : 'numeric'}
      autoComplete={recovery ? 'off' : 'one-time-code'}
      autoCapitalize="none"
      spellCheck={false}
      maxLength={recovery ? 40 : 6}
      placeholder={recovery ? 'xxxx-xxxx-xxxx' : undefined}
      styles={recovery ? { input: { fontFamily: 'var(--mantine-font-family-monospace)' } } : undefined}
      w={recovery ? 260 : 200}
      maw="100%"
      autoFocus={autoFocus}
    />
  );
}

/** How long until another SMS may be asked for; null when it may be now. */
function useSmsWait(retryAt: number | null): number | null {
  const now = useNow(1000, retryAt !== null && retryAt > Date.now());
  return retryAt !== null && retryAt > now ? retryAt - now : null;
}

function CurrentMethod({ sf, autoFocus }: { sf: SecondFactorController; autoFocus?: boolean }) {
  const wait = useSmsWait(sf.smsRetryAt);
  const signIn = sf.context === 'sign-in';
  switch (sf.method) {
    case 'totp':
      return (
        <Stack gap={6}>
          <Text size="sm">
            {signIn
              ? 'Open your authenticator app and enter the 6-digit code it shows for Strongroom.'
              : 'Enter the code your authenticator app shows now.'}
          </Text>
          <CodeInput sf={sf} label="Authentication code" autoFocus={autoFocus} />
        </Stack>
      );
    case 'webauthn':
      return (
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            Use a passkey saved for your account: on this device, on your phone or on a security key. Your browser asks
            you to confirm with your fingerprint, face or PIN.
          </Text>
          <Button
            leftSection={<IconFingerprint size={16} />}
            loading={sf.busy === 'passkey'}
            disabled={sf.busy !== null && sf.busy !== 'passkey'}
            onClick={() => void sf.startPasskey()}
          >
            Use a passkey
          </Button>
        </Stack>
      );
    case 'sms':
      if (!sf.smsExpiresAt) {
        return (
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              We send a 6-digit code by text message to the phone number saved for your account. It is valid for 5
              minutes.
            </Text>
            <Button
              leftSection={<IconMessage size={16} />}
              loading={sf.busy === 'sms'}
              disabled={wait !== null || (sf.busy !== null && sf.busy !== 'sms')}
              onClick={() => void sf.sendSms()}
            >
              Text me a code
            </Button>
          </Stack>
        );
      }
      return (
        <Stack gap={6}>
          <Alert color="blue" variant="light" icon={<IconInfo />} role="status" data-testid="sms-sent" py={8}>
            Code sent, expires at {timeOf(sf.smsExpiresAt)}.
          </Alert>
          <CodeInput sf={sf} label="SMS code" />
          <Group gap="xs">
            <Button
              variant="subtle"
              size="compact-sm"
              loading={sf.busy === 'sms'}
              disabled={wait !== null || (sf.busy !== null && sf.busy !== 'sms')}
              onClick={() => void sf.sendSms()}
            >
              Send a new code
            </Button>
            {wait !== null && (
              <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                possible in {formatTimeLeft(wait)}
              </Text>
            )}
          </Group>
        </Stack>
      );
    case 'recovery_code':
      return (
        <Stack gap={6}>
          <Text size="sm">
            Enter one of the recovery codes you saved when you generated them. Each code works once; the one you use
            here is spent.
          </Text>
          <CodeInput sf={sf} label="Recovery code" hint="Dashes, spaces and upper or lower case do not matter." />
        </Stack>
      );
  }
}

function Problem({ sf }: { sf: SecondFactorController }) {
  const wait = useSmsWait(sf.smsRetryAt);
  const p = sf.problem;
  if (!p) return null;
  if (p.kind === 'rate_limited') {
    return (
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle />}
        title={p.title}
        role="alert"
        data-testid="sms-rate-limited"
      >
        <Text size="sm">
          {p.message}{' '}
          {wait !== null && sf.smsRetryAt !== null
            ? `You can ask for another code in ${formatTimeLeft(wait)} (at ${timeOf(sf.smsRetryAt)}).`
            : 'You can ask for another code now.'}
        </Text>
      </Alert>
    );
  }
  if (p.error !== undefined) return <ErrorAlert error={p.error} title={p.title} message={p.message} />;
  return (
    <Alert
      color={p.kind === 'cancelled' ? 'gray' : 'red'}
      variant="light"
      icon={<IconAlertTriangle />}
      title={p.title}
      role="alert"
      data-testid="factor-problem"
    >
      <Text size="sm">{p.message}</Text>
    </Alert>
  );
}

/**
 * The inputs of one second factor and the ways to switch to the others. No `<form>` here: the host owns it
 * (the sign-in step's Verify, the elevation dialog's Elevate, the inline step-up's Confirm) and calls
 * `sf.submit()`; its buttons go in `children`, between the method and the other ways.
 */
export function SecondFactorFields({
  sf,
  autoFocus = false,
  children,
}: {
  sf: SecondFactorController;
  /** Focus the first code field when shown (not where another field comes first, as in the elevation dialog). */
  autoFocus?: boolean;
  children?: ReactNode;
}) {
  const others = sf.methods.filter((m) => m !== sf.method);
  const busy = sf.busy !== null;
  const buttons = others.map((m) => {
    const Icon = methodIcon[m];
    return (
      <Button
        key={m}
        variant="default"
        size={sf.context === 'sign-in' ? 'sm' : 'xs'}
        fullWidth={sf.context === 'sign-in'}
        leftSection={<Icon size={16} />}
        onClick={() => sf.choose(m)}
        disabled={busy}
      >
        {switchLabel(m, sf.smsExpiresAt !== null)}
      </Button>
    );
  });
  return (
    <Stack gap="md">
      <CurrentMethod sf={sf} autoFocus={autoFocus} />
      <Problem sf={sf} />
      {children}
      {others.length > 0 && (
        <Stack gap="xs" data-testid="other-factors">
          <Divider
            label={sf.context === 'sign-in' ? 'Other ways to sign in' : 'Other ways to confirm'}
            labelPosition="center"
          />
          {sf.context === 'sign-in' ? <Stack gap="xs">{buttons}</Stack> : <Group gap="xs">{buttons}</Group>}
        </Stack>
      )}
    </Stack>
  );
}
