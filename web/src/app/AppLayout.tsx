import { Anchor, AppShell, Badge, Burger, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation } from 'react-router';
import { useApprovalsCount } from '../features/approvals/approvals.api.ts';
import { useMe } from '../features/auth/auth.api.ts';
import { useOpenAlertsCount } from '../features/detection/detection.api.ts';
import { LockdownBanner } from '../features/detection/LockdownBanner.tsx';
import { ElevationDialog } from '../features/elevation/ElevationDialog.tsx';
import { ElevationRequiredWatcher } from '../features/elevation/ElevationRequiredWatcher.tsx';
import { AppHeader } from './AppHeader.tsx';
import type { NavItem } from './navigation.ts';
import { groupNavItems, navItems, visibleNavItems } from './navigation.ts';

/** The signed-in frame: header, a navbar filtered by permission, and the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { data: me } = useMe();
  const location = useLocation();
  const items = visibleNavItems(me?.user.permissions ?? [], navItems, me?.user.dormantPermissions ?? []);
  const approvals = useApprovalsCount();
  const alerts = useOpenAlertsCount();
  const badges: Record<NonNullable<NavItem['badge']>, number> = { approvals, alerts };

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
        {groupNavItems(items).map((group) => (
          <div key={group.section ?? 'main'}>
            {group.section && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                {group.section}
              </Text>
            )}
            {group.items.map((item) => {
              const count = item.badge ? badges[item.badge] : 0;
              return (
                <NavLink
                  key={item.path}
                  component={Link}
                  to={item.path}
                  label={item.label}
                  leftSection={item.icon ? <item.icon /> : undefined}
                  rightSection={
                    count > 0 ? (
                      <Badge size="sm" color="red.9" variant="filled" circle aria-label={`${count} waiting`}>
                        {count}
                      </Badge>
                    ) : undefined
                  }
                  active={isActive(item.path)}
                  aria-current={isActive(item.path) ? 'page' : undefined}
                  onClick={close}
                  data-testid={item.badge ? `nav-${item.badge}` : undefined}
                />
              );
            })}
          </div>
        ))}
        {items.length === 0 && (
          <Text size="sm" c="dimmed">
            No sections are available to your roles yet.
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <LockdownBanner />
        <Outlet />
      </AppShell.Main>
      <ElevationDialog />
      <ElevationRequiredWatcher />
    </AppShell>
  );
}
