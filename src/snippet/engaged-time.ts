/** What a page view's engagement adds up to so far. */
export interface Engagement {
  /** Visible, active seconds on the page. */
  duration: number;
  /** How far down the page the visitor has seen, in percent (0-100). */
  scrollDepth: number;
}

export interface EngagedTime {
  /** Starts counting for a new page view (a load or a single-page-app navigation). */
  restart(): void;
  /** The engagement so far, or null when nothing grew since the last report. */
  report(): Engagement | null;
}

/** Without a key press, click, scroll or pointer move for this long, the visitor is away. */
const IDLE_MS = 30_000;
const ACTIVITY = ['mousemove', 'mousedown', 'keydown', 'scroll', 'touchstart', 'wheel'];

/**
 * Counts the time a page is visible and its visitor active: a hidden tab, or a visible one
 * left alone for 30 s, adds nothing. Time is added up at each change of state, so a report
 * is exact to the millisecond without a ticking timer.
 */
export function createEngagedTime(now: () => number = Date.now): EngagedTime {
  let engagedMs = 0;
  let since: number | null = null;
  let lastActive = now();
  let scrollDepth = 0;
  let reported = { duration: 0, scrollDepth: 0 };
  const visible = () => document.visibilityState === 'visible';

  const settle = () => {
    const at = now();
    if (since !== null) engagedMs += Math.max(0, Math.min(at, lastActive + IDLE_MS) - since);
    since = visible() && at - lastActive < IDLE_MS ? at : null;
  };
  const measureScroll = () => {
    const root = document.documentElement;
    const height = Math.max(root.scrollHeight, document.body?.scrollHeight ?? 0);
    const seen = height <= innerHeight ? 100 : ((scrollY + innerHeight) / height) * 100;
    scrollDepth = Math.max(scrollDepth, Math.min(100, Math.round(seen)));
  };
  const active = () => {
    settle();
    lastActive = now();
    if (since === null && visible()) since = lastActive;
  };

  for (const type of ACTIVITY) addEventListener(type, active, { passive: true, capture: true });
  addEventListener('scroll', measureScroll, { passive: true });
  document.addEventListener('visibilitychange', () => (visible() ? active() : settle()));
  if (visible()) since = lastActive;

  return {
    restart() {
      engagedMs = 0;
      scrollDepth = 0;
      reported = { duration: 0, scrollDepth: 0 };
      lastActive = now();
      since = visible() ? lastActive : null;
      measureScroll();
    },
    report() {
      settle();
      measureScroll();
      const current = { duration: Math.round(engagedMs / 1000), scrollDepth };
      if (current.duration <= reported.duration && current.scrollDepth <= reported.scrollDepth) return null;
      reported = current;
      return current;
    },
  };
}
