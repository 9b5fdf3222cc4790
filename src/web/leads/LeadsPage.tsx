import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, withQuery } from '../app/api.ts';
import { type Contact, GRADES, type Page, personName, STAGES, TEMPERATURES_HOT_FIRST } from '../app/types.ts';
import { CellChip, ErrorNotice, Loading, StageBadge } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { type LeadColumn, LeadColumns, useColumnChoice } from './lead-columns.tsx';
import { Matrix } from './Matrix.tsx';

/** The list's filters live in the address, so a filtered list can be shared and opened from any figure. */
export const FILTER_KEYS = ['stage', 'grade', 'temperature', 'owner', 'companyId', 'q', 'sort'] as const;

export function filtersOf(params: URLSearchParams): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

export function LeadsPage() {
  const { t } = useFormat();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const [columns, setColumns] = useColumnChoice();
  const [showColumns, setShowColumns] = useState(false);
  const list = useInfiniteQuery({
    queryKey: ['contacts', filters],
    queryFn: ({ pageParam }) =>
      api<Page<Contact>>('/api/contacts', { query: { ...filters, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const setFilter = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter('q', String(new FormData(event.currentTarget).get('q') ?? '').trim() || null);
  };
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('leads.title')}</h1>
      </div>
      <div className="leads-layout">
        <div className="leads-main">
          <form className="filters" onSubmit={search} aria-label={t('leads.filters')}>
            <div className="field grow">
              <label htmlFor="q">{t('leads.search')}</label>
              <input id="q" name="q" type="search" defaultValue={filters.q ?? ''} placeholder={t('leads.searchHint')} />
            </div>
            <Select id="stage" label={t('leads.stage')} value={filters.stage} onChange={(v) => setFilter('stage', v)}>
              {STAGES.map((stage) => (
                <option key={stage} value={stage}>
                  {t(`stage.${stage}`)}
                </option>
              ))}
            </Select>
            <Select id="grade" label={t('leads.grade')} value={filters.grade} onChange={(v) => setFilter('grade', v)}>
              {GRADES.map((grade) => (
                <option key={grade} value={grade}>
                  {grade}
                </option>
              ))}
            </Select>
            <Select
              id="temperature"
              label={t('leads.temperature')}
              value={filters.temperature}
              onChange={(v) => setFilter('temperature', v)}
            >
              {TEMPERATURES_HOT_FIRST.map((temperature) => (
                <option key={temperature} value={temperature}>
                  {t(`temperature.${temperature}`)}
                </option>
              ))}
            </Select>
            <div className="field">
              <label htmlFor="owner">{t('leads.owner')}</label>
              <input
                id="owner"
                defaultValue={filters.owner ?? ''}
                onBlur={(event) => setFilter('owner', event.target.value.trim() || null)}
                placeholder="rep@example.com"
              />
            </div>
            <Select
              id="sort"
              label={t('leads.sort')}
              value={filters.sort ?? 'score'}
              required
              onChange={(v) => setFilter('sort', v === 'score' ? null : v)}
            >
              {['score', 'fit', 'engagement', 'predicted', 'updated', 'created'].map((sort) => (
                <option key={sort} value={sort}>
                  {t(`leads.sortBy.${sort}`)}
                </option>
              ))}
            </Select>
            <button className="button" type="submit">
              {t('leads.apply')}
            </button>
          </form>
          <div className="list-tools">
            {Object.keys(filters).length > 0 && (
              <button type="button" className="button ghost" onClick={() => setParams(new URLSearchParams())}>
                {t('leads.clear')}
              </button>
            )}
            <a className="button ghost" href={withQuery('/api/contacts/export.csv', filters)} download>
              {t('leads.export')}
            </a>
            <button
              type="button"
              className="button ghost"
              aria-expanded={showColumns}
              onClick={() => setShowColumns(!showColumns)}
            >
              {t('leads.columns')}
            </button>
          </div>
          {showColumns && <LeadColumns chosen={columns} onChange={setColumns} />}
          {list.isPending ? (
            <Loading />
          ) : list.isError ? (
            <ErrorNotice error={list.error} retry={() => list.refetch()} />
          ) : items.length === 0 ? (
            <p className="empty">{t('leads.none')}</p>
          ) : (
            <LeadTable items={items} columns={columns} />
          )}
          {list.hasNextPage && (
            <button
              type="button"
              className="button load-more"
              onClick={() => list.fetchNextPage()}
              disabled={list.isFetchingNextPage}
            >
              {list.isFetchingNextPage ? t('common.loading') : t('leads.more', { count: items.length })}
            </button>
          )}
        </div>
        <aside className="leads-side">
          <Matrix
            filters={filters}
            onPick={(grade, temperature) => {
              const next = new URLSearchParams(params);
              next.set('grade', grade);
              next.set('temperature', temperature);
              setParams(next);
            }}
          />
        </aside>
      </div>
    </div>
  );
}

function Select(props: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (value: string | null) => void;
  required?: boolean;
  children: React.ReactNode;
}) {
  const { t } = useFormat();
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ''} onChange={(event) => props.onChange(event.target.value || null)}>
        {!props.required && <option value="">{t('leads.any')}</option>}
        {props.children}
      </select>
    </div>
  );
}

function LeadTable({ items, columns }: { items: Contact[]; columns: LeadColumn[] }) {
  const { t, points, percent, relative } = useFormat();
  const now = Date.now();
  const cell = (contact: Contact, column: LeadColumn) => {
    switch (column) {
      case 'jobTitle':
        return contact.jobTitle ?? '—';
      case 'stage':
        return <StageBadge stage={contact.stage} />;
      case 'cell':
        return <CellChip grade={contact.grade} temperature={contact.temperature} />;
      case 'score':
        return <span className="num">{points(contact.score)}</span>;
      case 'fit':
        return <span className="num">{points(contact.fit)}</span>;
      case 'engagement':
        return <span className="num">{points(contact.engagement)}</span>;
      case 'predicted':
        return <span className="num">{contact.predicted === null ? '—' : percent(contact.predicted)}</span>;
      case 'owner':
        return contact.owner ?? '—';
      case 'country':
        return contact.country ?? '—';
      case 'updated':
        return relative(contact.updatedAt, now);
    }
  };
  return (
    <div className="table-wrap">
      <table className="table leads-table">
        <thead>
          <tr>
            <th scope="col">{t('leads.col.name')}</th>
            {columns.map((column) => (
              <th
                scope="col"
                key={column}
                className={['score', 'fit', 'engagement', 'predicted'].includes(column) ? 'num' : ''}
              >
                {t(`leads.col.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((contact) => (
            <tr key={contact.id}>
              <th scope="row">
                <Link to={`/leads/${contact.id}`} className="lead-link">
                  {personName(contact)}
                </Link>
                <span className="sub">{contact.email}</span>
              </th>
              {columns.map((column) => (
                <td key={column}>{cell(contact, column)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
