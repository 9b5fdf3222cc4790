import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AccountPage } from '../account/AccountPage.tsx';
import { AnalyticsLayout } from '../analytics/AnalyticsLayout.tsx';
import { AnalyticsPage } from '../analytics/AnalyticsPage.tsx';
import { CompaniesPage } from '../companies/CompaniesPage.tsx';
import { CompanyPage } from '../companies/CompanyPage.tsx';
import { HomePage } from '../home/HomePage.tsx';
import { InboxPage } from '../inbox/InboxPage.tsx';
import { LeadPage } from '../lead/LeadPage.tsx';
import { LeadsPage } from '../leads/LeadsPage.tsx';
import { ModelPage } from '../predict/ModelPage.tsx';
import { AuditLog } from '../settings/AuditLog.tsx';
import { KeysSettings } from '../settings/KeysSettings.tsx';
import { SettingsPage } from '../settings/SettingsPage.tsx';
import { TeamsSettings } from '../settings/TeamsSettings.tsx';
import { UsersSettings } from '../settings/UsersSettings.tsx';
import { WebhooksSettings } from '../settings/WebhooksSettings.tsx';
import { SignInPage } from '../signin/SignInPage.tsx';
import { Shell } from './Shell.tsx';
import { Loading } from './ui.tsx';

/** The playbook page brings a YAML parser and an editor: loaded only when opened. */
const PlaybookPage = lazy(() => import('../playbook/PlaybookPage.tsx'));

import { RequireSession } from './session.tsx';

export function App() {
  return (
    <RequireSession signIn={<SignInPage />}>
      <Routes>
        <Route element={<Shell />}>
          <Route index element={<HomePage />} />
          <Route path="leads" element={<LeadsPage />} />
          <Route path="leads/:id" element={<LeadPage />} />
          <Route path="companies" element={<CompaniesPage />} />
          <Route path="companies/:id" element={<CompanyPage />} />
          <Route path="inbox" element={<InboxPage />} />
          <Route
            path="playbook/*"
            element={
              <Suspense fallback={<Loading />}>
                <PlaybookPage />
              </Suspense>
            }
          />
          <Route path="analytics" element={<AnalyticsLayout />}>
            <Route index element={<AnalyticsPage />} />
            <Route path="model" element={<ModelPage />} />
          </Route>
          <Route path="account" element={<AccountPage />} />
          <Route path="settings" element={<SettingsPage />}>
            <Route index element={<Navigate to="/settings/users" replace />} />
            <Route path="users" element={<UsersSettings />} />
            <Route path="teams" element={<TeamsSettings />} />
            <Route path="keys" element={<KeysSettings />} />
            <Route path="webhooks" element={<WebhooksSettings />} />
            <Route path="audit" element={<AuditLog />} />
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </RequireSession>
  );
}
