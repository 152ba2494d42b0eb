import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useCallback, useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo, IconLock } from '../../components/icons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { meQueryKey, useMe } from '../auth/auth.api.ts';
import { searchColumns } from './field-catalogue.ts';
import type { RevealPurpose } from './purposes.ts';
import { MAX_JUSTIFICATION, MIN_JUSTIFICATION, purposeLabel, revealPurposes } from './purposes.ts';
import { REVEAL_SECONDS, RevealedRecordView } from './RevealedRecordView.tsx';
import type { MaskedRecord } from './vault.api.ts';
import { useReveal, useStepUpCode } from './vault.api.ts';

interface RevealDialogProps {
  /** The masked hit to reveal; the dialog is open while it is set. */
  record: MaskedRecord | null;
  ownerName: string | undefined;
  onClose: () => void;
}

/** Refusals that asking again will not change: the dialog then offers only Close (and repeated refusals count). */
const finalCodes = new Set([
  'access.ip_not_allowed',
  'vault.quota_exceeded',
  'vault.record_not_found',
  'security.lockdown',
  'access.denied',
  'security.ip_blocked',
]);

const codeFieldId = 'reveal-step-up-code';

function refusalText(error: unknown): { title: string; message: ReactNode } | null {
  if (!isApiError(error)) return null;
  switch (error.code) {
    case 'access.ip_not_allowed':
      return {
        title: 'Not from this network',
        message:
          'Confidential data can be revealed only from an allowed network address. Connect from an allowed network (office or VPN), or ask an administrator to add this address to the IP allow-list. Do not retry from here: repeated refusals lock the account.',
      };
    case 'vault.quota_exceeded': {
      const d = (error.details ?? {}) as { window?: unknown; limit?: unknown };
      const window = typeof d.window === 'string' ? d.window : 'period';
      const limit = typeof d.limit === 'number' ? ` (${d.limit})` : '';
      return {
        title: 'Reveal quota used up',
        message: `You have revealed as many records as allowed for this ${window}${limit}. The quota guards against bulk extraction; try again later, or ask an administrator if your work needs more.`,
      };
    }
    case 'vault.record_not_found':
      return {
        title: 'This record cannot be revealed',
        message:
          'It no longer exists (it may have been deleted), or your reveal grant does not cover its data owner. Ask an owner for a grant if your work needs it.',
      };
    case 'security.lockdown':
      return {
        title: 'Strongroom is locked down',
        message: 'Confidential data is closed to everyone but incident responders until the lock-down ends.',
      };
    default:
      return null;
  }
}

/**
 * The Reveal pattern (ui.md, DAT-04): purpose and justification first, nothing fetched before; then ONE record,
 * watermarked, for 60 seconds. A stale second factor is confirmed inline (`auth.step_up_required` → code →
 * the reveal is sent again by itself). Closing, or the countdown ending, drops the record from memory.
 */
export function RevealDialog({ record, ownerName, onClose }: RevealDialogProps) {
  const opened = record !== null;
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const reveal = useReveal();
  const stepUp = useStepUpCode();
  const [purpose, setPurpose] = useState<RevealPurpose | ''>('');
  const [justification, setJustification] = useState('');
  const [touched, setTouched] = useState(false);
  const [askCode, setAskCode] = useState(false);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);

  // Everything typed or received belongs to one opening of the dialog.
  const clear = useCallback(() => {
    reveal.reset();
    stepUp.reset();
    setPurpose('');
    setJustification('');
    setTouched(false);
    setAskCode(false);
    setCode('');
    setCodeError(null);
  }, [reveal.reset, stepUp.reset]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: start clean for each record opened
  useEffect(() => clear(), [record?.id]);

  const close = useCallback(() => {
    clear();
    onClose();
  }, [clear, onClose]);

  const expire = useCallback(() => {
    close();
    notifications.show({
      id: 'reveal-expired',
      title: 'Record hidden again',
      message: `A revealed record stays on screen for ${REVEAL_SECONDS} seconds. Reveal it again if you still need it.`,
    });
  }, [close]);

  const justificationProblem =
    justification.trim().length < MIN_JUSTIFICATION
      ? `Explain why, in at least ${MIN_JUSTIFICATION} characters (stored encrypted with the reveal).`
      : null;
  const purposeProblem = purpose ? null : 'Choose why you need to see this record.';

  const send = () => {
    if (!record || !purpose) return;
    reveal.mutate(
      { id: record.id, purpose, justification: justification.trim() },
      {
        onError: (error) => {
          if (isApiError(error) && error.code === 'auth.step_up_required') {
            setAskCode(true);
            window.setTimeout(() => document.getElementById(codeFieldId)?.focus(), 0);
          }
        },
      },
    );
  };

  const submitPurpose = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (purposeProblem || justificationProblem) return;
    send();
  };

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!/^\d{6}$/.test(c)) {
      setCodeError('Enter the 6-digit code your authenticator app shows now.');
      return;
    }
    setCodeError(null);
    stepUp.mutate(c, {
      onSuccess: () => {
        setCode('');
        setAskCode(false);
        void queryClient.invalidateQueries({ queryKey: meQueryKey });
        send(); // the same purpose and justification, sent again now that the factor is fresh
      },
      onError: (error) => {
        setCode('');
        if (isApiError(error) && error.code === 'auth.mfa_invalid') {
          setCodeError('That code is not valid (or was already used). Enter the current code from your app.');
        } else {
          setCodeError(null);
        }
      },
    });
  };

  const error = reveal.error;
  const stepUpNeeded = isApiError(error) && error.code === 'auth.step_up_required';
  const refusal = refusalText(error);
  const final = isApiError(error) && finalCodes.has(error.code);
  const busy = reveal.isPending || stepUp.isPending;
  const shown = reveal.data;

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : close}
      title="Reveal one record"
      size={shown ? 'xl' : 'lg'}
      // Closing hides the data at once, without a fade that would keep it on screen.
      transitionProps={{ exitDuration: 0 }}
    >
      {shown && me ? (
        <RevealedRecordView
          record={shown}
          viewerEmail={me.user.email}
          ownerName={ownerName}
          purpose={reveal.variables?.purpose ?? ''}
          onExpire={expire}
          onClose={close}
        />
      ) : (
        <Stack gap="md">
          {record && (
            <div>
              <Text size="sm" c="dimmed">
                Record (masked)
              </Text>
              <Text size="sm" fw={600} ff="monospace" data-testid="reveal-target">
                {searchColumns
                  .map((f) => record.masked[f.name])
                  .filter(Boolean)
                  .join(' · ') || 'No searchable fields'}
              </Text>
              {ownerName && (
                <Text size="xs" c="dimmed">
                  Data owner: {ownerName}
                </Text>
              )}
            </div>
          )}
          {askCode ? (
            <Paper withBorder p="sm" data-testid="reveal-purpose-summary">
              <Text size="sm">
                <strong>Purpose:</strong> {purposeLabel(purpose)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                <strong>Justification:</strong> {justification.trim()}
              </Text>
            </Paper>
          ) : (
            <form onSubmit={submitPurpose} noValidate>
              <Stack gap="md">
                <Alert variant="light" color="blue" icon={<IconInfo />} p="sm">
                  <Text size="sm">
                    Nothing is shown until you say why. The reveal is recorded in the audit log with your purpose; the
                    justification is stored encrypted. The record stays on screen for {REVEAL_SECONDS} seconds,
                    watermarked with your email, and counts towards your reveal quota.
                  </Text>
                </Alert>
                <NativeSelect
                  label="Purpose"
                  data={[
                    { value: '', label: 'Choose a purpose…' },
                    ...revealPurposes.map((p) => ({ value: p.value, label: p.label })),
                  ]}
                  value={purpose}
                  onChange={(e) => setPurpose(e.currentTarget.value as RevealPurpose | '')}
                  description={revealPurposes.find((p) => p.value === purpose)?.description}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  error={touched ? purposeProblem : undefined}
                  disabled={busy}
                  data-autofocus
                />
                <Textarea
                  label="Justification"
                  description={`At least ${MIN_JUSTIFICATION} characters: the request, ticket or case this is for.`}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  autosize
                  minRows={3}
                  maxLength={MAX_JUSTIFICATION}
                  value={justification}
                  onChange={(e) => setJustification(e.currentTarget.value)}
                  error={touched ? justificationProblem : undefined}
                  disabled={busy}
                />
                {refusal && (
                  <Alert color="red" variant="light" title={refusal.title} icon={<IconLock />} role="alert">
                    <Text size="sm">{refusal.message}</Text>
                    {isApiError(error) && (
                      <Text size="xs" mt={6} c="dimmed" data-testid="error-request-id">
                        Code <Code>{error.code}</Code>
                        {error.requestId && (
                          <>
                            {' · '}Request id <Code>{error.requestId}</Code>
                          </>
                        )}
                      </Text>
                    )}
                  </Alert>
                )}
                {error != null && !refusal && !stepUpNeeded && (
                  <ErrorAlert error={error} title="The record could not be revealed" />
                )}
                <Group justify="flex-end">
                  <Button variant="default" onClick={close} disabled={busy}>
                    {final ? 'Close' : 'Cancel'}
                  </Button>
                  {!final && (
                    <Button type="submit" loading={reveal.isPending} leftSection={<IconLock size={16} />}>
                      Reveal record
                    </Button>
                  )}
                </Group>
              </Stack>
            </form>
          )}
          {askCode && (
            <form onSubmit={submitCode} noValidate>
              <Stack gap="sm" data-testid="reveal-step-up">
                <Text size="sm" fw={700}>
                  Confirm it is you
                </Text>
                <Text size="sm" c="dimmed">
                  Revealing needs a second factor from the last few minutes. Enter the code your authenticator app shows
                  now; the record is then revealed with the purpose above.
                </Text>
                <TextInput
                  id={codeFieldId}
                  label="Authentication code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  w={{ base: '100%', xs: 340 }}
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  error={codeError}
                  disabled={busy}
                />
                {stepUp.error != null && !codeError && (
                  <ErrorAlert error={stepUp.error} title="The code could not be checked" />
                )}
                <Group justify="flex-end">
                  <Button variant="default" onClick={close} disabled={busy}>
                    Cancel
                  </Button>
                  <Button type="submit" loading={busy} leftSection={<IconLock size={16} />}>
                    Confirm and reveal
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Stack>
      )}
    </Modal>
  );
}
