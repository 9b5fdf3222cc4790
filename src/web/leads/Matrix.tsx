import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { GRADES, TEMPERATURES_HOT_FIRST } from '../app/types.ts';
import { ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface Cells {
  cells: Array<{ grade: string; temperature: string; count: number }>;
}

/** Grade × temperature counts for the list's other filters; a cell filters the list. */
export function Matrix({
  filters,
  onPick,
}: {
  filters: Record<string, string>;
  onPick: (grade: string, temperature: string) => void;
}) {
  const { t, number } = useFormat();
  const { grade: pickedGrade, temperature: pickedTemperature, sort: _sort, ...others } = filters;
  const query = useQuery({
    queryKey: ['matrix', others],
    queryFn: () => api<Cells>('/api/contacts/matrix', { query: others }),
  });
  if (query.isError) return <ErrorNotice error={query.error} retry={() => query.refetch()} />;
  const count = (grade: string, temperature: string) =>
    query.data?.cells.find((cell) => cell.grade === grade && cell.temperature === temperature)?.count ?? 0;
  const max = Math.max(1, ...(query.data?.cells.map((cell) => cell.count) ?? [1]));
  return (
    <section className="card matrix-card" aria-busy={query.isPending}>
      <h2>{t('matrix.title')}</h2>
      <table className="matrix">
        <caption className="visually-hidden">{t('matrix.caption')}</caption>
        <thead>
          <tr>
            <td />
            {TEMPERATURES_HOT_FIRST.map((temperature) => (
              <th scope="col" key={temperature}>
                {t(`temperature.${temperature}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {GRADES.map((grade) => (
            <tr key={grade}>
              <th scope="row">{grade}</th>
              {TEMPERATURES_HOT_FIRST.map((temperature) => {
                const value = count(grade, temperature);
                const picked = pickedGrade === grade && pickedTemperature === temperature;
                return (
                  <td key={temperature}>
                    <button
                      type="button"
                      className={`matrix-cell${picked ? ' picked' : ''}`}
                      style={{ '--heat': String(value / max) } as React.CSSProperties}
                      aria-pressed={picked}
                      aria-label={t('matrix.cell', {
                        grade,
                        temperature: t(`temperature.${temperature}`),
                        count: value,
                      })}
                      onClick={() => onPick(grade, temperature)}
                    >
                      {query.isPending ? '…' : number(value)}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
