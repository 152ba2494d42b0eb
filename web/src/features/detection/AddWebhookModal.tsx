import { Code, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ShownOnce } from '../../components/ShownOnce.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import type { Severity } from './detection.api.ts';
import { severities, useCreateWebhook } from './detection.api.ts';
import { severityInfo } from './detection-display.tsx';

interface Values {
  name: string;
  url: string;
  minSeverity: Severity;
}

const urlCodes = ['webhooks.url_invalid', 'webhooks.https_required'];

/** The same rule as the server, so most mistakes are caught before asking it. */
function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'Give the full address, e.g. https://siem.example.com/hooks/strongroom.';
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return 'Use https:// (plain http is accepted only for a receiver on this machine).';
  if (url.username || url.password) return 'Put no credentials in the URL: the signature proves who sent it.';
  return null;
}

/** Adds a webhook and shows its signing secret once: the server keeps it sealed and never shows it again. */
export function AddWebhookModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateWebhook();
  const form = useForm<Values>({
    initialValues: { name: '', url: '', minSeverity: 'medium' },
    validate: {
      name: (v) => (v.trim() ? null : 'Name the receiver, e.g. "SIEM" or "On-call pager".'),
      url: (v) => urlProblem(v),
    },
  });

  useResetOnOpen(opened, () => {
    form.reset();
    create.reset();
  });

  const submit = form.onSubmit((values) =>
    create.mutate(
      { name: values.name.trim(), url: values.url.trim(), minSeverity: values.minSeverity },
      {
        onSuccess: () =>
          notifications.show({
            color: 'green',
            title: 'Webhook added',
            message: 'Copy its signing secret now: it is shown once.',
          }),
        onError: (error) => {
          if (isApiError(error) && urlCodes.includes(error.code)) form.setFieldError('url', error.message);
        },
      },
    ),
  );
  const atField = isApiError(create.error) && urlCodes.includes(create.error.code);
  const created = create.data;

  return (
    <Modal
      opened={opened}
      onClose={create.isPending ? () => {} : onClose}
      title={created ? `Webhook “${form.values.name.trim()}” added` : 'Add a webhook'}
      size="lg"
    >
      {created ? (
        <ShownOnce
          testId="webhook-created"
          warning={
            <>
              Put the signing secret in the receiver’s configuration now. Strongroom keeps it sealed and cannot show it
              again: if it is lost, delete this webhook and add it again.
            </>
          }
          label="Signing secret"
          value={created.secret}
          onDone={onClose}
        >
          Each alert is POSTed as JSON with the header <Code>Strongroom-Signature: t=…,v1=…</Code>: an HMAC-SHA-256 of{' '}
          <Code>t.body</Code> under this secret. Check it, and refuse old timestamps.
        </ShownOnce>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <TextInput label="Name" maxLength={80} autoComplete="off" data-autofocus {...form.getInputProps('name')} />
            <TextInput
              label="URL"
              description="An https:// endpoint of your SIEM, pager or chat tool."
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              placeholder="https://siem.example.com/hooks/strongroom"
              maxLength={2000}
              autoComplete="off"
              spellCheck={false}
              {...form.getInputProps('url')}
            />
            <NativeSelect
              label="Send alerts of severity"
              data={[...severities].map((s) => ({
                value: s,
                label: s === 'critical' ? 'Critical only' : `${severityInfo[s]?.label} and above`,
              }))}
              w={{ base: '100%', sm: 260 }}
              {...form.getInputProps('minSeverity')}
            />
            {create.error != null && !atField && <ErrorAlert error={create.error} title="Could not add the webhook" />}
            <DialogFormActions submitLabel="Add webhook" pending={create.isPending} onCancel={onClose} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
