import type { Storage } from './storage.ts';

/** Where a visit came from: its UTM parameters, referrer and landing page. */
export type Touch = Record<string, string>;

export interface Touches {
  firstTouch: Touch;
  lastTouch: Touch;
}

const TOUCH_KEY = 'ripen_touch';
const UTM = ['source', 'medium', 'campaign', 'term', 'content'];

/** The current URL's `utm_*` parameters. */
export function utmParameters(): Touch {
  const query = new URLSearchParams(location.search);
  const utm: Touch = {};
  for (const name of UTM) {
    const value = query.get(`utm_${name}`);
    if (value) utm[`utm_${name}`] = value.slice(0, 200);
  }
  return utm;
}

function externalReferrer(): string {
  try {
    const referrer = document.referrer;
    return referrer && new URL(referrer).host !== location.host ? referrer : '';
  } catch {
    return '';
  }
}

/**
 * First touch and last touch, updated on each page load: a visit with UTM parameters or from
 * another site is a new touch; browsing within the site keeps the last one. The very first
 * visit is a touch even when direct, so first touch always says where someone landed.
 */
export function updateTouches(storage: Storage, at: string): Touches {
  let stored: Partial<Touches> = {};
  try {
    stored = JSON.parse(storage.get(TOUCH_KEY) ?? '{}');
  } catch {
    // A damaged value starts over.
  }
  const referrer = externalReferrer();
  const utm = utmParameters();
  const fresh = referrer !== '' || Object.keys(utm).length > 0;
  const touch: Touch = { ...utm, referrer, landing_page: location.href.slice(0, 1000), at };
  const touches = {
    firstTouch: stored.firstTouch ?? touch,
    lastTouch: fresh || !stored.lastTouch ? touch : stored.lastTouch,
  };
  storage.set(TOUCH_KEY, JSON.stringify(touches));
  return touches;
}
