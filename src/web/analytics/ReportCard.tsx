import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Report } from '../../core/insight/report-types.ts';
import { Card, ErrorNotice, Loading, Table } from '../app/ui.tsx';

/**
 * A report's card: loading, then the error with a retry, `empty` when the report has nothing to
 * show (`isEmpty`), else what `children` draws of it.
 */
export function ReportCard<T extends Report>({
  id,
  title,
  query,
  isEmpty,
  empty,
  children,
}: {
  /** The card's id, for the page's links to its reports. */
  id: string;
  title: string;
  query: UseQueryResult<T>;
  isEmpty: (report: T) => boolean;
  empty: string;
  children: (report: T) => ReactNode;
}) {
  const report = query.data;
  return (
    <Card title={title} id={id}>
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
 * A report's table: a first column naming the rows (`rows`), then figure columns (`figures`);
 * `children` are the body's rows.
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
    <Table
      columns={[rows, ...figures.map((label) => ({ label, numeric: true }))]}
      caption={caption}
      className={`compact report-table${className ? ` ${className}` : ''}`}
      testId={testId}
    >
      {children}
    </Table>
  );
}
