/** How the snippet treats privacy, as the workspace chooses it in Settings → API keys. */
export interface SnippetOptions {
  /** `required`: nothing is stored or sent before the page calls `ripen.consent(true)`. */
  consent: 'required' | 'off';
  /** `honor`: a browser sending Global Privacy Control or Do Not Track is never tracked. */
  privacySignals: 'honor' | 'ignore';
}

export const DEFAULT_SNIPPET_OPTIONS: SnippetOptions = { consent: 'off', privacySignals: 'ignore' };

/** Stands in for the key where none is given (the key is shown once, when it is created). */
export const WRITE_KEY_PLACEHOLDER = 'YOUR_WRITE_KEY';

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The `<script>` tag a website pastes into its pages: the versioned script, loaded async, with
 * the public write key and the privacy options as data attributes (the snippet reads them).
 */
export function snippetTag(scriptUrl: string, writeKey: string, options: SnippetOptions): string {
  const attributes = [`async src="${attribute(scriptUrl)}"`, `data-write-key="${attribute(writeKey)}"`];
  if (options.consent === 'required') attributes.push('data-consent="required"');
  if (options.privacySignals === 'honor') attributes.push('data-privacy-signals="honor"');
  return `<script ${attributes.join(' ')}></script>`;
}
