import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { AccountPage } from '../features/account/AccountPage.tsx';
import { SmsOutboxPage } from '../features/admin/SmsOutboxPage.tsx';
import { ApprovalsPage } from '../features/approvals/ApprovalsPage.tsx';
import { approverPermissions } from '../features/approvals/approvals.api.ts';
import { AuditPage } from '../features/audit/AuditPage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { detectionRouteObjects } from '../features/detection/routes.tsx';
import { EnrollPage } from '../features/enroll/EnrollPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { riskRouteObjects } from '../features/risk/routes.tsx';
import { IpAllowlistPage } from '../features/settings/IpAllowlistPage.tsx';
import { ServiceTokensPage } from '../features/settings/ServiceTokensPage.tsx';
import { SetupPage } from '../features/setup/SetupPage.tsx';
import { UserDetailPage } from '../features/users/UserDetailPage.tsx';
import { UsersPage } from '../features/users/UsersPage.tsx';
import { vaultRouteObjects } from '../features/vault/routes.tsx';
import { AppLayout } from './AppLayout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RequireAuth } from './RequireAuth.tsx';
import { RequirePermission } from './RequirePermission.tsx';
import { RouteError } from './RouteError.tsx';
import { SessionWatcher } from './SessionWatcher.tsx';

function Root() {
  return (
    <>
      <SessionWatcher />
      <Outlet />
    </>
  );
}

/** Public pages first; everything else sits behind the session guard and inside the app frame. */
export const router = createBrowserRouter([
  {
    element: <Root />,
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/setup', element: <SetupPage /> },
      { path: '/enroll', element: <EnrollPage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { path: '/', element: <HomePage /> },
              {
                path: '/users',
                element: (
                  <RequirePermission permission="users.read">
                    <UsersPage />
                  </RequirePermission>
                ),
              },
              {
                path: '/users/:id',
                element: (
                  <RequirePermission permission="users.read">
                    <UserDetailPage />
                  </RequirePermission>
                ),
              },
              {
                path: '/approvals',
                element: (
                  <RequirePermission permission={approverPermissions}>
                    <ApprovalsPage />
                  </RequirePermission>
                ),
              },
              {
                path: '/audit',
                element: (
                  <RequirePermission permission="audit.read">
                    <AuditPage />
                  </RequirePermission>
                ),
              },
              {
                path: '/settings/ip-allowlist',
                element: (
                  <RequirePermission permission="users.read">
                    <IpAllowlistPage />
                  </RequirePermission>
                ),
              },
              {
                path: '/settings/service-tokens',
                element: (
                  <RequirePermission permission="users.read">
                    <ServiceTokensPage />
                  </RequirePermission>
                ),
              },
              {
                path: '/settings/sms-outbox',
                element: (
                  <RequirePermission permission="users.manage">
                    <SmsOutboxPage />
                  </RequirePermission>
                ),
              },
              ...vaultRouteObjects,
              ...detectionRouteObjects,
              ...riskRouteObjects,
              { path: '/account', element: <AccountPage /> },
              { path: '/settings', element: <Navigate to="/settings/ip-allowlist" replace /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
