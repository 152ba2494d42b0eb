import type { MantineSpacing } from '@mantine/core';
import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert.tsx';

/** What QueryStatus reads of a TanStack query result. */
interface QueryLike {
  isPending: boolean;
  isError: boolean;
  isSuccess: boolean;
  error: unknown;
  refetch: () => unknown;
}

interface QueryStatusProps {
  query: QueryLike;
  /** The spinner's accessible name, e.g. "Loading webhooks". */
  loadingLabel: string;
  /** The error's title, e.g. "Could not load the webhooks"; the alert offers to try again. */
  errorTitle: string;
  /** Space above and below the spinner. */
  loaderPy?: MantineSpacing;
  /** Whether the loaded list holds nothing; `emptyState` then shows. */
  isEmpty?: boolean;
  /** What to do next when there is nothing to list (an EmptyStateCard). */
  emptyState?: ReactNode;
}

/**
 * The states of a list before its table: a spinner while loading, the server's refusal with "Try again", and the
 * empty state once the list loaded empty. Renders nothing of its own around them.
 */
export function QueryStatus({
  query,
  loadingLabel,
  errorTitle,
  loaderPy = 'xl',
  isEmpty = false,
  emptyState,
}: QueryStatusProps) {
  return (
    <>
      {query.isPending && (
        <Center py={loaderPy}>
          <Loader aria-label={loadingLabel} />
        </Center>
      )}
      {query.isError && <ErrorAlert error={query.error} title={errorTitle} onRetry={() => query.refetch()} />}
      {query.isSuccess && isEmpty && emptyState}
    </>
  );
}
