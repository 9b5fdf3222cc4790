import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../app/api.ts';
import type { Page, TimelineEvent } from '../app/types.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

interface TimelineFilter {
  type?: string;
  source?: string;
  from?: string;
  to?: string;
}

/** Every event of the lead, newest first, grouped by day; more load as the reader scrolls. */
export function Timeline({ contactId }: { contactId: string }) {
  const { t, date, time } = useFormat();
  const [filter, setFilter] = useState<TimelineFilter>({});
  const query = useInfiniteQuery({
    queryKey: ['timeline', contactId, filter],
    queryFn: ({ pageParam }) =>
      api<Page<TimelineEvent>>(`/api/contacts/${contactId}/events`, {
        query: { ...filter, limit: 50, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const day = (name: string, end: boolean) => {
      const picked = value(name);
      return picked ? new Date(`${picked}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined;
    };
    setFilter({ type: value('type'), source: value('source'), from: day('from', false), to: day('to', true) });
  };
  const events = query.data?.pages.flatMap((page) => page.items) ?? [];
  const days = groupByDay(events);
  return (
    <Card title={t('timeline.title')}>
      <form className="filters compact" onSubmit={apply} aria-label={t('timeline.filters')}>
        <div className="field">
          <label htmlFor="timeline-type">{t('timeline.type')}</label>
          <select id="timeline-type" name="type" defaultValue="">
            <option value="">{t('leads.any')}</option>
            {['track', 'page', 'identify', 'group'].map((type) => (
              <option key={type} value={type}>
                {t(`timeline.types.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="timeline-source">{t('timeline.source')}</label>
          <input id="timeline-source" name="source" />
        </div>
        <div className="field">
          <label htmlFor="timeline-from">{t('timeline.from')}</label>
          <input id="timeline-from" name="from" type="date" />
        </div>
        <div className="field">
          <label htmlFor="timeline-to">{t('timeline.to')}</label>
          <input id="timeline-to" name="to" type="date" />
        </div>
        <button className="button" type="submit">
          {t('leads.apply')}
        </button>
      </form>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorNotice error={query.error} retry={() => query.refetch()} />
      ) : events.length === 0 ? (
        <p className="muted">{t('timeline.none')}</p>
      ) : (
        <div className="timeline" data-testid="timeline">
          {days.map(([day, items]) => (
            <section key={day} className="timeline-day">
              <h3>{date(items[0]?.occurredAt ?? day)}</h3>
              <ul className="plain-list">
                {items.map((event) => (
                  <li key={event.messageId} className="timeline-item">
                    <time dateTime={event.occurredAt}>{time(event.occurredAt)}</time>
                    <span className={`event-type type-${event.type}`}>{t(`timeline.types.${event.type}`)}</span>
                    <span className="event-text">
                      <EventText event={event} />
                    </span>
                    {event.source && <span className="sub">{event.source}</span>}
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <div ref={sentinel} />
          {query.isFetchingNextPage && <Loading />}
        </div>
      )}
    </Card>
  );
}

/** Events grouped by the reader's local calendar day, in order. */
function groupByDay(events: TimelineEvent[]): Array<[string, TimelineEvent[]]> {
  const days = new Map<string, TimelineEvent[]>();
  for (const event of events) {
    const at = new Date(event.occurredAt);
    const key = `${at.getFullYear()}-${at.getMonth()}-${at.getDate()}`;
    const list = days.get(key) ?? [];
    list.push(event);
    days.set(key, list);
  }
  return [...days.entries()];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** One line a person can read: what happened, with the detail that matters. */
function EventText({ event }: { event: TimelineEvent }) {
  const { t, number } = useFormat();
  const props = event.properties;
  if (event.type === 'page') {
    const page = text(props.title) ?? text(props.path) ?? text(props.url) ?? event.name ?? '';
    const seconds = typeof props.duration === 'number' ? props.duration : null;
    return (
      <>
        {t('timeline.viewed', { page })}
        {seconds !== null && <span className="sub"> · {t('timeline.seconds', { seconds: number(seconds) })}</span>}
      </>
    );
  }
  if (event.type === 'identify') return <>{t('timeline.identified')}</>;
  if (event.type === 'group') return <>{t('timeline.grouped', { company: text(props.name) ?? '' })}</>;
  const detail = text(props.title) ?? text(props.name) ?? text(props.plan) ?? text(props.subject);
  return (
    <>
      <strong>{event.name ?? t('timeline.types.track')}</strong>
      {detail && <span className="sub"> · {detail}</span>}
    </>
  );
}
