import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngagedTime } from '../../src/snippet/engaged-time.ts';

/** A page as engaged time sees it: window and document listeners, visibility, a clock. */
function fakePage() {
  const listeners = new Map<string, Array<() => void>>();
  const on = (type: string, listener: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), listener]);
  const page = {
    at: 0,
    visibility: 'visible' as 'visible' | 'hidden',
    fire(type: string) {
      for (const listener of listeners.get(type) ?? []) listener();
    },
  };
  vi.stubGlobal('addEventListener', on);
  vi.stubGlobal('innerHeight', 800);
  vi.stubGlobal('scrollY', 0);
  vi.stubGlobal('document', {
    get visibilityState() {
      return page.visibility;
    },
    documentElement: { scrollHeight: 800 },
    body: { scrollHeight: 800 },
    addEventListener: on,
  });
  return page;
}

afterEach(() => vi.unstubAllGlobals());

describe('engaged time in the browser snippet', () => {
  it('counts visible, active time only: 30 s without activity and a hidden tab add nothing', () => {
    const page = fakePage();
    const time = createEngagedTime(() => page.at);
    page.at = 10_000;
    expect(time.report()).toEqual({ duration: 10, scrollDepth: 100 });
    // Left alone: counting stops 30 s after the last activity.
    page.at = 90_000;
    expect(time.report()?.duration).toBe(30);
    page.at = 95_000;
    page.fire('keydown');
    page.at = 105_000;
    expect(time.report()?.duration).toBe(40);
    // Hidden for a minute: nothing, whatever the activity.
    page.visibility = 'hidden';
    page.fire('visibilitychange');
    page.at = 165_000;
    page.fire('mousemove');
    expect(time.report()).toBeNull();
    page.visibility = 'visible';
    page.fire('visibilitychange');
    page.at = 170_000;
    expect(time.report()?.duration).toBe(45);
    // A new page view starts from zero.
    time.restart();
    page.at = 172_000;
    expect(time.report()?.duration).toBe(2);
  });
});
