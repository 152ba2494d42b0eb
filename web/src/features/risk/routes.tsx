/** The risk engine's screen, added to `app/router.tsx` and `app/navigation.ts` (Security section). */
import type { RouteObject } from 'react-router';
import type { NavItem } from '../../app/navigation.ts';
import { RequirePermission } from '../../app/RequirePermission.tsx';
import { IconShield } from '../../components/icons.tsx';
import { RiskPage } from './RiskPage.tsx';

export const riskRouteObjects: RouteObject[] = [
  {
    path: '/security/risk',
    element: (
      <RequirePermission permission="alerts.read">
        <RiskPage />
      </RequirePermission>
    ),
  },
];

export const riskNavItems: NavItem[] = [
  { label: 'Risk', path: '/security/risk', icon: IconShield, permission: 'alerts.read', section: 'Security' },
];
