import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyStateCard } from '../components/EmptyStateCard.tsx';
import { IconInfo } from '../components/icons.tsx';

export function NotFoundPage() {
  return (
    <>
      <title>Not found · Strongroom</title>
      <EmptyStateCard
        icon={<IconInfo size={28} />}
        title="There is no page at this address"
        description="Check the link, or use the navigation to find what you need."
        action={
          <Button component={Link} to="/" variant="default">
            Go to the home page
          </Button>
        }
      />
    </>
  );
}
