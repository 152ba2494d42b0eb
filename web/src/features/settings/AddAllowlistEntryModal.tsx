import { Alert, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle, IconInfo } from '../../components/icons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { usePeople } from '../users/users.api.ts';
import { looksLikeCidr } from './cidr.ts';
import { useAddAllowlistEntry } from './ip-allowlist.api.ts';

interface Values {
  cidr: string;
  label: string;
  userId: string;
}

const GLOBAL = '';

export function AddAllowlistEntryModal({
  opened,
  onClose,
  usingDefaults,
}: {
  opened: boolean;
  onClose: () => void;
  usingDefaults: boolean;
}) {
  const add = useAddAllowlistEntry();
  const people = usePeople();
  const form = useForm<Values>({
    initialValues: { cidr: '', label: '', userId: GLOBAL },
    validate: {
      cidr: (v) => (looksLikeCidr(v) ? null : 'Give an IP address or a range such as 203.0.113.0/24.'),
      label: (v) => (v.trim() ? null : 'Say what this is, e.g. "Head office" or "VPN".'),
    },
  });

  useResetOnOpen(opened, () => {
    form.reset();
    add.reset();
  });

  const userOptions = [
    { value: GLOBAL, label: 'Everyone (global entry)' },
    ...people.list
      .filter((u) => u.status !== 'offboarded' && u.status !== 'disabled')
      .map((u) => ({ value: u.id, label: `${u.name || u.email} (${u.email})` })),
  ];

  const submit = form.onSubmit((values) =>
    add.mutate(
      { cidr: values.cidr.trim(), label: values.label.trim(), userId: values.userId || undefined },
      {
        onSuccess: (answer) => {
          notifications.show({ color: 'green', title: 'Entry added', message: `${answer.cidr} is on the allow-list.` });
          onClose();
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'allowlist.invalid_cidr') form.setFieldError('cidr', error.message);
        },
      },
    ),
  );

  const global = form.values.userId === GLOBAL;
  const atField = isApiError(add.error) && add.error.code === 'allowlist.invalid_cidr';

  return (
    <Modal opened={opened} onClose={add.isPending ? () => {} : onClose} title="Add an allow-list entry" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label="CIDR"
            description="An address (203.0.113.7) or a range (203.0.113.0/24, 2001:db8::/32)."
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            spellCheck={false}
            autoComplete="off"
            data-autofocus
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('cidr')}
          />
          <TextInput label="Label" maxLength={100} autoComplete="off" {...form.getInputProps('label')} />
          <Select
            label="Applies to"
            data={userOptions}
            searchable
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('userId')}
          />
          {global && usingDefaults && (
            <Alert
              color="orange"
              variant="light"
              icon={<IconAlertTriangle />}
              title="This replaces the built-in defaults"
            >
              It is the first global entry: from then on confidential data can be reached only from the global entries
              you list, not from the private ranges. Make sure your own network is included.
            </Alert>
          )}
          {!global && (
            <Alert color="blue" variant="light" icon={<IconInfo />}>
              A personal entry narrows that person’s access further: they must match the global list and one of their
              own entries.
            </Alert>
          )}
          {add.error != null && !atField && <ErrorAlert error={add.error} title="Could not add the entry" />}
          <DialogFormActions submitLabel="Add entry" pending={add.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
