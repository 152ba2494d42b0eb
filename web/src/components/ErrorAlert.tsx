import { Alert, Button, Code, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { isApiError } from '../lib/api-client.ts';
import { IconAlertTriangle } from './icons.tsx';

interface ErrorAlertProps {
  error: unknown;
  title?: string;
  /** Replaces the server's message when the screen knows a clearer one; the request id is still shown. */
  message?: ReactNode;
  onRetry?: () => void;
}

/** Nothing fails silently: the server's message and the request id support staff can look up in the logs. */
export function ErrorAlert({ error, title = 'Something went wrong', message, onRetry }: ErrorAlertProps) {
  const api = isApiError(error) ? error : undefined;
  const text = message ?? (api ? api.message : error instanceof Error ? error.message : String(error));
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle />} role="alert">
      <Text size="sm">{text}</Text>
      {api && (
        <Text size="xs" mt={6} c="dimmed" data-testid="error-request-id">
          Code <Code>{api.code}</Code>
          {api.requestId && (
            <>
              {' · '}Request id <Code>{api.requestId}</Code>
            </>
          )}
        </Text>
      )}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Alert>
  );
}

/** A short inline form of the same information, for field errors that came from the server. */
export function serverFieldError(error: unknown, fallback?: string): string | undefined {
  if (!isApiError(error)) return fallback;
  return error.requestId ? `${error.message} (request id ${error.requestId})` : error.message;
}
