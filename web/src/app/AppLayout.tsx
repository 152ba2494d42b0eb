import { Anchor, AppShell, Burger, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation } from 'react-router';
import { useMe } from '../features/auth/auth.api.ts';
import { AppHeader } from './AppHeader.tsx';
import { visibleNavItems } from './navigation.ts';

/** The signed-in frame: header, a navbar filtered by permission, and the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { data: me } = useMe();
  const location = useLocation();
  const items = visibleNavItems(me?.user.permissions ?? []);

  const isActive = (path: string) =>
    path === '/' ? location.pathname === '/' : location.pathname === path || location.pathname.startsWith(`${path}/`);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      {/* First focus stop for keyboard users: jump over the header and navigation. */}
      <Anchor
        href="#main"
        className="skip-link"
        onClick={(e) => {
          // Move focus without a fragment in the URL (the router would treat it as a navigation).
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to main content
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
          <AppHeader />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation" component="nav">
        {items.map((item) => (
          <NavLink
            key={item.path}
            component={Link}
            to={item.path}
            label={item.label}
            leftSection={item.icon ? <item.icon /> : undefined}
            active={isActive(item.path)}
            aria-current={isActive(item.path) ? 'page' : undefined}
            onClick={close}
          />
        ))}
        {items.length === 0 && (
          <Text size="sm" c="dimmed">
            No sections are available to your roles yet.
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
