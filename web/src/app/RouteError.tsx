import { Button, Container, Stack, Title } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.tsx';

/** Last line of defence for a render error: say what happened and offer a way home, never a blank page. */
export function RouteError() {
  const error = useRouteError();
  const shown = isRouteErrorResponse(error) ? new Error(`${error.status} ${error.statusText}`) : error;
  return (
    <Container size="sm" py="xl">
      <title>Error · Strongroom</title>
      <Stack>
        <Title order={1} size="h2">
          This page failed to load
        </Title>
        <ErrorAlert error={shown} title="Unexpected error" />
        <Button component={Link} to="/" variant="default" w="fit-content">
          Go to the home page
        </Button>
      </Stack>
    </Container>
  );
}
