/**
 * The detection and response screens, for `app/router.tsx` (inside the `AppLayout` children) and
 * `app/navigation.ts`. Each page is wrapped in `RequirePermission`, as the other routes are; the server checks
 * every call regardless. The lock-down banner is not a route: `AppLayout` shows `LockdownBanner` on every page.
 */
import type { RouteObject } from 'react-router';
import type { NavItem } from '../../app/navigation.ts';
import { RequirePermission } from '../../app/RequirePermission.tsx';
import { AlertDetailPage } from './AlertDetailPage.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { BlocksPage } from './BlocksPage.tsx';
import { IconBan, IconShieldLock, IconSiren, IconSliders, IconWebhook } from './detection-icons.tsx';
import { LockdownPage } from './LockdownPage.tsx';
import { RulesPage } from './RulesPage.tsx';
import { WebhooksPage } from './WebhooksPage.tsx';

/** Lock-down state and controls: people who may engage it, and readers of alerts (who see its history). */
const lockdownPermissions = ['lockdown.manage', 'alerts.read'] as const;

export const detectionRouteObjects: RouteObject[] = [
  {
    path: '/alerts',
    element: (
      <RequirePermission permission="alerts.read">
        <AlertsPage />
      </RequirePermission>
    ),
  },
  {
    path: '/alerts/:id',
    element: (
      <RequirePermission permission="alerts.read">
        <AlertDetailPage />
      </RequirePermission>
    ),
  },
  {
    path: '/security/blocks',
    element: (
      <RequirePermission permission="alerts.read">
        <BlocksPage />
      </RequirePermission>
    ),
  },
  {
    path: '/security/rules',
    element: (
      <RequirePermission permission="alerts.read">
        <RulesPage />
      </RequirePermission>
    ),
  },
  {
    path: '/security/lockdown',
    element: (
      <RequirePermission permission={lockdownPermissions}>
        <LockdownPage />
      </RequirePermission>
    ),
  },
  {
    path: '/settings/webhooks',
    element: (
      <RequirePermission permission="alerts.read">
        <WebhooksPage />
      </RequirePermission>
    ),
  },
];

/**
 * Navigation entries. "Alerts" sits with the main entries (the security analyst's landing screen) and counts
 * the open alerts; blocks, rules and lock-down go under "Security", webhooks with the other settings.
 */
export const detectionNavItems: NavItem[] = [
  { label: 'Alerts', path: '/alerts', icon: IconSiren, permission: 'alerts.read', badge: 'alerts' },
  {
    label: 'Blocks and locks',
    path: '/security/blocks',
    icon: IconBan,
    permission: 'alerts.read',
    section: 'Security',
  },
  {
    label: 'Detection rules',
    path: '/security/rules',
    icon: IconSliders,
    permission: 'alerts.read',
    section: 'Security',
  },
  {
    label: 'Lock-down',
    path: '/security/lockdown',
    icon: IconShieldLock,
    permission: lockdownPermissions,
    section: 'Security',
  },
];

/** Listed with the other settings (after them, in `navigation.ts`). */
export const detectionSettingsNavItems: NavItem[] = [
  { label: 'Webhooks', path: '/settings/webhooks', icon: IconWebhook, permission: 'alerts.read', section: 'Settings' },
];
