import { useFormat } from '../i18n/use-format.ts';
import { PRESET_MONTHS, presetPeriod } from './report-params.ts';

/** First and last day (`YYYY-MM-DD`, both included). */
export interface Period {
  from: string;
  to: string;
}

/**
 * The last 3, 6 and 12 months up to `end`, as toggle buttons: the one matching `period` is
 * pressed. Shared by the analytics page and the playbook's backtest.
 */
export function PeriodPresets({
  period,
  end,
  onPick,
}: {
  period: Period;
  end: Date;
  onPick: (period: Period) => void;
}) {
  const { t } = useFormat();
  return (
    <fieldset className="presets">
      <legend className="visually-hidden">{t('analytics.presets')}</legend>
      {PRESET_MONTHS.map((months) => {
        const preset = presetPeriod(months, end);
        const picked = preset.from === period.from && preset.to === period.to;
        return (
          <button
            key={months}
            type="button"
            className={picked ? 'button picked' : 'button ghost'}
            aria-pressed={picked}
            onClick={() => onPick(preset)}
          >
            {t('analytics.lastMonths', { count: months })}
          </button>
        );
      })}
    </fieldset>
  );
}

/**
 * The period's first and last day as two date fields (`{idPrefix}-from`, `{idPrefix}-to`), each
 * kept on the right side of the other; an emptied field changes nothing.
 */
export function PeriodDates({
  idPrefix,
  period,
  latest,
  onChange,
}: {
  idPrefix: string;
  period: Period;
  /** The last day that can be picked, if any. */
  latest?: string;
  onChange: (change: Partial<Period>) => void;
}) {
  const { t } = useFormat();
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>{t('analytics.from')}</label>
        <input
          id={`${idPrefix}-from`}
          type="date"
          value={period.from}
          max={period.to}
          onChange={(event) => event.target.value && onChange({ from: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>{t('analytics.to')}</label>
        <input
          id={`${idPrefix}-to`}
          type="date"
          value={period.to}
          min={period.from}
          max={latest}
          onChange={(event) => event.target.value && onChange({ to: event.target.value })}
        />
      </div>
    </>
  );
}
