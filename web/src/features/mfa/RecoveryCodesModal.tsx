import { Alert, Box, Button, Checkbox, CopyButton, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle, IconCheck, IconCopy } from '../../components/icons.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { useMe } from '../auth/auth.api.ts';
import { StepUpPanel } from '../elevation/StepUpPanel.tsx';
import { isStepUpCancelled, useStepUpRetry } from '../elevation/use-step-up-retry.ts';
import { useGenerateRecoveryCodes } from './mfa.api.ts';
import { IconDownload } from './mfa-icons.tsx';

function codesAsText(codes: readonly string[], email: string | undefined, at: Date): string {
  return [
    'Strongroom recovery codes',
    email ? `Account: ${email}` : null,
    `Generated: ${formatDateTime(at)}`,
    '',
    'Each code signs you in once, instead of your authenticator app or passkey.',
    'Keep this file offline (printed, or in a password manager). Anyone with a code and your',
    'password can sign in as you. Generating a new set makes all of these stop working.',
    '',
    ...codes,
    '',
  ]
    .filter((line) => line !== null)
    .join('\n');
}

/** A text file, made in the browser: the codes never travel again. */
function download(text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'strongroom-recovery-codes.txt';
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * "Generate recovery codes": first a confirmation that a new set replaces the old one, then the 10 codes,
 * shown once, with copy and download; the dialog stays until the person says they stored them.
 */
export function RecoveryCodesModal({
  opened,
  onClose,
  remaining,
}: {
  opened: boolean;
  onClose: () => void;
  /** Unused codes of the current set (0 when there is none). */
  remaining: number;
}) {
  const { data: me } = useMe();
  const generate = useGenerateRecoveryCodes();
  const stepUp = useStepUpRetry();
  const [codes, setCodes] = useState<{ list: string[]; at: Date } | null>(null);
  const [stored, setStored] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  useResetOnOpen(opened, () => {
    setCodes(null);
    setStored(false);
    setProblem(null);
  });

  const close = () => {
    stepUp.cancel();
    // The codes leave memory with the dialog.
    setCodes(null);
    onClose();
  };

  const create = async () => {
    setProblem(null);
    try {
      const answer = await stepUp.run(() => generate.mutateAsync());
      setCodes({ list: answer.codes, at: new Date() });
    } catch (error) {
      if (!isStepUpCancelled(error)) setProblem(error);
    }
  };

  const showing = codes !== null;
  const text = codes ? codesAsText(codes.list, me?.user.email, codes.at) : '';

  return (
    <Modal
      opened={opened}
      onClose={showing || generate.isPending ? () => {} : close}
      closeOnClickOutside={!showing}
      closeOnEscape={!showing}
      withCloseButton={!showing}
      title={showing ? 'Your new recovery codes' : 'Generate recovery codes'}
      size="lg"
    >
      {stepUp.prompt ? (
        <StepUpPanel reason="Generating recovery codes needs a fresh confirmation." {...stepUp.prompt} />
      ) : codes ? (
        <Stack gap="md">
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle />}
            title="Save these codes now: they are shown only once"
            role="alert"
          >
            Store them offline, printed or in a password manager, not beside your password. Each code signs you in once
            when your authenticator app or passkey is not at hand. Anyone with a code and your password can sign in as
            you.
          </Alert>
          <Box
            component="ol"
            p="md"
            m={0}
            data-testid="recovery-codes"
            aria-label="Recovery codes"
            style={{
              listStyle: 'none',
              border: '1px solid var(--mantine-color-default-border)',
              borderRadius: 'var(--mantine-radius-md)',
            }}
          >
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" verticalSpacing={6}>
              {codes.list.map((c, i) => (
                <Text
                  component="li"
                  key={c}
                  ff="monospace"
                  fz="md"
                  style={{ letterSpacing: '0.06em', fontVariantNumeric: 'tabular-nums' }}
                >
                  <Text component="span" c="dimmed" fz="sm" mr="xs" aria-hidden="true">
                    {String(i + 1).padStart(2, '\u2007')}.
                  </Text>
                  {c}
                </Text>
              ))}
            </SimpleGrid>
          </Box>
          <Group gap="xs">
            <CopyButton value={codes.list.join('\n')}>
              {({ copied, copy }) => (
                <Button
                  variant="default"
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy codes'}
                </Button>
              )}
            </CopyButton>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              onClick={() => {
                download(text);
                notifications.show({ title: 'Downloaded', message: 'strongroom-recovery-codes.txt' });
              }}
            >
              Download as text
            </Button>
          </Group>
          <Checkbox
            label="I have stored these codes somewhere safe"
            checked={stored}
            onChange={(e) => setStored(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button onClick={close} disabled={!stored}>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
          noValidate
        >
          <Stack gap="md">
            <Text size="sm">
              Recovery codes are your way back in when your phone or passkey is lost: 10 codes, each usable once in
              place of your second factor.
            </Text>
            {remaining > 0 ? (
              <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="This replaces your current set">
                Your {remaining} unused {remaining === 1 ? 'code stops' : 'codes stop'} working at once. Only the new
                codes will be accepted.
              </Alert>
            ) : (
              <Text size="sm">
                A new set replaces any earlier one. The codes are shown once, right after this step.
              </Text>
            )}
            {problem != null && <ErrorAlert error={problem} title="No codes were generated" />}
            <DialogFormActions
              submitLabel={remaining > 0 ? 'Replace my codes' : 'Generate codes'}
              pending={generate.isPending}
              onCancel={close}
              color={remaining > 0 ? 'orange' : undefined}
            />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
