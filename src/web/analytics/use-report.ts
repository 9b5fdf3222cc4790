import { useQuery } from '@tanstack/react-query';
import type { Report, ReportName } from '../../core/insight/report-types.ts';
import { api } from '../app/api.ts';
import { apiPeriod, type ReportParams } from './report-params.ts';

/** One report for the page's period (and split, for the reports that take one). */
export function useReport<T extends Report>(name: T['report'] & ReportName, params: ReportParams, by: string | null) {
  const period = apiPeriod(params);
  return useQuery({
    queryKey: ['report', name, period.from, period.to, by],
    queryFn: () => api<T>(`/api/reports/${name}`, { query: { ...period, by } }),
    placeholderData: (previous) => previous,
  });
}
