/**
 * The vault's screens, for the lead to add to `app/router.tsx` (inside the `AppLayout` children) and
 * `app/navigation.ts`. Each page is wrapped in `RequirePermission`, as the other routes are; the server checks
 * every call regardless.
 */
import type { RouteObject } from 'react-router';
import type { NavItem } from '../../app/navigation.ts';
import { RequirePermission } from '../../app/RequirePermission.tsx';
import { IconKey } from '../../components/icons.tsx';
import { KeysPage } from '../keys/KeysPage.tsx';
import { OwnersPage } from '../owners/OwnersPage.tsx';
import { CanariesPage } from './CanariesPage.tsx';
import { ImportPage } from './ImportPage.tsx';
import { RecordsSearchPage } from './RecordsSearchPage.tsx';
import { IconBuilding, IconCanary, IconSearch } from './vault-icons.tsx';

export const vaultRouteObjects: RouteObject[] = [
  {
    path: '/records',
    element: (
      <RequirePermission permission="records.search">
        <RecordsSearchPage />
      </RequirePermission>
    ),
  },
  {
    path: '/records/import',
    element: (
      <RequirePermission permission="records.write">
        <ImportPage />
      </RequirePermission>
    ),
  },
  {
    path: '/owners',
    element: (
      <RequirePermission permission="owners.read">
        <OwnersPage />
      </RequirePermission>
    ),
  },
  {
    path: '/security/canaries',
    element: (
      <RequirePermission permission="canaries.manage">
        <CanariesPage />
      </RequirePermission>
    ),
  },
  {
    path: '/settings/keys',
    element: (
      <RequirePermission permission="keys.manage">
        <KeysPage />
      </RequirePermission>
    ),
  },
];

/**
 * Navigation entries. "Records" first: it is the analyst's landing screen. Import has no entry of its own: it
 * is reached from the Records and Data owners pages (`records.write`), and AppLayout's prefix match already
 * highlights "Records" on `/records/import` (a second entry would light up both). Canaries sit under
 * "Security" and are shown only with `canaries.manage` (analysts never see them); the root key goes with the
 * other settings.
 */
export const vaultNavItems: NavItem[] = [
  { label: 'Records', path: '/records', icon: IconSearch, permission: 'records.search' },
  { label: 'Data owners', path: '/owners', icon: IconBuilding, permission: 'owners.read' },
  {
    label: 'Canaries',
    path: '/security/canaries',
    icon: IconCanary,
    permission: 'canaries.manage',
    section: 'Security',
  },
  { label: 'Root key', path: '/settings/keys', icon: IconKey, permission: 'keys.manage', section: 'Settings' },
];
