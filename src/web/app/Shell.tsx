import { NavLink, Outlet } from 'react-router';
import { useLocale } from '../i18n/I18nProvider.tsx';
import { isLocale, LOCALES } from '../i18n/locales.ts';
import { useFormat } from '../i18n/use-format.ts';
import { api } from './api.ts';
import { useSession, useSignedIn } from './session.tsx';

/** The frame around every signed-in page: navigation, language and the person signed in. */
export function Shell() {
  const session = useSession();
  const signedIn = useSignedIn();
  const { t } = useFormat();
  const { locale, setLocale } = useLocale();
  const signOut = async () => {
    await api('/api/session', { method: 'DELETE' }).catch(() => undefined);
    signedIn(null);
  };
  const works = session.user.role !== 'marketing' && session.user.role !== 'viewer';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label={t('shell.home')}>
          <span className="brand-mark" aria-hidden="true" />
          Ripen
        </NavLink>
        <nav aria-label={t('shell.navigation')} className="nav">
          <NavLink to="/" end>
            {t('nav.home')}
          </NavLink>
          <NavLink to="/leads">{t('nav.leads')}</NavLink>
          <NavLink to="/companies">{t('nav.companies')}</NavLink>
          {works && <NavLink to="/inbox">{t('nav.inbox')}</NavLink>}
          <NavLink to="/playbook">{t('nav.playbook')}</NavLink>
          {session.can.manage && <NavLink to="/settings">{t('nav.settings')}</NavLink>}
        </nav>
        <div className="account">
          <label className="visually-hidden" htmlFor="language">
            {t('shell.language')}
          </label>
          <select
            id="language"
            value={locale}
            onChange={(event) => {
              if (isLocale(event.target.value)) setLocale(event.target.value);
            }}
          >
            {LOCALES.map((option) => (
              <option key={option.code} value={option.code} lang={option.code}>
                {option.name}
              </option>
            ))}
          </select>
          <NavLink to="/account" className="who" title={t('account.title')}>
            <span className="who-email">{session.user.email}</span>
            <span className="role-badge">{t(`role.${session.user.role}`)}</span>
          </NavLink>
          <button type="button" className="button ghost" onClick={signOut}>
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
