import type { ComponentType } from 'react';
import type { IconProps } from '../components/icons.tsx';
import { IconHome, IconListCheck } from '../components/icons.tsx';

/**
 * The navigation registry. Each module adds its entry here (Records, Alerts, Users, Approvals,
 * Compliance…); the navbar shows only the entries whose `permission` the signed-in user holds. Hiding an
 * entry is a convenience, not a control: the server checks every call and the page guards its route.
 */
export interface NavItem {
  label: string;
  path: string;
  icon?: ComponentType<IconProps>;
  /** A permission from `GET /api/v1/me` → `user.permissions`; no permission means every signed-in user. */
  permission?: string;
}

export const navItems: NavItem[] = [
  { label: 'Home', path: '/', icon: IconHome },
  { label: 'Audit log', path: '/audit', icon: IconListCheck, permission: 'audit.read' },
];

export function visibleNavItems(permissions: readonly string[], items: readonly NavItem[] = navItems): NavItem[] {
  const held = new Set(permissions);
  return items.filter((item) => !item.permission || held.has(item.permission));
}
