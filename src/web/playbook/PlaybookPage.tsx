import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { api } from '../app/api.ts';
import { useSession } from '../app/session.tsx';
import { ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { PlaybookRules } from './PlaybookRules.tsx';
import type { PublishedPlaybook } from './playbook-api.ts';
import { VersionHistory } from './VersionHistory.tsx';

/** The editor (CodeMirror) loads only when someone opens it. */
const PlaybookEditor = lazy(() => import('./PlaybookEditor.tsx'));

/** The rules leads are scored by: readable for everyone, editable by admins and marketing. */
export default function PlaybookPage() {
  const { t, dateTime } = useFormat();
  const session = useSession();
  const published = useQuery({ queryKey: ['playbook'], queryFn: () => api<PublishedPlaybook>('/api/playbook') });
  if (published.isPending) return <Loading />;
  if (published.isError) return <ErrorNotice error={published.error} retry={() => published.refetch()} />;
  const playbook = published.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('playbook.title')}</h1>
        <p className="muted small">
          {t('playbook.published', {
            version: playbook.version,
            when: dateTime(playbook.publishedAt),
            who: playbook.publishedBy ?? '—',
          })}
        </p>
      </div>
      <nav className="subnav" aria-label={t('playbook.sections')}>
        <NavLink to="/playbook" end>
          {t('playbook.rules')}
        </NavLink>
        {session.can.publishPlaybook && <NavLink to="/playbook/edit">{t('playbook.edit')}</NavLink>}
        <NavLink to="/playbook/history">{t('playbook.history')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<PlaybookRules source={playbook.source} />} />
        {session.can.publishPlaybook && (
          <Route
            path="edit"
            element={
              <Suspense fallback={<Loading />}>
                <PlaybookEditor published={playbook} />
              </Suspense>
            }
          />
        )}
        <Route path="history" element={<VersionHistory published={playbook} />} />
      </Routes>
    </div>
  );
}
