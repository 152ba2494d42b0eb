import { ActionIcon, Button, Fieldset, Group, Modal, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconPlus, IconX } from '../../components/icons.tsx';
import { invalidFields, isApiError } from '../../lib/api-client.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { useCreateOwner } from './owners.api.ts';

interface Values {
  name: string;
  contactEmails: string[];
}

const MAX_EMAILS = 20;
// The server checks the address properly; this only catches typing slips before the round trip.
const looksLikeEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim());

/** "New data owner": a name and the addresses to notify about its data (DAT-09). */
export function CreateOwnerModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateOwner();
  const form = useForm<Values>({
    initialValues: { name: '', contactEmails: [''] },
    validate: {
      name: (v) => (v.trim() ? null : 'Name the data owner, e.g. "Lumen Retail Ltd".'),
    },
  });

  useResetOnOpen(opened, () => {
    form.reset();
    create.reset();
  });

  const emails = form.values.contactEmails;

  const submit = form.onSubmit((values) => {
    const list = values.contactEmails.map((e) => e.trim()).filter(Boolean);
    let bad = false;
    values.contactEmails.forEach((e, i) => {
      if (e.trim() && !looksLikeEmail(e)) {
        form.setFieldError(`contactEmails.${i}`, 'Enter a full email address, e.g. dpo@lumen.example.');
        bad = true;
      }
    });
    if (list.length === 0) {
      form.setFieldError('contactEmails.0', 'Give at least one address to notify about this owner’s data.');
      bad = true;
    }
    if (bad) return;
    create.mutate(
      { name: values.name.trim(), contactEmails: list },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            title: 'Data owner created',
            message: `${values.name.trim()} can now receive records.`,
          });
          onClose();
        },
        onError: (error) => {
          const fields = invalidFields(error);
          if (isApiError(error) && fields.includes('body.name')) form.setFieldError('name', error.message);
          for (const f of fields) {
            const m = /^body\.contactEmails\.(\d+)$/.exec(f);
            if (m && isApiError(error)) form.setFieldError(`contactEmails.${m[1]}`, 'The server refused this address.');
          }
        },
      },
    );
  });

  return (
    <Modal opened={opened} onClose={create.isPending ? () => {} : onClose} title="New data owner" size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The third party that records come from: a client or partner whose data Strongroom holds. Every record
            belongs to one, so that it can be told when something happens to its data.
          </Text>
          <TextInput label="Name" maxLength={200} autoComplete="off" data-autofocus {...form.getInputProps('name')} />
          <Fieldset legend="Contact emails" variant="unstyled">
            <Text size="xs" c="dimmed" mb={6}>
              Who to notify about this owner’s data (breaches, deletion confirmations). Up to {MAX_EMAILS}.
            </Text>
            <Stack gap="xs">
              {emails.map((_, i) => (
                <Group
                  // biome-ignore lint/suspicious/noArrayIndexKey: the rows are positions in the list
                  key={i}
                  gap="xs"
                  align="flex-start"
                  wrap="nowrap"
                >
                  <TextInput
                    aria-label={`Contact email ${i + 1}`}
                    placeholder="dpo@example.com"
                    type="email"
                    autoComplete="off"
                    maxLength={254}
                    style={{ flex: 1 }}
                    {...form.getInputProps(`contactEmails.${i}`)}
                  />
                  {emails.length > 1 && (
                    <Tooltip label="Remove this address">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="lg"
                        aria-label={`Remove contact email ${i + 1}`}
                        onClick={() => form.removeListItem('contactEmails', i)}
                      >
                        <IconX size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              ))}
            </Stack>
            {emails.length < MAX_EMAILS && (
              <Button
                variant="subtle"
                size="compact-sm"
                mt="xs"
                leftSection={<IconPlus size={14} />}
                onClick={() => form.insertListItem('contactEmails', '')}
              >
                Add another email
              </Button>
            )}
          </Fieldset>
          {create.error != null && <ErrorAlert error={create.error} title="Could not create the data owner" />}
          <DialogFormActions submitLabel="Create data owner" pending={create.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
