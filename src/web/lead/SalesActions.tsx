import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../app/api.ts';
import type { LeadPageData } from '../app/types.ts';
import { ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

type Form = 'touch' | 'qualify' | 'recycle' | 'disqualify' | 'reassign' | 'opportunity' | 'outcome' | 'reopen';

/** Refetch everything a sales action can change. */
export function useLeadActionDone() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      [['lead'], ['handoffs'], ['home'], ['contacts'], ['matrix'], ['timeline']].map((queryKey) =>
        client.invalidateQueries({ queryKey }),
      ),
    );
}

/** The actions the server says this person may take on this lead now, as on the inbox. */
export function SalesActions({ page }: { page: LeadPageData }) {
  const { t } = useFormat();
  const [open, setOpen] = useState<Form | null>(null);
  const done = useLeadActionDone();
  const id = page.contact.id;
  const action = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) =>
      api(`/api/contacts/${id}/${path}`, { method: 'POST', body: body ?? {} }),
    onSuccess: async () => {
      setOpen(null);
      await done();
    },
  });
  if (page.actions.length === 0) return null;
  const send = (path: string, body?: unknown) => action.mutate({ path, body });
  const submit = (path: string, shape: (form: FormData) => unknown) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send(path, shape(new FormData(event.currentTarget)));
  };
  const text = (form: FormData, name: string) => {
    const value = String(form.get(name) ?? '').trim();
    return value === '' ? undefined : value;
  };
  const money = (form: FormData) => {
    const amount = text(form, 'amount');
    return {
      amount: amount === undefined ? undefined : Number(amount),
      currency: text(form, 'currency')?.toUpperCase(),
    };
  };
  const toggle = (form: Form) => setOpen(open === form ? null : form);
  const has = (name: string) => page.actions.includes(name);
  return (
    <section className="card actions-card" aria-label={t('actions.title')}>
      <div className="action-buttons">
        {has('accept') && (
          <button type="button" className="button primary" disabled={action.isPending} onClick={() => send('accept')}>
            {t('actions.accept')}
          </button>
        )}
        {(['touch', 'qualify', 'opportunity', 'outcome', 'recycle', 'disqualify', 'reassign', 'reopen'] as const)
          .filter(has)
          .map((name) => (
            <button
              key={name}
              type="button"
              className={`button${name === 'disqualify' ? ' danger' : ''}`}
              aria-expanded={open === name}
              onClick={() => toggle(name)}
            >
              {t(`actions.${name}`)}
            </button>
          ))}
      </div>
      {action.isError && <ErrorNotice error={action.error} />}
      {open === 'touch' && (
        <fieldset className="action-form">
          <legend className="visually-hidden">{t('actions.touch')}</legend>
          {(['call', 'email', 'meeting'] as const).map((channel) => (
            <button key={channel} type="button" className="button" onClick={() => send('touch', { channel })}>
              {t(`touch.${channel}`)}
            </button>
          ))}
        </fieldset>
      )}
      {open === 'qualify' && (
        <form className="action-form" onSubmit={submit('qualify', (form) => bantOf(form))}>
          {(['budget', 'authority', 'need', 'timeline'] as const).map((field) => (
            <div className="field" key={field}>
              <label htmlFor={`bant-${field}`}>
                {t(`bant.${field}`)}
                {page.requiredBant.includes(field) && (
                  <span className="muted" aria-hidden="true">
                    {' '}
                    *
                  </span>
                )}
              </label>
              <input
                id={`bant-${field}`}
                name={field}
                defaultValue={page.contact.qualification[field] ?? ''}
                maxLength={2000}
              />
            </div>
          ))}
          <button className="button primary" type="submit" disabled={action.isPending}>
            {t('actions.saveQualification')}
          </button>
        </form>
      )}
      {(open === 'recycle' || open === 'disqualify') && (
        <form className="action-form" onSubmit={submit(open, (form) => ({ reason: text(form, 'reason') }))}>
          <div className="field">
            <label htmlFor="reason">{t('actions.reason')}</label>
            <select id="reason" name="reason" required>
              {page.reasons[open].map((reason) => (
                <option key={reason} value={reason}>
                  {reason}
                </option>
              ))}
            </select>
          </div>
          <button className={`button ${open === 'disqualify' ? 'danger' : 'primary'}`} type="submit">
            {t(`actions.${open}`)}
          </button>
        </form>
      )}
      {open === 'reassign' && (
        <form className="action-form" onSubmit={submit('reassign', (form) => ({ owner: text(form, 'owner') }))}>
          <div className="field">
            <label htmlFor="new-owner">{t('actions.newOwner')}</label>
            <input id="new-owner" name="owner" type="email" required />
          </div>
          <button className="button primary" type="submit">
            {t('actions.reassign')}
          </button>
        </form>
      )}
      {open === 'opportunity' && (
        <form className="action-form" onSubmit={submit('opportunity', money)}>
          <MoneyFields />
          <button className="button primary" type="submit">
            {t('actions.opportunity')}
          </button>
        </form>
      )}
      {open === 'outcome' && (
        <form
          className="action-form"
          onSubmit={submit('outcome', (form) => ({
            outcome: text(form, 'outcome'),
            reason: text(form, 'outcome') === 'lost' ? text(form, 'lostReason') : undefined,
            ...money(form),
          }))}
        >
          <div className="field">
            <label htmlFor="outcome">{t('actions.outcome')}</label>
            <select id="outcome" name="outcome">
              <option value="won">{t('actions.won')}</option>
              <option value="lost">{t('actions.lost')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="lost-reason">{t('actions.lostReason')}</label>
            <select id="lost-reason" name="lostReason">
              {page.reasons.lost.map((reason) => (
                <option key={reason} value={reason}>
                  {reason}
                </option>
              ))}
            </select>
          </div>
          <MoneyFields />
          <button className="button primary" type="submit">
            {t('actions.recordOutcome')}
          </button>
        </form>
      )}
      {open === 'reopen' && (
        <div className="action-form">
          <p>{t('actions.reopenConfirm')}</p>
          <button type="button" className="button primary" onClick={() => send('reopen')}>
            {t('actions.reopen')}
          </button>
        </div>
      )}
    </section>
  );
}

function bantOf(form: FormData) {
  const bant: Record<string, string> = {};
  for (const field of ['budget', 'authority', 'need', 'timeline']) {
    const value = String(form.get(field) ?? '').trim();
    if (value) bant[field] = value;
  }
  return bant;
}

function MoneyFields() {
  const { t } = useFormat();
  return (
    <>
      <div className="field">
        <label htmlFor="amount">{t('actions.amount')}</label>
        <input id="amount" name="amount" type="number" min="0" step="0.01" inputMode="decimal" />
      </div>
      <div className="field">
        <label htmlFor="currency">{t('actions.currency')}</label>
        <input id="currency" name="currency" pattern="[A-Za-z]{3}" maxLength={3} placeholder="EUR" />
      </div>
    </>
  );
}
