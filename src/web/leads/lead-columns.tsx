import { useState } from 'react';
import { useFormat } from '../i18n/use-format.ts';

export const LEAD_COLUMNS = [
  'jobTitle',
  'stage',
  'cell',
  'score',
  'fit',
  'engagement',
  'predicted',
  'owner',
  'country',
  'updated',
] as const;
export type LeadColumn = (typeof LEAD_COLUMNS)[number];

const DEFAULT: LeadColumn[] = ['jobTitle', 'stage', 'cell', 'score', 'owner'];
const STORAGE_KEY = 'ripen.leadColumns';

/** The columns this person chose to see, kept on this device. */
export function useColumnChoice(): [LeadColumn[], (columns: LeadColumn[]) => void] {
  const [columns, setColumns] = useState<LeadColumn[]>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
      if (Array.isArray(saved)) return LEAD_COLUMNS.filter((column) => saved.includes(column));
    } catch {
      // unreadable or blocked storage: the default columns
    }
    return DEFAULT;
  });
  const choose = (next: LeadColumn[]) => {
    setColumns(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // blocked storage: the choice lasts until reload
    }
  };
  return [columns, choose];
}

export function LeadColumns({ chosen, onChange }: { chosen: LeadColumn[]; onChange: (columns: LeadColumn[]) => void }) {
  const { t } = useFormat();
  return (
    <fieldset className="columns-choice">
      <legend>{t('leads.columnsLegend')}</legend>
      {LEAD_COLUMNS.map((column) => (
        <label key={column} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(column)}
            onChange={(event) =>
              onChange(LEAD_COLUMNS.filter((each) => (each === column ? event.target.checked : chosen.includes(each))))
            }
          />
          {t(`leads.col.${column}`)}
        </label>
      ))}
    </fieldset>
  );
}
