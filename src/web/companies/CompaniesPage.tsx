import { useInfiniteQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../app/api.ts';
import type { Page } from '../app/types.ts';
import { ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

export interface Company {
  id: string;
  domain: string | null;
  name: string | null;
  industry: string | null;
  employees: number | null;
  annualRevenue: number | null;
  foundedYear: number | null;
  country: string | null;
  owner: string | null;
  properties: Record<string, unknown>;
  adSpend: number | null;
  shareCapital: number | null;
  vatNumber: string | null;
  publicFunding: number | null;
  reviewRating: number | null;
  reviewCount: number | null;
  socialProfiles: string | null;
  technologies: string | null;
  score: number | null;
  engagedContacts: number;
}

/** Companies by name, searchable, a page at a time. */
export function CompaniesPage() {
  const { t, number, points } = useFormat();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const list = useInfiniteQuery({
    queryKey: ['companies', q],
    queryFn: ({ pageParam }) => api<Page<Company>>('/api/companies', { query: { q, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('q') ?? '').trim();
    setParams(text ? { q: text } : {});
  };
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page">
      <h1>{t('companies.title')}</h1>
      <form className="filters" onSubmit={search} aria-label={t('companies.search')}>
        <div className="field grow">
          <label htmlFor="company-q">{t('companies.search')}</label>
          <input id="company-q" name="q" type="search" defaultValue={q} placeholder={t('companies.searchHint')} />
        </div>
        <button className="button" type="submit">
          {t('leads.apply')}
        </button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorNotice error={list.error} retry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty">{t('companies.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('companies.name')}</th>
                <th scope="col">{t('lead.industry')}</th>
                <th scope="col" className="num">
                  {t('lead.employees')}
                </th>
                <th scope="col">{t('lead.country')}</th>
                <th scope="col" className="num">
                  {t('companies.score')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((company) => (
                <tr key={company.id}>
                  <th scope="row">
                    <Link to={`/companies/${company.id}`} className="lead-link">
                      {company.name ?? company.domain ?? '—'}
                    </Link>
                    <span className="sub">{company.domain}</span>
                  </th>
                  <td>{company.industry ?? '—'}</td>
                  <td className="num">{company.employees === null ? '—' : number(company.employees)}</td>
                  <td>{company.country ?? '—'}</td>
                  <td className="num">{company.score === null ? '—' : points(company.score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => list.fetchNextPage()}>
          {t('companies.more')}
        </button>
      )}
    </div>
  );
}
