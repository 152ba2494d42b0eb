import { Checkbox, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ShownOnce } from '../../components/ShownOnce.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { localInputToIso, localTimeZoneName, toLocalInputValue } from '../../lib/format.ts';
import { splitList } from '../../lib/lists.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { looksLikeCidr } from './cidr.ts';
import { serviceScopes, useCreateServiceToken } from './service-tokens.api.ts';

interface Values {
  name: string;
  scopes: string[];
  allowedCidrs: string;
  expiresAt: string;
}

/** Creates a token for an ingestion client and shows it once: the server keeps only its hash. */
export function CreateServiceTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateServiceToken();
  const form = useForm<Values>({
    initialValues: { name: '', scopes: ['records.write'], allowedCidrs: '', expiresAt: '' },
    validate: {
      name: (v) => (v.trim() ? null : 'Name the client, e.g. "CRM nightly import".'),
      scopes: (v) => (v.length ? null : 'Choose at least one scope.'),
      allowedCidrs: (v) => {
        const list = splitList(v);
        if (list.length === 0) return 'List at least one address or range the client calls from.';
        const bad = list.filter((c) => !looksLikeCidr(c));
        return bad.length ? `Not an address or CIDR: ${bad.slice(0, 3).join(', ')}` : null;
      },
      expiresAt: (v) => {
        if (!v) return null;
        const iso = localInputToIso(v);
        return iso && Date.parse(iso) > Date.now() ? null : 'Choose a time in the future, or leave it empty.';
      },
    },
  });

  useResetOnOpen(opened, () => {
    form.reset();
    create.reset();
  });

  const submit = form.onSubmit((values) =>
    create.mutate(
      {
        name: values.name.trim(),
        scopes: values.scopes,
        allowedCidrs: splitList(values.allowedCidrs),
        expiresAt: localInputToIso(values.expiresAt),
      },
      {
        onSuccess: () =>
          notifications.show({
            color: 'green',
            title: 'Service token created',
            message: 'Copy it now: it is shown once.',
          }),
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.code === 'service_tokens.invalid_cidr') form.setFieldError('allowedCidrs', error.message);
          else if (error.code === 'service_tokens.expiry_in_past') form.setFieldError('expiresAt', error.message);
        },
      },
    ),
  );

  const atField =
    isApiError(create.error) &&
    ['service_tokens.invalid_cidr', 'service_tokens.expiry_in_past'].includes(create.error.code);
  const created = create.data;

  return (
    <Modal
      opened={opened}
      onClose={create.isPending ? () => {} : onClose}
      title={created ? `Service token for ${form.values.name.trim()}` : 'Create a service token'}
      size="lg"
    >
      {created ? (
        <ShownOnce
          testId="service-token-created"
          warning={
            <>
              Store it now in the client’s secret store. Strongroom keeps only a hash: if it is lost, revoke this token
              and create a new one. Anyone holding it can add records from the allowed networks.
            </>
          }
          label="Service token"
          value={created.token}
          onDone={onClose}
        >
          The client sends it as <code>Authorization: Bearer …</code> to <code>POST /api/v1/records</code>.
        </ShownOnce>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <TextInput label="Name" maxLength={100} autoComplete="off" data-autofocus {...form.getInputProps('name')} />
            <Checkbox.Group label="Scopes" {...form.getInputProps('scopes')}>
              <Stack gap={6} mt={6}>
                {serviceScopes.map((s) => (
                  <Checkbox key={s.value} value={s.value} label={s.label} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Textarea
              label="Allowed CIDRs"
              description="Where the client calls from: one address or range per line, e.g. 10.20.0.5/32."
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              autosize
              minRows={2}
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...form.getInputProps('allowedCidrs')}
            />
            <TextInput
              type="datetime-local"
              label="Expires (optional)"
              description={`Your local time (${localTimeZoneName()}). Leave empty for a token that lasts until revoked.`}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              min={toLocalInputValue(new Date())}
              w={{ base: '100%', sm: 320 }}
              {...form.getInputProps('expiresAt')}
            />
            {create.error != null && !atField && <ErrorAlert error={create.error} title="Could not create the token" />}
            <DialogFormActions submitLabel="Create token" pending={create.isPending} onCancel={onClose} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
