import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { snippetTag, WRITE_KEY_PLACEHOLDER } from '../../core/snippet/snippet-tag.ts';
import { api } from '../app/api.ts';
import { Card, ErrorNotice, Loading } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';

const CALLS = `ripen.track('Demo Requested', { plan: 'pro' });
ripen.identify('ada@example.com', { firstName: 'Ada', title: 'CTO' });
ripen.group('example.com', { name: 'Example Ltd' });
ripen.consent(true);`;

const QUEUED = `window.ripen = window.ripen || [];
ripen.push(['track', 'Pricing Viewed']);`;

const FORM = '<form data-ripen-capture="contact"> … </form>';

/** Code wraps rather than pushing a phone's screen sideways. */
const WRAP = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;

/**
 * The website snippet: the `<script>` tag ready to paste (holding the write key just created,
 * which is shown only this once), its privacy options, and how pages call it.
 */
export default function SnippetInstructions({ writeKey }: { writeKey: string | null }) {
  const { t } = useFormat();
  const [consent, setConsent] = useState(false);
  const [signals, setSignals] = useState(false);
  const snippet = useQuery({ queryKey: ['snippet'], queryFn: () => api<{ path: string }>('/api/snippet') });
  if (snippet.isPending) return <Loading />;
  if (snippet.isError) return <ErrorNotice error={snippet.error} retry={() => snippet.refetch()} />;
  // The address this admin reaches Ripen at is the one websites will load the script from.
  const url = new URL(snippet.data.path, window.location.origin).href;
  const tag = snippetTag(url, writeKey ?? WRITE_KEY_PLACEHOLDER, {
    consent: consent ? 'required' : 'off',
    privacySignals: signals ? 'honor' : 'ignore',
  });
  return (
    <Card title={t('snippet.title')}>
      <div className="stack-form">
        <p>{t('snippet.intro')}</p>
        <p className="small">{writeKey ? t('snippet.withNewKey') : t('snippet.placeholder')}</p>
        <code className="secret" data-testid="snippet-tag">
          {tag}
        </code>
        <label className="check">
          <input type="checkbox" checked={consent} onChange={(event) => setConsent(event.target.checked)} />
          {t('snippet.consent')}
        </label>
        <label className="check">
          <input type="checkbox" checked={signals} onChange={(event) => setSignals(event.target.checked)} />
          {t('snippet.privacySignals')}
        </label>
        <p>{t('snippet.calls')}</p>
        <pre style={WRAP}>
          <code>{CALLS}</code>
        </pre>
        <p>{t('snippet.queued')}</p>
        <pre style={WRAP}>
          <code>{QUEUED}</code>
        </pre>
        <p>{t('snippet.forms')}</p>
        <pre style={WRAP}>
          <code>{FORM}</code>
        </pre>
      </div>
    </Card>
  );
}
