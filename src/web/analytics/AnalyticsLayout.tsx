import { NavLink, Outlet } from 'react-router';
import { useFormat } from '../i18n/use-format.ts';

/** The analytics section: the funnel reports and the predictive model, one tab each. */
export function AnalyticsLayout() {
  const { t } = useFormat();
  return (
    <>
      <nav className="subnav analytics-nav" aria-label={t('analytics.sections')}>
        <NavLink to="/analytics" end>
          {t('analytics.reportsTab')}
        </NavLink>
        <NavLink to="/analytics/model">{t('analytics.modelTab')}</NavLink>
      </nav>
      <Outlet />
    </>
  );
}
