import { NavLink, Outlet } from 'react-router';
import { useFormat } from '../i18n/use-format.ts';

/** Admins' settings, one section per page. */
export function SettingsPage() {
  const { t } = useFormat();
  return (
    <div className="page">
      <h1>{t('settings.title')}</h1>
      <nav className="subnav" aria-label={t('settings.sections')}>
        <NavLink to="/settings/users">{t('settings.users')}</NavLink>
        <NavLink to="/settings/teams">{t('settings.teams')}</NavLink>
        <NavLink to="/settings/keys">{t('settings.keys')}</NavLink>
        <NavLink to="/settings/webhooks">{t('settings.webhooks')}</NavLink>
        <NavLink to="/settings/audit">{t('settings.audit')}</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
