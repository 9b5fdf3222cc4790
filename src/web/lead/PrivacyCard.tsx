import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../app/api.ts';
import { Card } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

/**
 * For admins: download everything held about the person (a data subject's access request),
 * and erase them on request after typing their email (or "erase" when there is none).
 */
export function PrivacyCard({ contactId, email }: { contactId: string; email: string | null }) {
  const { t } = useFormat();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const expected = email ?? 'erase';
  const matches = typed.trim().toLowerCase() === expected.toLowerCase();
  const erase = useMutation({
    mutationFn: () => {
      const body = { contactId, ...(reason.trim() ? { reason: reason.trim() } : {}) };
      return api('/api/privacy/erasures', { method: 'POST', body });
    },
    onSuccess: async () => {
      await client.invalidateQueries();
      navigate('/leads');
    },
  });
  return (
    <Card title={t('privacy.title')}>
      <p className="muted">{t('privacy.explain')}</p>
      <div className="stack">
        <a className="button" href={`/api/contacts/${encodeURIComponent(contactId)}/data`} download>
          {t('privacy.download')}
        </a>
        {!confirming && (
          <button type="button" className="button danger" onClick={() => setConfirming(true)}>
            {t('privacy.erase')}
          </button>
        )}
      </div>
      {confirming && (
        <form
          className="action-form erase-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (matches) erase.mutate();
          }}
        >
          <p>{t('privacy.eraseWarning')}</p>
          <div className="field">
            <label htmlFor="erase-confirm">{t('privacy.typeToConfirm', { value: expected })}</label>
            <input
              id="erase-confirm"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              autoComplete="off"
            />
          </div>
          <div className="field">
            <label htmlFor="erase-reason">{t('privacy.reason')}</label>
            <input
              id="erase-reason"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              maxLength={500}
            />
          </div>
          {erase.isError && (
            <p role="alert" className="error">
              {erase.error.message}
            </p>
          )}
          <div className="form-buttons">
            <button type="submit" className="button danger" disabled={!matches || erase.isPending}>
              {t('privacy.eraseNow')}
            </button>
            <button type="button" className="button ghost" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}
