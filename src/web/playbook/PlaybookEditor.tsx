import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { unifiedMergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { basicSetup, EditorView } from 'codemirror';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../app/api.ts';
import type { Contact, Page } from '../app/types.ts';
import { Card, ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import type { PlaybookIssue, PublishedPlaybook, Tried, Validation } from './playbook-api.ts';
import { RescoringProgress } from './RescoringProgress.tsx';

const DRAFT_KEY = 'ripen.playbookDraft';

function savedDraft(published: PublishedPlaybook): string {
  try {
    const saved = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as { base: number; source: string } | null;
    if (saved && saved.base === published.version) return saved.source;
  } catch {
    // unreadable or blocked storage: start from the published version
  }
  return published.source;
}

/** An issue placed where the server says it is: its line (and column), or the whole first line. */
function toDiagnostic(view: EditorView, issue: PlaybookIssue, severity: 'error' | 'warning'): Diagnostic {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(issue.line ?? 1, 1), doc.lines));
  const from = Math.min(line.from + Math.max((issue.column ?? 1) - 1, 0), line.to);
  return { from, to: Math.max(line.to, from), severity, message: issue.message };
}

/**
 * The draft in a YAML editor: the server's validation shown at the line it names, a diff
 * against the published version, the draft tried on any contact, and publishing with
 * a confirmation and the rescoring's progress.
 */
export default function PlaybookEditor({ published }: { published: PublishedPlaybook }) {
  const { t } = useFormat();
  const client = useQueryClient();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [showDiff, setShowDiff] = useState(false);
  const [source, setSource] = useState(() => savedDraft(published));
  const [validation, setValidation] = useState<Validation | null>(null);

  // The editor is rebuilt only when the diff is switched on or off or a new version is
  // published; between those it owns the text, and `source` follows it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (!host.current) return;
    const validate = linter(
      async (editor) => {
        const text = editor.state.doc.toString();
        const result = await api<Validation>('/api/playbook/validate', {
          method: 'POST',
          body: { source: text },
        }).catch(() => null);
        if (!result) return [];
        setValidation(result);
        return [
          ...result.issues.map((issue) => toDiagnostic(editor, issue, 'error')),
          ...result.warnings.map((issue) => toDiagnostic(editor, issue, 'warning')),
        ];
      },
      { delay: 600 },
    );
    const extensions = [
      // CodeMirror injects its styles in a <style>: the page's nonce lets the CSP allow it.
      EditorView.cspNonce.of(document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? ''),
      basicSetup,
      yaml(),
      validate,
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': t('playbook.editorLabel') }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        const text = update.state.doc.toString();
        setSource(text);
        try {
          localStorage.setItem(DRAFT_KEY, JSON.stringify({ base: published.version, source: text }));
        } catch {
          // blocked storage: the draft lasts until the page closes
        }
      }),
      ...(showDiff
        ? [
            unifiedMergeView({
              original: published.source,
              mergeControls: false,
              collapseUnchanged: { margin: 3, minSize: 6 },
            }),
          ]
        : []),
    ];
    const editor = new EditorView({
      state: EditorState.create({ doc: source, extensions }),
      parent: host.current,
    });
    view.current = editor;
    return () => editor.destroy();
  }, [showDiff, published.version]);

  const publish = useMutation({
    mutationFn: () => api<{ version: number }>('/api/playbook/publish', { method: 'POST', body: { source } }),
    onSuccess: async () => {
      try {
        localStorage.removeItem(DRAFT_KEY);
      } catch {
        // nothing to clean
      }
      await Promise.all(
        [['playbook'], ['playbook-versions'], ['rescoring']].map((queryKey) => client.invalidateQueries({ queryKey })),
      );
    },
  });
  const reset = () => {
    view.current?.dispatch({ changes: { from: 0, to: view.current.state.doc.length, insert: published.source } });
  };
  const changed = source !== published.source;
  const errors = validation?.issues.length ?? 0;
  return (
    <>
      <RescoringProgress />
      <Card
        title={t('playbook.draft')}
        actions={
          <div className="action-buttons">
            <label className="check">
              <input type="checkbox" checked={showDiff} onChange={(event) => setShowDiff(event.target.checked)} />
              {t('playbook.showDiff')}
            </label>
            <button type="button" className="button ghost" onClick={reset} disabled={!changed}>
              {t('playbook.discard')}
            </button>
            <button
              type="button"
              className="button primary"
              disabled={!changed || errors > 0 || publish.isPending}
              onClick={() => {
                if (window.confirm(t('playbook.publishConfirm', { version: published.version + 1 }))) publish.mutate();
              }}
            >
              {t('playbook.publish')}
            </button>
          </div>
        }
      >
        <p className="muted small" role="status" data-testid="validation">
          {validation === null
            ? t('playbook.checking')
            : errors > 0
              ? t('playbook.errors', { count: errors })
              : t('playbook.valid', { warnings: validation.warnings.length })}
        </p>
        {publish.isError && <ErrorNotice error={publish.error} />}
        {publish.isSuccess && (
          <p className="notice ok" role="status">
            {t('playbook.publishedNow', { version: publish.data.version })}
          </p>
        )}
        <div className="editor" ref={host} data-testid="playbook-editor" />
      </Card>
      <TryOnContact source={source} />
    </>
  );
}

/** Scores one contact with the draft, beside today's explanation. */
function TryOnContact({ source }: { source: string }) {
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
