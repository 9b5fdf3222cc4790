import type { ReactNode } from 'react';
import { useFormat } from '../i18n/use-format.ts';
import { ApiError } from './api.ts';

export function StageBadge({ stage }: { stage: string }) {
  const { t } = useFormat();
  return <span className={`badge stage-${stage}`}>{t(`stage.${stage}`)}</span>;
}

/** Grade and temperature as one chip: "A · hot". */
export function CellChip({ grade, temperature }: { grade: string; temperature: string }) {
  const { t } = useFormat();
  return (
    <span className={`cell-chip temp-${temperature}`}>
      <strong>{grade}</strong>
      <span aria-hidden="true"> · </span>
      <span>{t(`temperature.${temperature}`)}</span>
    </span>
  );
}

export function Loading() {
  const { t } = useFormat();
  return (
    <p className="muted loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** An error as the server worded it, with a way to try again. */
export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useFormat();
  const message =
    error instanceof ApiError && error.status === 403
      ? `${t('common.forbidden')} ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div className="notice error" role="alert">
      <p>{message}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Card({
  title,
  children,
  actions,
  wide = false,
  id,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  /** Takes two grid columns where there is room (tables). */
  wide?: boolean;
  /** The section's id, for links to it. */
  id?: string;
}) {
  return (
    <section className={wide ? 'card wide' : 'card'} id={id}>
      {(title || actions) && (
        <div className="card-head">
          {title && <h2>{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

/** One labelled fact in a `<dl className="facts">`; nothing when there is no value. */
export function Fact({ label, value }: { label: string; value: string | null }) {
  if (value === null || value === '') return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * A column's heading: its text; with `numeric`, over figures (right-aligned); with `hidden`,
 * read only by screen readers (over a column of buttons).
 */
export type Column = string | { label: string; numeric?: boolean; hidden?: boolean };

/**
 * A table in a box that scrolls sideways on a narrow screen: a row of `columns` headings, then
 * `children`, the body's rows. `caption` names it for screen readers, or for everyone with
 * `showCaption`.
 */
export function Table({
  columns,
  caption,
  showCaption = false,
  className,
  testId,
  children,
}: {
  columns: readonly Column[];
  caption?: string;
  showCaption?: boolean;
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className={className ? `table ${className}` : 'table'} data-testid={testId}>
        {caption && <caption className={showCaption ? undefined : 'visually-hidden'}>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => {
              const {
                label,
                numeric = false,
                hidden = false,
              } = typeof column === 'string' ? { label: column } : column;
              return (
                <th key={label} scope="col" className={numeric ? 'num' : undefined}>
                  {hidden ? <span className="visually-hidden">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
