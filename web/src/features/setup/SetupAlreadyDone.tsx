import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { AuthLayout } from '../../components/AuthLayout.tsx';

export function SetupAlreadyDone() {
  return (
    <AuthLayout title="Setup is already done">
      <Text mb="md">This installation already has an administrator, so this page has nothing left to do.</Text>
      <Anchor component={Link} to="/login" fw={600}>
        Go to sign-in
      </Anchor>
    </AuthLayout>
  );
}
