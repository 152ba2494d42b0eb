import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Input,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useId, useRef, useState } from 'react';
import { CopyField } from '../../components/CopyField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle, IconCheck } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { OwnerSelect } from '../owners/OwnerSelect.tsx';
import { ownersQueryKey, useOwnerNames } from '../owners/owners.api.ts';
import { recordFields } from './field-catalogue.ts';
import type { BulkFormat, BulkResult } from './upload.ts';
import { formatOf, uploadRecords } from './upload.ts';
import { useIngestProgress } from './vault.api.ts';
import { IconUpload } from './vault-icons.tsx';

const numberFormat = new Intl.NumberFormat();
const n = (v: number) => numberFormat.format(v);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${n(bytes)} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${units[i]}`;
}

interface Run {
  ingestId: string;
  ownerId: string;
  file: File;
  format: BulkFormat;
  ownerName: string;
}

const ndjsonExample = `{"externalRef":"crm-1042","fields":{"fullName":"Paula Lemaire","email":"paula@lumen.example","phone":"+44 20 7946 0042"}}`;
const csvExample =
  'externalRef,fullName,email,phone,company\ncrm-1042,Paula Lemaire,paula@lumen.example,+44 20 7946 0042,Lumen';

/**
 * `/records/import`: a file streamed to the bulk ingest (DAT-06: encrypted before the first write), its
 * progress polled every 500 ms, then what was accepted, the SHA-256 of the bytes received, and the refused
 * lines with their reasons (never their values).
 */
export function ImportPage() {
  const queryClient = useQueryClient();
  const fileId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);
  const [ownerId, setOwnerId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [touched, setTouched] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const ownerNames = useOwnerNames();

  const upload = useMutation({
    mutationFn: (r: Run) => {
      abort.current = new AbortController();
      return uploadRecords(r.file, {
        ownerId: r.ownerId,
        ingestId: r.ingestId,
        format: r.format,
        signal: abort.current.signal,
      });
    },
    gcTime: 0,
    onSettled: async () => {
      abort.current = null;
      await queryClient.invalidateQueries({ queryKey: ['vault', 'ingests'] });
      await queryClient.invalidateQueries({ queryKey: ownersQueryKey });
    },
  });
  const progress = useIngestProgress(run?.ingestId ?? null, upload.isPending);

  const format = file ? formatOf(file.name) : null;
  const ownerProblem = ownerId ? null : 'Choose the data owner these records come from.';
  const fileProblem = !file
    ? 'Choose a .ndjson, .jsonl or .csv file.'
    : !format
      ? 'This file type cannot be imported: use .ndjson, .jsonl (one JSON record per line) or .csv.'
      : file.size === 0
        ? 'This file is empty.'
        : null;

  const start = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (ownerProblem || fileProblem || !file || !format) return;
    const next: Run = {
      ingestId: crypto.randomUUID(),
      ownerId,
      file,
      format,
      ownerName: ownerNames.get(ownerId) ?? '',
    };
    setRun(next);
    upload.mutate(next, {
      onSuccess: (result) =>
        notifications.show({
          color: result.rejected.length ? 'orange' : 'green',
          title: 'Import finished',
          message: `${n(result.accepted)} accepted, ${n(result.rejected.length)} rejected.`,
        }),
    });
  };

  const reset = () => {
    upload.reset();
    setRun(null);
    setFile(null);
    setTouched(false);
    if (fileInput.current) fileInput.current.value = '';
  };

  const p = progress.data ?? null;
  const result: BulkResult | undefined = upload.data;
  const size = run?.file.size ?? 0;
  const received = result ? size : Math.min(p?.bytes ?? 0, size);
  const percent = size > 0 ? Math.round((received / size) * 100) : 0;
  const rejectedTotal = Math.max(p?.rejected ?? 0, result?.rejected.length ?? 0);
  const status = upload.isPending ? 'running' : result ? 'finished' : upload.isError ? 'failed' : null;

  return (
    <Stack gap="lg">
      <title>Import records · Strongroom</title>
      <PageHeader
        title="Import records"
        description="Load a file of records for one data owner. Each record is encrypted before it is stored; lines that cannot be read are listed with the reason."
      />

      {!run && (
        <Paper withBorder p="md">
          <form onSubmit={start} noValidate aria-label="Import a file">
            <Stack gap="md">
              <OwnerSelect
                value={ownerId}
                onChange={setOwnerId}
                emptyLabel="Choose a data owner…"
                description="The third party these records come from; records in the file may not name another."
                error={touched && ownerProblem ? ownerProblem : undefined}
                w={{ base: '100%', sm: 420 }}
              />
              <Input.Wrapper
                label="File"
                labelElement="label"
                id={fileId}
                description="NDJSON (.ndjson, .jsonl: one JSON object per line) or CSV with a header row. Sent as it is, streamed."
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                error={touched && fileProblem ? fileProblem : undefined}
              >
                <input
                  ref={fileInput}
                  id={fileId}
                  type="file"
                  accept=".ndjson,.jsonl,.csv,application/x-ndjson,text/csv"
                  onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
                  style={{ display: 'block', marginTop: 6, font: 'inherit', fontSize: 'var(--mantine-font-size-sm)' }}
                  aria-invalid={touched && fileProblem ? true : undefined}
                />
              </Input.Wrapper>
              {file && format && (
                <Text size="sm" c="dimmed">
                  {file.name} · {formatBytes(file.size)} · {format === 'csv' ? 'CSV' : 'NDJSON'}
                </Text>
              )}
              <Group>
                <Button type="submit" leftSection={<IconUpload size={16} />}>
                  Upload and import
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}

      {run && (
        <Paper withBorder p="md" data-testid="import-progress">
          <Stack gap="sm">
            <Group justify="space-between" align="flex-start">
              <div>
                <Title order={3} size="h4">
                  {run.file.name}
                </Title>
                <Text size="sm" c="dimmed">
                  {formatBytes(size)} · {run.format === 'csv' ? 'CSV' : 'NDJSON'}
                  {run.ownerName ? ` · for ${run.ownerName}` : ''}
                </Text>
              </div>
              {status === 'running' && (
                <Badge color="blue" variant="light" tt="none">
                  Importing
                </Badge>
              )}
              {status === 'finished' && (
                <Badge
                  color={rejectedTotal ? 'orange' : 'green'}
                  variant="light"
                  tt="none"
                  leftSection={<IconCheck size={12} />}
                >
                  {rejectedTotal ? 'Finished with rejected lines' : 'Finished'}
                </Badge>
              )}
              {status === 'failed' && (
                <Badge color="red" variant="light" tt="none">
                  Failed
                </Badge>
              )}
            </Group>
            <Progress
              value={percent}
              size="lg"
              striped={status === 'running'}
              animated={status === 'running'}
              color={status === 'failed' ? 'red' : undefined}
              aria-label={`Import progress, ${percent}% of the file received`}
            />
            <Text
              size="sm"
              aria-live="polite"
              data-testid="import-counts"
              style={{ fontVariantNumeric: 'tabular-nums' }}
            >
              {formatBytes(received)} of {formatBytes(size)} received ({percent}%) ·{' '}
              {n(result?.accepted ?? p?.accepted ?? 0)} accepted · {n(rejectedTotal)} rejected
              {p ? ` · ${n(p.lines)} lines read` : ''}
            </Text>
            {status === 'running' && (
              <Group>
                <Button variant="default" size="xs" onClick={() => abort.current?.abort()}>
                  Cancel upload
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      )}

      {upload.isError && (
        <ErrorAlert
          error={upload.error}
          title={upload.error instanceof DOMException ? 'Upload cancelled' : 'The import failed'}
          message={
            upload.error instanceof DOMException
              ? 'The upload was stopped. Records already stored in earlier batches stay; import the file again to complete it (lines with an externalRef are not duplicated).'
              : undefined
          }
        />
      )}

      {result && (
        <Stack gap="md" data-testid="import-result">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                Accepted
              </Text>
              <Text fz={28} fw={700} data-testid="import-accepted">
                {n(result.accepted)}
              </Text>
            </Paper>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                Rejected
              </Text>
              <Text
                fz={28}
                fw={700}
                c={rejectedTotal ? 'var(--mantine-color-error)' : undefined}
                data-testid="import-rejected"
              >
                {n(rejectedTotal)}
              </Text>
            </Paper>
            <Paper withBorder p="md">
              <Text size="sm" c="dimmed">
                Lines read
              </Text>
              <Text fz={28} fw={700}>
                {p ? n(p.lines) : '—'}
              </Text>
            </Paper>
          </SimpleGrid>
          <CopyField
            label="SHA-256 of the file as received"
            description="Compare it with the sender's checksum (e.g. sha256sum) to be sure the whole file arrived unchanged."
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            value={result.sha256}
            data-testid="import-sha256"
          />
          {result.rejected.length > 0 && (
            <Stack gap="xs">
              <Title order={3} size="h4">
                Rejected lines
              </Title>
              {rejectedTotal > result.rejected.length && (
                <Alert color="orange" variant="light" icon={<IconAlertTriangle />}>
                  The first {n(result.rejected.length)} of {n(rejectedTotal)} rejected lines are listed.
                </Alert>
              )}
              <Table.ScrollContainer minWidth={640}>
                <Table striped verticalSpacing={6} data-testid="import-rejected-table">
                  <caption>
                    <VisuallyHidden>Lines that were not imported, with the reason</VisuallyHidden>
                  </caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col" w={80}>
                        Line
                      </Table.Th>
                      <Table.Th scope="col" w={260}>
                        Code
                      </Table.Th>
                      <Table.Th scope="col">Message</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {result.rejected.map((r) => (
                      <Table.Tr key={`${r.line}-${r.code}`} data-line={r.line}>
                        <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{r.line}</Table.Td>
                        <Table.Td>
                          <Code>{r.code}</Code>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{r.message}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          )}
        </Stack>
      )}

      {run && !upload.isPending && (
        <Group>
          <Button variant="default" onClick={reset} leftSection={<IconUpload size={16} />}>
            Import another file
          </Button>
        </Group>
      )}

      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={3} size="h4">
            File formats
          </Title>
          <Text size="sm">
            <strong>NDJSON</strong>: one record per line, a JSON object with <Code>fields</Code> and, optionally,{' '}
            <Code>externalRef</Code> (your own id: importing the same record again does not duplicate it).
          </Text>
          <Code block>{ndjsonExample}</Code>
          <Text size="sm">
            <strong>CSV</strong>: a header row naming the fields, then one record per row.
          </Text>
          <Code block>{csvExample}</Code>
          <Text size="sm" c="dimmed">
            Fields: {recordFields.map((f) => f.name).join(', ')}. Line numbers in the report count from 1 (the CSV
            header is line 1).
          </Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
