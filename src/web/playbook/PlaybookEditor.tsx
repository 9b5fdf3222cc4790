import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { unifiedMergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef, useState } from 'react';
import { setYamlValue } from '../../core/playbook/set-yaml-value.ts';
import { api } from '../app/api.ts';
import { Card, ErrorNotice } from '../app/ui.tsx';
import { useFormat } from '../i18n/use-format.ts';
import { BacktestCard } from './BacktestCard.tsx';
import type { KnobPath } from './draft-knobs.ts';
import { ImpactPreview } from './ImpactPreview.tsx';
import { PlaybookForm } from './PlaybookForm.tsx';
import type { Impact, PlaybookIssue, PublishedPlaybook, Validation } from './playbook-api.ts';
import { RescoringProgress } from './RescoringProgress.tsx';
import { SuggestionCard } from './SuggestionCard.tsx';
import { TryOnContact } from './TryOnContact.tsx';

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
 * The draft in a YAML editor beside a form for its common settings: the server's validation
 * shown at the line it names, a diff against the published version, the draft tried on any
 * contact, its impact previewed over every contact, a backtest of it on past events and
 * outcomes, and publishing with a confirmation and the rescoring's progress.
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
      // A tab stop axe can see: the editor scrolls, and its text must be reachable by keyboard.
      EditorView.contentAttributes.of({ 'aria-label': t('playbook.editorLabel'), tabindex: '0' }),
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
  const impact = useMutation({
    mutationFn: (text: string) => api<Impact>('/api/playbook/impact', { method: 'POST', body: { source: text } }),
  });
  const confirmPublish = () => {
    const version = published.version + 1;
    const previewed = impact.data && impact.variables === source ? impact.data : null;
    return window.confirm(
      previewed
        ? t('playbook.publishConfirmImpact', {
            version,
            grade: previewed.changed.grade,
            stage: previewed.changed.stage,
          })
        : t('playbook.publishConfirm', { version }),
    );
  };
  // A form field edits the editor's own text (never a stale copy), as one undoable change.
  const setInEditor = (path: KnobPath, value: number | string) => {
    const editor = view.current;
    const change = editor ? setYamlValue(editor.state.doc.toString(), path, value) : null;
    if (editor && change) editor.dispatch({ changes: change });
  };
  const replaceDraft = (text: string) => {
    view.current?.dispatch({ changes: { from: 0, to: view.current.state.doc.length, insert: text } });
  };
  const reset = () => replaceDraft(published.source);
  const changed = source !== published.source;
  const [suggestionLoaded, setSuggestionLoaded] = useState(false);
  const loadSuggestion = (draft: string) => {
    if (changed && !window.confirm(t('playbook.suggest.replaceConfirm'))) return;
    replaceDraft(draft);
    setSuggestionLoaded(true);
    host.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const errors = validation?.issues.length ?? 0;
  return (
    <>
      <RescoringProgress />
      <div className="editor-columns">
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
                  if (confirmPublish()) publish.mutate();
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
          {suggestionLoaded && (
            <p className="notice ok" role="status">
              {t('playbook.suggest.loaded')}
            </p>
          )}
          {publish.isError && <ErrorNotice error={publish.error} />}
          {publish.isSuccess && (
            <p className="notice ok" role="status">
              {t('playbook.publishedNow', { version: publish.data.version })}
            </p>
          )}
          <div className="editor" ref={host} data-testid="playbook-editor" />
        </Card>
        <PlaybookForm source={source} onSet={setInEditor} />
      </div>
      <ImpactPreview impact={impact} source={source} disabled={errors > 0} />
      <BacktestCard source={source} disabled={errors > 0} />
      <SuggestionCard onLoad={loadSuggestion} />
      <TryOnContact source={source} />
    </>
  );
}
