import { ActionIcon, Box, Button, CopyButton, Group, Progress, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { IconCheck, IconCopy } from '../../components/icons.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { orderedFields } from './field-catalogue.ts';
import { purposeLabel } from './purposes.ts';
import type { RevealedRecord } from './vault.api.ts';
import { Watermark } from './Watermark.tsx';

/** How long a revealed record stays on screen (ui.md, Reveal). */
export const REVEAL_SECONDS = 60;

interface RevealedRecordViewProps {
  record: RevealedRecord;
  viewerEmail: string;
  ownerName: string | undefined;
  purpose: string;
  /** Called when the countdown ends, as well as by the Close button. */
  onExpire: () => void;
  onClose: () => void;
}

/**
 * ONE record in clear (DAT-04): its fields with a copy button each, a diagonal watermark (viewer + time) over
 * them, and a visible 60-second countdown after which the dialog closes and the data is dropped.
 */
export function RevealedRecordView({
  record,
  viewerEmail,
  ownerName,
  purpose,
  onExpire,
  onClose,
}: RevealedRecordViewProps) {
  const [expiresAt] = useState(() => Date.now() + REVEAL_SECONDS * 1000);
  const now = useNow(250);
  const leftMs = Math.max(0, expiresAt - now);
  const left = Math.ceil(leftMs / 1000);
  const expired = leftMs <= 0;

  useEffect(() => {
    if (expired) onExpire();
  }, [expired, onExpire]);

  const fields = orderedFields(record.fields);
  const stamp = `${viewerEmail} · ${formatDateTime(now)}`;
  const urgent = left <= 10;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center" wrap="nowrap" gap="md">
        <Text size="sm" c="dimmed">
          Revealed to <strong>{viewerEmail}</strong> for <strong>{purposeLabel(purpose)}</strong>
          {ownerName ? ` · data owner ${ownerName}` : ''}. Recorded in the audit log.
        </Text>
        <Box miw={150} style={{ flexShrink: 0 }}>
          {/* role=timer is not announced every second; the label says what the number means. */}
          <Text
            role="timer"
            aria-label={`Closes in ${left} seconds`}
            size="sm"
            fw={700}
            ta="right"
            c={urgent ? 'var(--mantine-color-error)' : undefined}
            data-testid="reveal-countdown"
            style={{ fontVariantNumeric: 'tabular-nums' }}
          >
            Closes in {left} s
          </Text>
          <Progress
            value={(leftMs / (REVEAL_SECONDS * 1000)) * 100}
            color={urgent ? 'red' : 'indigo'}
            size="sm"
            mt={4}
            aria-label="Time left before the record closes"
            transitionDuration={250}
          />
        </Box>
      </Group>

      <Box
        pos="relative"
        data-testid="revealed-record"
        style={{
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-md)',
          overflow: 'hidden',
        }}
      >
        <Table verticalSpacing={8} horizontalSpacing="md" layout="fixed">
          <caption style={{ captionSide: 'bottom', padding: '6px 12px', textAlign: 'left' }}>
            <Text size="xs" c="dimmed" component="span">
              Shown {formatDateTime(record.revealedAt)}; watermarked with your email and the time.
            </Text>
          </caption>
          <Table.Tbody>
            {fields.map(({ field, value }) => (
              <Table.Tr key={field.name} data-field={field.name}>
                <Table.Th scope="row" w={140} style={{ verticalAlign: 'top' }}>
                  <Text size="sm" c="dimmed" fw={600}>
                    {field.label}
                  </Text>
                </Table.Th>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Text
                    size="sm"
                    style={{ whiteSpace: field.multiline ? 'pre-wrap' : 'normal', overflowWrap: 'anywhere' }}
                  >
                    {value}
                  </Text>
                </Table.Td>
                <Table.Td w={52} style={{ verticalAlign: 'top' }}>
                  <CopyButton value={value}>
                    {({ copied, copy }) => (
                      <Tooltip label={copied ? 'Copied' : `Copy ${field.label.toLowerCase()}`}>
                        <ActionIcon
                          variant="subtle"
                          color={copied ? 'green' : 'gray'}
                          onClick={copy}
                          aria-label={copied ? `${field.label} copied` : `Copy ${field.label}`}
                          pos="relative"
                          style={{ zIndex: 3 }}
                        >
                          {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </CopyButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Watermark text={stamp} />
      </Box>

      <Group justify="space-between" align="center">
        <Text size="xs" c="dimmed" maw={420}>
          One record at a time: to see another, close this one and reveal it from the results, with its own purpose.
        </Text>
        <Button onClick={onClose} data-autofocus>
          Close and hide
        </Button>
      </Group>
    </Stack>
  );
}
