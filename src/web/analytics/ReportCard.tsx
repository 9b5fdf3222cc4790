import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Report } from '../../core/insight/report-types.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';

/**
 * A report's card: loading, then the error with a retry, `empty` when the report has nothing to
 * show (`isEmpty`), else what `children` draws of it.
 */
export function ReportCard<T extends Report>({
  title,
  query,
  isEmpty,
  empty,
  children,
}: {
  title: string;
  query: UseQueryResult<T>;
  isEmpty: (report: T) => boolean;
  empty: string;
  children: (report: T) => ReactNode;
}) {
  const report = query.data;
  return (
    <Card title={title}>
      {query.isPending ? (
        <Loading />
      ) : query.isError || !report ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : isEmpty(report) ? (
        <p className="muted">{empty}</p>
      ) : (
        children(report)
      )}
    </Card>
  );
}

/**
 * A report's table, scrolling sideways on a narrow screen: a first column naming the rows
 * (`rows`), then right-aligned figure columns (`figures`); `children` are the body's rows.
 */
export function ReportTable({
  rows,
  figures,
  caption,
  className,
  testId,
  children,
}: {
  rows: string;
  figures: readonly string[];
  caption?: string;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className={`table compact report-table${className ? ` ${className}` : ''}`} data-testid={testId}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">{rows}</th>
            {figures.map((figure) => (
              <th key={figure} scope="col" className="num">
                {figure}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
