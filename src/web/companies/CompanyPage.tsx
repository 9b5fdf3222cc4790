import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../app/api.ts';
import { personName, STAGES } from '../app/types.ts';
import { Card, CellChip, ErrorNotice, Fact, Loading, StageBadge, Table } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import type { Company } from './CompaniesPage.tsx';

/** One line of the company score: a rule, a group's cap, the engagement rolled up from its people, its cap, or the 0–100 clamp. */
interface CompanyScoreLine {
  kind: 'rule' | 'group-cap' | 'engagement' | 'engagement-cap' | 'clamp';
  points: number;
  group?: string;
  rule?: string;
  label?: string;
  cap?: number;
  contacts?: number;
  weight?: number;
}

interface CompanyPageData {
  company: Company;
  fit: { points: number; groups: string[]; lines: CompanyScoreLine[] } | null;
  score: { points: number; lines: CompanyScoreLine[]; engagedContacts: number } | null;
  contacts: Array<{
    id: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    jobTitle: string | null;
    stage: string;
    owner: string | null;
    score: number;
    engagement: number;
    grade: string;
    temperature: string;
  }>;
  rollup: {
    contacts: number;
    byStage: Record<string, number>;
    engagement: number;
    engagedContacts: number;
    lastChange: string | null;
  };
}

/** A company: what it earns by itself, who works there and where each stands, and how engaged they are. */
export function CompanyPage() {
  const { id = '' } = useParams();
  const { t, number, points, relative } = useFormat();
  const query = useQuery({
    queryKey: ['company', id],
    queryFn: () => api<CompanyPageData>(`/api/companies/${id}/page`),
  });
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} retry={() => query.refetch()} />;
  const { company, fit, score, contacts, rollup } = query.data;
  const now = Date.now();
  return (
    <div className="page">
      <nav aria-label={t('lead.breadcrumb')} className="breadcrumb">
        <Link to="/companies">{t('companies.title')}</Link>
      </nav>
      <header className="lead-head card">
        <div className="lead-identity">
          <h1>{company.name ?? company.domain}</h1>
          <p className="muted">{[company.domain, company.industry, company.country].filter(Boolean).join(' · ')}</p>
        </div>
        <dl className="score-summary">
          {score && (
            <div>
              <dt>{t('companies.score')}</dt>
              <dd className="big-figure" data-testid="company-score" data-value={score.points}>
                {points(score.points)}
              </dd>
            </div>
          )}
          <div>
            <dt>{t('companies.contacts')}</dt>
            <dd className={score ? undefined : 'big-figure'}>{number(rollup.contacts)}</dd>
          </div>
          <div>
            <dt>{t('companies.engagement')}</dt>
            <dd>{points(rollup.engagement)}</dd>
          </div>
          <div>
            <dt>{t('companies.engaged')}</dt>
            <dd>{number(rollup.engagedContacts)}</dd>
          </div>
        </dl>
      </header>
      <div className="lead-columns">
        <div className="lead-left">
          <Card title={t('companies.people')}>
            {contacts.length === 0 ? (
              <p className="muted">{t('companies.nobody')}</p>
            ) : (
              <Table
                columns={[
                  t('leads.col.name'),
                  t('leads.col.stage'),
                  t('leads.col.cell'),
                  { label: t('leads.col.score'), numeric: true },
                  t('leads.col.owner'),
                ]}
                className="compact"
                testId="company-contacts"
              >
                {contacts.map((contact) => (
                  <tr key={contact.id}>
                    <th scope="row">
                      <Link to={`/leads/${contact.id}`} className="lead-link">
                        {personName(contact)}
                      </Link>
                      <span className="sub">{contact.jobTitle}</span>
                    </th>
                    <td>
                      <StageBadge stage={contact.stage} />
                    </td>
                    <td>
                      <CellChip grade={contact.grade} temperature={contact.temperature} />
                    </td>
                    <td className="num">{points(contact.score)}</td>
                    <td>{contact.owner ?? '—'}</td>
                  </tr>
                ))}
              </Table>
            )}
          </Card>
        </div>
        <div className="lead-right">
          {score ? (
            <PointsCard
              title={t('companies.scoreTitle')}
              testId="company-score-lines"
              lines={score.lines}
              total={score.points}
              hint={t('companies.scoreHint', { engaged: score.engagedContacts })}
            />
          ) : fit ? (
            <PointsCard title={t('companies.fit')} testId="company-fit" lines={fit.lines} total={fit.points} />
          ) : (
            <Card title={t('companies.fit')}>
              <p className="muted">{t('lead.noPlaybook')}</p>
            </Card>
          )}
          <Card title={t('companies.facts')}>
            <dl className="facts">
              <Fact label={t('lead.employees')} value={company.employees === null ? null : number(company.employees)} />
              <Fact
                label={t('companies.revenue')}
                value={company.annualRevenue === null ? null : number(company.annualRevenue)}
              />
              <Fact
                label={t('companies.founded')}
                value={company.foundedYear === null ? null : String(company.foundedYear)}
              />
              <Fact label={t('companies.vat')} value={company.vatNumber} />
              <Fact
                label={t('companies.shareCapital')}
                value={company.shareCapital === null ? null : number(company.shareCapital)}
              />
              <Fact
                label={t('companies.publicFunding')}
                value={company.publicFunding === null ? null : number(company.publicFunding)}
              />
              <Fact label={t('companies.adSpend')} value={company.adSpend === null ? null : number(company.adSpend)} />
              <Fact
                label={t('companies.reviews')}
                value={
                  company.reviewRating === null
                    ? null
                    : t('companies.rating', { rating: number(company.reviewRating), count: company.reviewCount ?? 0 })
                }
              />
              <Fact label={t('companies.social')} value={company.socialProfiles} />
              <Fact label={t('companies.technologies')} value={company.technologies} />
              <Fact label={t('companies.owner')} value={company.owner} />
              <Fact
                label={t('companies.lastChange')}
                value={rollup.lastChange ? relative(rollup.lastChange, now) : null}
              />
            </dl>
          </Card>
          <Card title={t('home.byStage')}>
            <ul className="plain-list">
              {STAGES.filter((stage) => (rollup.byStage[stage] ?? 0) > 0).map((stage) => (
                <li key={stage} className="row-between">
                  <StageBadge stage={stage} />
                  <span className="num">{number(rollup.byStage[stage] ?? 0)}</span>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </div>
    </div>
  );
}

/**
 * Points line by line, summing to the total: the company score (rules, caps, the engagement
 * rolled up from its people) or, without a company section, the company-only fit groups.
 */
function PointsCard({
  title,
  testId,
  lines,
  total,
  hint,
}: {
  title: string;
  testId: string;
  lines: CompanyScoreLine[];
  total: number;
  hint?: string;
}) {
  const { t, number, points, signedPoints } = useFormat();
  const label = (line: CompanyScoreLine): string => {
    switch (line.kind) {
      case 'rule':
        return line.label ?? line.rule ?? '';
      case 'group-cap':
        return t('explain.groupCap', { group: line.group ?? '', cap: number(line.cap ?? 0) });
      case 'engagement':
        return t('companies.rollupLine', { count: line.contacts ?? 0, weight: points(line.weight ?? 0) });
      case 'engagement-cap':
        return t('explain.totalCap', { cap: number(line.cap ?? 0) });
      case 'clamp':
        return t('companies.clamp');
    }
  };
  return (
    <Card title={title}>
      <table className="table explanation compact" data-testid={testId}>
        <caption className="visually-hidden">{title}</caption>
        <tbody>
          {lines.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                {t('explain.nothing')}
              </td>
            </tr>
          )}
          {lines.map((line) => (
            <tr
              key={`${line.kind}-${line.group}-${line.rule}`}
              className={line.kind === 'rule' ? undefined : 'cap-line'}
            >
              <td>{label(line)}</td>
              <td className="num points" data-points={line.points}>
                {signedPoints(line.points)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('explain.total')}</th>
            <td className="num" data-value={total}>
              {points(total)}
            </td>
          </tr>
        </tfoot>
      </table>
      {hint && <p className="muted small">{hint}</p>}
    </Card>
  );
}
