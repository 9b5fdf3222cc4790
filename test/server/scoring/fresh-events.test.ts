import { describe, expect, it } from 'vitest';
import { createFreshEvents } from '../../../src/server/scoring/fresh-events.ts';

const event = (id: string) => ({
  id,
  type: 'track' as const,
  name: 'Email Opened',
  properties: {},
  context: {},
  source: 'api',
  occurredAt: 0,
});

describe('the fresh-event shortcut', () => {
  it('hands each cached event out once and names the ones it does not have', () => {
    const fresh = createFreshEvents(10);
    fresh.put([event('a'), event('b')]);
    expect(fresh.take(['a', 'x'])).toEqual({ found: [event('a')], missing: ['x'] });
    expect(fresh.take(['a', 'b'])).toEqual({ found: [event('b')], missing: ['a'] });
  });

  it('stays within its bound by dropping the oldest entries', () => {
    const fresh = createFreshEvents(3);
    fresh.put(['1', '2', '3', '4', '5'].map(event));
    expect(fresh.take(['1', '2', '3', '4', '5']).missing).toEqual(['1', '2']);
  });
});
