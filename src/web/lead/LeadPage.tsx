import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError, api } from '../app/api.ts';
import { useSession } from '../app/session.tsx';
import { type LeadPageData, personName } from '../app/types.ts';
import { Card, CellChip, ErrorNotice, Fact, Loading, StageBadge } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { useLiveChanges } from '../inbox/use-live-changes.ts';
import { Explanation } from './Explanation.tsx';
import { HandoffCard } from './HandoffCard.tsx';
import { MergeCard } from './MergeCard.tsx';
import { PredictionCard } from './PredictionCard.tsx';
import { PrivacyCard } from './PrivacyCard.tsx';
import { SalesActions } from './SalesActions.tsx';
import { StageHistory } from './StageHistory.tsx';
import { Timeline } from './Timeline.tsx';

/** The chart library loads with the chart, not with the first page. */
const ScoreChart = lazy(() => import('./ScoreChart.tsx'));

export function LeadPage() {
  const { id = '' } = useParams();
  const { t, number, points } = useFormat();
  const session = useSession();
  const query = useQuery({ queryKey: ['lead', id], queryFn: () => api<LeadPageData>(`/api/contacts/${id}/page`) });
  useLiveChanges([['lead', id]]);
  if (query.isPending) return <Loading />;
  if (query.isError) {
    const survivorId = mergedInto(query.error);
    if (survivorId) return <Navigate to={`/leads/${survivorId}`} replace />;
    return <ErrorNotice error={query.error} retry={() => query.refetch()} />;
  }
  const { contact, company, explanation } = query.data;
  return (
    <div className="page lead-page">
      <nav aria-label={t('lead.breadcrumb')} className="breadcrumb">
        <Link to="/leads">{t('nav.leads')}</Link>
      </nav>
      <header className="lead-head card">
        <div className="lead-identity">
          <h1>{personName(contact)}</h1>
          <p className="muted">{[contact.jobTitle, company?.name].filter(Boolean).join(' · ') || contact.email}</p>
          <div className="chips">
            <StageBadge stage={contact.stage} />
            <CellChip grade={contact.grade} temperature={contact.temperature} />
            {contact.owner && <span className="muted">{t('lead.ownedBy', { owner: contact.owner })}</span>}
          </div>
        </div>
        <dl className="score-summary">
          <div>
            <dt>{t('lead.score')}</dt>
            <dd className="big-figure" data-testid="score" data-value={contact.score}>
              {points(contact.score)}
            </dd>
          </div>
          <div>
            <dt>{t('lead.fit')}</dt>
            <dd>{points(contact.fit)}</dd>
          </div>
          <div>
            <dt>{t('lead.engagement')}</dt>
            <dd>{points(contact.engagement)}</dd>
          </div>
        </dl>
      </header>
      <SalesActions page={query.data} />
      <div className="lead-columns">
        <div className="lead-left">
          {explanation ? (
            <Explanation explanation={explanation} />
          ) : (
            <Card title={t('lead.explanation')}>
              <p className="muted">{t('lead.noPlaybook')}</p>
            </Card>
          )}
          <Suspense fallback={<Loading />}>
            <ScoreChart contactId={contact.id} />
          </Suspense>
          <Timeline contactId={contact.id} />
        </div>
        <div className="lead-right">
          {query.data.handoff && <HandoffCard handoff={query.data.handoff} />}
          <Card title={t('lead.profile')}>
            <dl className="facts">
              <Fact label={t('lead.email')} value={contact.email} />
              <Fact label={t('lead.phone')} value={contact.phone} />
              <Fact label={t('lead.country')} value={contact.country} />
              <Fact label={t('lead.seniority')} value={contact.seniority} />
              <Fact label={t('lead.department')} value={contact.role} />
              {company && (
                <div>
                  <dt>{t('lead.company')}</dt>
                  <dd>
                    <Link to={`/companies/${company.id}`}>{company.name ?? company.domain}</Link>
                  </dd>
                </div>
              )}
              <Fact label={t('lead.domain')} value={company?.domain ?? null} />
              <Fact label={t('lead.industry')} value={company?.industry ?? null} />
              <Fact label={t('lead.employees')} value={company?.employees == null ? null : number(company.employees)} />
              {company?.score != null && (
                <Fact
                  label={t('companies.score')}
                  value={t('lead.companyScore', { score: points(company.score), engaged: company.engagedContacts })}
                />
              )}
              {Object.entries(contact.qualification).map(([field, value]) => (
                <Fact key={field} label={t(`bant.${field}`)} value={value} />
              ))}
            </dl>
          </Card>
          <PredictionCard contactId={contact.id} />
          <StageHistory history={query.data.history} />
          {session.can.mergeContacts && <MergeCard contactId={contact.id} />}
          {session.can.manage && <PrivacyCard contactId={contact.id} email={contact.email} />}
        </div>
      </div>
    </div>
  );
}

/** The contact a merged contact's id now leads to (an old link or bookmark), or null. */
function mergedInto(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 404) return null;
  const details = error.details as { survivorId?: unknown } | undefined;
  return typeof details?.survivorId === 'string' ? details.survivorId : null;
}
