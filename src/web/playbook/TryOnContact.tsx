import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../app/api.ts';
import type { Contact, Page } from '../app/types.ts';
import { Card, ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import type { Tried } from './playbook-api.ts';

/** Scores one contact with the draft, beside today's explanation. */
export function TryOnContact({ source }: { source: string }) {
  const { t, points } = useFormat();
  const tryIt = useMutation({
    mutationFn: async (text: string) => {
      const found = await api<Page<Contact>>('/api/contacts', { query: { q: text, limit: 1 } });
      const contact = found.items[0];
      if (!contact) throw new Error(t('playbook.noContact', { text }));
      const tried = await api<Tried>('/api/playbook/try', { method: 'POST', body: { source, contactId: contact.id } });
      return { contact, tried };
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('contact') ?? '').trim();
    if (text) tryIt.mutate(text);
  };
  const result = tryIt.data;
  return (
    <Card title={t('playbook.try')}>
      <form className="filters" onSubmit={submit}>
        <div className="field grow">
          <label htmlFor="try-contact">{t('playbook.tryWho')}</label>
          <input id="try-contact" name="contact" placeholder={t('leads.searchHint')} />
        </div>
        <button className="button" type="submit" disabled={tryIt.isPending}>
          {t('playbook.tryButton')}
        </button>
      </form>
      {tryIt.isError && <ErrorNotice error={tryIt.error} />}
      {result && !result.tried.valid && <ErrorNotice error={new Error(result.tried.issues[0]?.message ?? '')} />}
      {result?.tried.draft && (
        <div className="try-columns" data-testid="try-result">
          {(
            [
              ['playbook.today', result.tried.current],
              ['playbook.withDraft', result.tried.draft],
            ] as const
          ).map(([label, explanation]) => (
            <div key={label} className="try-column">
              <h3>{t(label)}</h3>
              {explanation ? (
                <dl className="facts">
                  <div>
                    <dt>{t('lead.score')}</dt>
                    <dd className="big-figure" data-value={explanation.combined.points}>
                      {points(explanation.combined.points)}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('lead.fit')}</dt>
                    <dd>
                      {points(explanation.fit.points)} · {explanation.fit.grade}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('lead.engagement')}</dt>
                    <dd>
                      {points(explanation.engagement.points)} · {t(`temperature.${explanation.engagement.temperature}`)}
                    </dd>
                  </div>
                  {[...explanation.fit.lines, ...explanation.engagement.lines]
                    .filter((line) => line.kind === 'rule')
                    .map((line) => (
                      <div key={`${line.group}-${line.rule}`}>
                        <dt>{line.label ?? line.rule}</dt>
                        <dd>{points(line.points)}</dd>
                      </div>
                    ))}
                </dl>
              ) : (
                <p className="muted">—</p>
              )}
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}
