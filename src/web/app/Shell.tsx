import { useQueryClient } from '@tanstack/react-query';
import { type RefObject, useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useLocale } from '../i18n/I18nProvider.tsx';
import { isLocale, LOCALES, type Locale } from '../i18n/locales.ts';
import { useFormat } from '../i18n/use-format.ts';
import { api } from './api.ts';
import { SESSION_KEY, useSession, useSignedIn } from './session.tsx';
import type { Session } from './types.ts';

/**
 * On a phone the navigation is one row that scrolls sideways: after each move, the current
 * page's link is brought into the row's view (it may be past the screen's edge).
 */
function useActiveLinkInView(nav: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again on each move, when the active link changes.
  useEffect(() => {
    const row = nav.current;
    const active = row?.querySelector<HTMLElement>('a.active');
    if (!row || !active) return;
    const rowBox = row.getBoundingClientRect();
    const box = active.getBoundingClientRect();
    if (box.left < rowBox.left || box.right > rowBox.right) {
      row.scrollLeft += box.left - rowBox.left - (rowBox.width - box.width) / 2;
    }
  }, [pathname, nav]);
}

/** The frame around every signed-in page: navigation, language and the person signed in. */
export function Shell() {
  const session = useSession();
  const signedIn = useSignedIn();
  const { t } = useFormat();
  const { locale, setLocale } = useLocale();
  const client = useQueryClient();
  const nav = useRef<HTMLElement>(null);
  useActiveLinkInView(nav);
  const saved = session.user.language;
  // The language a person picked follows them to every device they sign in on.
  useEffect(() => {
    if (saved && isLocale(saved)) setLocale(saved);
  }, [saved, setLocale]);
  const pickLanguage = (next: Locale) => {
    setLocale(next);
    void api<Session>('/api/session/language', { method: 'PUT', body: { language: next } })
      .then((answer) => client.setQueryData(SESSION_KEY, answer))
      .catch(() => undefined);
  };
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
        <nav aria-label={t('shell.navigation')} className="nav" ref={nav}>
          <NavLink to="/" end>
            {t('nav.home')}
          </NavLink>
          <NavLink to="/leads">{t('nav.leads')}</NavLink>
          <NavLink to="/companies">{t('nav.companies')}</NavLink>
          {works && <NavLink to="/inbox">{t('nav.inbox')}</NavLink>}
          <NavLink to="/playbook">{t('nav.playbook')}</NavLink>
          <NavLink to="/analytics">{t('nav.analytics')}</NavLink>
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
              if (isLocale(event.target.value)) pickLanguage(event.target.value);
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
