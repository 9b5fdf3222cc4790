import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

interface Line {
  kind: string;
  rule?: string;
  matched?: number;
}

async function longVisitsOf(userId: string): Promise<number | undefined> {
  const { id } = await t.db.selectFrom('contacts').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  const explanation = (await t.get(`/api/contacts/${id}/score`)).json();
  const lines: Line[] = explanation.engagement.lines;
  return lines.find((line) => line.rule === 'long-visit')?.matched;
}

describe('engaged time from the browser snippet in the default playbook', () => {
  it.each([
    ['a Page Engaged event of two minutes or more counts as a long visit', 'snippet-reader', 'Page Engaged', 150, 1],
    ['a shorter Page Engaged event does not', 'snippet-skimmer', 'Page Engaged', 119, undefined],
    ['another event with a duration does not', 'video-watcher', 'Video Played', 600, undefined],
  ])('%s', async (_name, userId, event, duration, matched) => {
    const response = await t.send('/v1/batch', {
      batch: [
        { type: 'identify', userId, messageId: `${userId}-1`, traits: { email: `${userId}@acme-widgets.example` } },
        { type: 'track', userId, messageId: `${userId}-2`, event, properties: { path: '/blog/x', duration } },
      ],
    });
    expect(response.json().errors).toEqual([]);
    expect(await longVisitsOf(userId)).toBe(matched);
  });
});
