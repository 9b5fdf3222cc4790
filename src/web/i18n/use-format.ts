import { useMemo } from 'react';
import { useIntl } from 'react-intl';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Messages, numbers, dates and durations in the reader's language, all through Intl. */
export function useFormat() {
  const intl = useIntl();
  return useMemo(() => {
    const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
    const number = (value: number, digits = 0) =>
      intl.formatNumber(value, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    const points = (value: number) => intl.formatNumber(value, { maximumFractionDigits: 2, minimumFractionDigits: 0 });
    const signedPoints = (value: number) =>
      intl.formatNumber(value, { maximumFractionDigits: 2, minimumFractionDigits: 0, signDisplay: 'exceptZero' });
    const percent = (share: number) => intl.formatNumber(share, { style: 'percent', maximumFractionDigits: 0 });
    const dateTime = (iso: string) =>
      intl.formatDate(iso, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    const date = (iso: string) =>
      intl.formatDate(iso, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
    const time = (iso: string) => intl.formatTime(iso, { hour: '2-digit', minute: '2-digit' });
    /** "in 3 hours", "2 days ago": the largest unit that fits. */
    const relative = (iso: string, now: number) => {
      const ms = Date.parse(iso) - now;
      const abs = Math.abs(ms);
      if (abs < HOUR) return intl.formatRelativeTime(Math.round(ms / MINUTE), 'minute', { numeric: 'auto' });
      if (abs < DAY) return intl.formatRelativeTime(Math.round(ms / HOUR), 'hour', { numeric: 'auto' });
      return intl.formatRelativeTime(Math.round(ms / DAY), 'day', { numeric: 'auto' });
    };
    /** "3 days", "5 hours": how long something lasted. */
    const duration = (ms: number) => {
      const [value, unit] =
        ms >= DAY ? [ms / DAY, 'day'] : ms >= HOUR ? [ms / HOUR, 'hour'] : [Math.max(ms / MINUTE, 0), 'minute'];
      return intl.formatNumber(Math.round(value * 10) / 10, { style: 'unit', unit, unitDisplay: 'long' });
    };
    /** A countdown to a deadline, "2:05:09", negative past it. */
    const countdown = (ms: number) => {
      const sign = ms < 0 ? '−' : '';
      const total = Math.floor(Math.abs(ms) / 1000);
      const hours = Math.floor(total / 3600);
      const minutes = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
      const seconds = String(total % 60).padStart(2, '0');
      return `${sign}${hours}:${minutes}:${seconds}`;
    };
    return { t, number, points, signedPoints, percent, dateTime, date, time, relative, duration, countdown, intl };
  }, [intl]);
}
