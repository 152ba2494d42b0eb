import type { ComponentType } from 'react';
import type { IconProps } from '../components/icons.tsx';
import {
  IconHome,
  IconInbox,
  IconKey,
  IconListCheck,
  IconNetwork,
  IconUserCircle,
  IconUsers,
} from '../components/icons.tsx';
import { smsOutboxInUse } from '../features/admin/sms-outbox.api.ts';
import { detectionNavItems, detectionSettingsNavItems } from '../features/detection/routes.tsx';
import { IconMessage } from '../features/mfa/mfa-icons.tsx';
import { riskNavItems } from '../features/risk/routes.tsx';
import { vaultNavItems } from '../features/vault/routes.tsx';
import { holdsAny } from './permissions.ts';

/**
 * The navigation registry. Each module adds its entry here (Records, Alerts, Compliance…); the navbar shows
 * only the entries whose permission the signed-in user holds, in force or dormant (privileged permissions
 * sleep until elevation, but the screen is still theirs). Hiding an entry is a convenience, not a control:
 * the server checks every call and the page guards its route.
 */
export interface NavItem {
  label: string;
  path: string;
  icon?: ComponentType<IconProps>;
  /** Any of these permissions (from `GET /api/v1/me`); none means every signed-in user. */
  permission?: string | readonly string[];
  /** Entries with the same section are grouped under that heading, after the unsectioned ones. */
  section?: string;
  /** A count shown beside the label (what waits for this person). */
  badge?: 'approvals' | 'alerts';
  /** Shown only while this says yes (a screen that exists on some installs only). */
  available?: () => boolean;
}

export const navItems: NavItem[] = [
  { label: 'Home', path: '/', icon: IconHome },
  ...vaultNavItems,
  ...detectionNavItems,
  ...riskNavItems,
  { label: 'Users', path: '/users', icon: IconUsers, permission: 'users.read' },
  {
    label: 'Approvals',
    path: '/approvals',
    icon: IconInbox,
    permission: ['users.approve', 'grants.approve'],
    badge: 'approvals',
  },
  { label: 'Audit log', path: '/audit', icon: IconListCheck, permission: 'audit.read' },
  {
    label: 'IP allow-list',
    path: '/settings/ip-allowlist',
    icon: IconNetwork,
    permission: 'users.read',
    section: 'Settings',
  },
  {
    label: 'Service tokens',
    path: '/settings/service-tokens',
    icon: IconKey,
    permission: 'users.read',
    section: 'Settings',
  },
  {
    label: 'SMS outbox',
    path: '/settings/sms-outbox',
    icon: IconMessage,
    permission: 'users.manage',
    section: 'Settings',
    available: smsOutboxInUse,
  },
  ...detectionSettingsNavItems,
  { label: 'My account', path: '/account', icon: IconUserCircle, section: 'You' },
];

export function visibleNavItems(
  permissions: readonly string[],
  items: readonly NavItem[] = navItems,
  dormant: readonly string[] = [],
): NavItem[] {
  return items.filter(
    (item) =>
      (!item.permission || holdsAny(item.permission, permissions, dormant)) && (!item.available || item.available()),
  );
}

/** Unsectioned entries first, then each section in the order it first appears. */
export function groupNavItems(items: readonly NavItem[]): { section: string | null; items: NavItem[] }[] {
  const groups: { section: string | null; items: NavItem[] }[] = [{ section: null, items: [] }];
  for (const item of items) {
    const section = item.section ?? null;
    let group = groups.find((g) => g.section === section);
    if (!group) {
      group = { section, items: [] };
      groups.push(group);
    }
    group.items.push(item);
  }
  return groups.filter((g) => g.items.length > 0);
}
