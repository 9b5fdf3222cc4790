import { createEngagedTime } from './engaged-time.ts';
import { CAPTURE_ATTRIBUTE, readForm } from './form-capture.ts';
import { createSendQueue, type Message } from './send-queue.ts';
import { createStorage, randomId } from './storage.ts';
import { type Touches, updateTouches, utmParameters } from './touches.ts';

type Properties = Record<string, unknown>;

/** The snippet's API: `window.ripen` once the script has loaded. */
export interface Ripen {
  /** Records a page view (automatic on load and on single-page-app navigations). */
  page(name?: string, properties?: Properties): void;
  /** Records something the visitor did: `ripen.track('Demo Requested', { plan: 'pro' })`. */
  track(event: string, properties?: Properties): void;
  /** Names the visitor: their earlier anonymous page views and events move to the contact. */
  identify(email: string, traits?: Properties): void;
  /** Names the visitor's company by its domain, with traits (name, industry, employees…). */
  group(domain: string, traits?: Properties): void;
  /** Consent mode: `true` starts storing and sending (what was held comes too), `false` stops and forgets. */
  consent(granted: boolean): void;
  /** Runs a queued call, `['track', 'Demo Requested', {…}]`: what pages push before the script loads. */
  push(call: unknown): void;
}

declare global {
  interface Window {
    ripen?: unknown;
  }
}

const VERSION = '1';
const ID_KEY = 'ripen_id';
const CONSENT_KEY = 'ripen_consent';
/** Messages held in memory while consent is pending, at most. */
const MAX_HELD = 100;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const record = (value: unknown): Properties =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};

/** The browser says "do not track me": Global Privacy Control or Do Not Track. */
function privacySignal(): boolean {
  return (
    ('globalPrivacyControl' in navigator && navigator.globalPrivacyControl === true) || navigator.doNotTrack === '1'
  );
}

function start(script: HTMLScriptElement): void {
  const options = script.dataset;
  const writeKey = options.writeKey;
  const queued = window.ripen;
  // No key, or loaded twice (window.ripen is the API, not a queue): nothing to do.
  if (!writeKey || (queued !== undefined && !Array.isArray(queued))) return;
  const endpoint = `${options.api ?? new URL(script.src, location.href).origin}/v1/batch`;
  const blocked = options.privacySignals === 'honor' && privacySignal();
  let consent: 'granted' | 'pending' | 'denied' = blocked ? 'denied' : 'granted';
  const storage = createStorage(() => consent === 'granted');
  if (consent === 'granted' && options.consent === 'required' && storage.get(CONSENT_KEY) !== 'granted') {
    consent = 'pending';
  }
  const anonymousId = storage.get(ID_KEY) ?? randomId();
  storage.set(ID_KEY, anonymousId, true);
  const queue = createSendQueue(endpoint, writeKey, storage, () => consent === 'granted');
  const engaged = createEngagedTime();
  let touches: Touches = updateTouches(storage, new Date().toISOString());
  let held: Message[] = [];
  let referrer = document.referrer;
  let current: Properties = {};
  let currentUrl = '';
  let currentPath = '';

  const send = (type: Message['type'], fields: Properties) => {
    const message: Message = {
      ...fields,
      type,
      messageId: randomId(),
      anonymousId,
      timestamp: new Date().toISOString(),
      context: { library: { name: 'ripen.js', version: VERSION }, locale: navigator.language },
    };
    if (consent === 'granted') queue.add(message);
    else if (consent === 'pending' && held.length < MAX_HELD) held.push(message);
  };
  const reportEngagement = () => {
    const engagement = engaged.report();
    if (engagement && engagement.duration > 0) {
      send('track', { event: 'Page Engaged', properties: { ...current, ...engagement } });
    }
  };
  const leave = () => {
    reportEngagement();
    if (consent === 'granted') queue.beacon();
  };

  const api: Ripen = {
    page(name, properties) {
      engaged.restart();
      currentPath = location.pathname + location.search;
      currentUrl = location.href;
      current = { path: location.pathname, url: currentUrl, title: document.title };
      const page = { ...current, referrer, search: location.search, ...utmParameters(), ...touches };
      send('page', { ...(name ? { name } : {}), properties: { ...page, ...properties } });
    },
    track(event, properties) {
      send('track', { event, properties: { path: location.pathname, ...properties } });
    },
    identify(email, traits) {
      send('identify', { traits: { ...traits, email } });
    },
    group(domain, traits) {
      send('group', { groupId: domain, traits: { domain, ...traits } });
    },
    consent(granted) {
      if (blocked) return;
      if (!granted) {
        consent = 'denied';
        held = [];
        queue.clear();
        for (const key of [ID_KEY, CONSENT_KEY, 'ripen_touch']) storage.remove(key);
        return;
      }
      consent = 'granted';
      storage.set(CONSENT_KEY, 'granted', true);
      storage.set(ID_KEY, anonymousId, true);
      touches = updateTouches(storage, new Date().toISOString());
      for (const message of held) queue.add(message);
      held = [];
    },
    push(call) {
      if (!Array.isArray(call)) return;
      const [method, first, second] = call;
      if (method === 'page') api.page(text(first), record(second));
      else if (method === 'track' && text(first)) api.track(String(first), record(second));
      else if (method === 'identify' && text(first)) api.identify(String(first), record(second));
      else if (method === 'group' && text(first)) api.group(String(first), record(second));
      else if (method === 'consent') api.consent(first === true);
    },
  };

  // Single-page apps: a pushed history entry or a step back or forward is a new page view.
  const navigated = () => {
    if (location.pathname + location.search === currentPath) return;
    reportEngagement();
    referrer = currentUrl;
    api.page();
  };
  const pushState = history.pushState;
  history.pushState = function (...args: Parameters<History['pushState']>) {
    pushState.apply(this, args);
    navigated();
  };
  addEventListener('popstate', navigated);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') leave();
  });
  addEventListener('pagehide', leave);
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute(CAPTURE_ATTRIBUTE)) return;
      const captured = readForm(form);
      if (captured.email) api.identify(captured.email, captured.fields);
      api.track('Form Submitted', { form: captured.form, fields: captured.fields });
      // The page is usually about to be left: send now, with a beacon.
      if (consent === 'granted') queue.beacon();
    },
    true,
  );

  window.ripen = api;
  if (Array.isArray(queued)) for (const call of queued) api.push(call);
  if (options.autoPage !== 'false') api.page();
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement) start(script);
