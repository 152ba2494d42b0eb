import { Alert, Code, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo } from '../../components/icons.tsx';
import { invalidFields, isApiError } from '../../lib/api-client.ts';
import { localInputToIso, localTimeZoneName, toLocalInputValue } from '../../lib/format.ts';
import { isUuid, splitList } from '../../lib/lists.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { useRequestGrant } from '../grants/grants.api.ts';
import type { UserDialogProps } from './user-display.tsx';
import { displayName } from './user-display.tsx';

interface Values {
  ownerIds: string;
  expiresAt: string;
  reason: string;
}

const MIN_REASON = 10;

/**
 * IAM-08: confidential-data access is asked by one top-level admin who holds it and takes effect only when a
 * second one approves. The reason is kept with the grant for the approver and the access review.
 */
export function RequestGrantModal({ user, opened, onClose }: UserDialogProps) {
  const request = useRequestGrant();
  const name = displayName(user);
  const form = useForm<Values>({
    initialValues: { ownerIds: '', expiresAt: '', reason: '' },
    validate: {
      ownerIds: (v) => {
        const bad = splitList(v).filter((id) => !isUuid(id));
        return bad.length ? `Not a data-owner id (UUID): ${bad.slice(0, 3).join(', ')}` : null;
      },
      expiresAt: (v) => {
        if (!v) return null;
        const iso = localInputToIso(v);
        if (!iso) return 'Enter a date and time.';
        return Date.parse(iso) > Date.now() ? null : 'Choose a time in the future, or leave it empty.';
      },
      reason: (v) =>
        v.trim().length >= MIN_REASON ? null : `Say why ${name} needs it, in at least ${MIN_REASON} characters.`,
    },
  });

  useResetOnOpen(opened, () => {
    form.reset();
    request.reset();
  });

  const submit = form.onSubmit((values) => {
    const ownerIds = [...new Set(splitList(values.ownerIds))];
    request.mutate(
      {
        userId: user.id,
        permission: 'records.reveal',
        ownerIds: ownerIds.length ? ownerIds : undefined,
        expiresAt: localInputToIso(values.expiresAt),
        reason: values.reason.trim(),
      },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            title: 'Access requested',
            message: `Another owner must approve confidential-data access for ${name} in Approvals.`,
          });
          onClose();
        },
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.code === 'grants.expiry_in_past') form.setFieldError('expiresAt', error.message);
          else if (invalidFields(error).some((f) => f.startsWith('body.ownerIds')))
            form.setFieldError('ownerIds', error.message);
        },
      },
    );
  });

  const atField =
    isApiError(request.error) &&
    (request.error.code === 'grants.expiry_in_past' ||
      invalidFields(request.error).some((f) => f.startsWith('body.ownerIds')));

  return (
    <Modal
      opened={opened}
      onClose={request.isPending ? () => {} : onClose}
      title={`Request confidential-data access for ${name}`}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Alert color="blue" variant="light" icon={<IconInfo />}>
            <Text size="sm">
              <Code>records.reveal</Code> lets {name} reveal full records, one at a time and with a stated purpose. It
              takes effect only when another owner approves it (two-person rule); both of you are named in the audit
              log.
            </Text>
          </Alert>
          <Textarea
            label="Data owners (optional)"
            description="Leave empty for every data owner, or limit the access to some: their ids (UUIDs), one per line."
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            autosize
            minRows={2}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('ownerIds')}
          />
          <TextInput
            type="datetime-local"
            label="Expires (optional)"
            description={`Your local time (${localTimeZoneName()}). Leave empty for no expiry; the quarterly access review still applies.`}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            min={toLocalInputValue(new Date())}
            w={{ base: '100%', sm: 320 }}
            {...form.getInputProps('expiresAt')}
          />
          <Textarea
            label="Reason"
            description="Shown to the approver and kept with the grant."
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            autosize
            minRows={2}
            maxLength={500}
            {...form.getInputProps('reason')}
          />
          {request.error != null && !atField && <ErrorAlert error={request.error} title="Could not request access" />}
          <DialogFormActions submitLabel="Request access" pending={request.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
