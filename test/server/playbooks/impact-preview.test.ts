import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { previewDraftImpact } from '../../../src/server/playbooks/preview-impact.ts';
import { createUser } from '../../../src/server/users/create-user.ts';
import { SESSION_COOKIE } from '../../../src/server/users/sessions.ts';
import { handoffDriver } from '../handoff/handoff-helpers.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();
const drive = handoffDriver(t);
const DEFAULT = readFileSync(new URL('../../../playbooks/default.yaml', import.meta.url), 'utf8');

/**
 * Managers are worth 30 fit instead of 15, engagement from 25 qualifies a good fit, and a
 * trial takes 10 away instead of adding 30.
 */
const DRAFT = DEFAULT.replace(/(id: manager[\s\S]*?points: )15/, '$130')
  .replace('when: fit >= 50 and engagement >= 50', 'when: fit >= 50 and engagement >= 25')
  .replace(/(id: trial-started[\s\S]*?points: )30/, '$1-10');

let sequence = 0;
async function lead(userId: string, traits: Record<string, unknown>, events: string[]): Promise<string> {
  const messageId = () => `impact-${++sequence}`;
  const batch = [
    { type: 'identify', userId, messageId: messageId(), traits: { phone: '+1 555', ...traits } },
    ...events.map((event) => ({ type: 'track', userId, messageId: messageId(), event })),
  ];
  expect((await t.send('/v1/batch', { batch })).json().errors).toEqual([]);
  const row = await t.db.selectFrom('contacts').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  return row.id;
}

async function preview(source: string, authorization = t.secretAuth) {
  return t.app.inject({ method: 'POST', url: '/api/playbook/impact', payload: { source }, headers: { authorization } });
}

/** Everything a preview could be tempted to write. */
async function snapshot() {
  const contacts = await t.db
    .selectFrom('contacts')
    .select(['id', 'fit', 'engagement', 'score', 'grade', 'temperature', 'stage', 'playbook_version', 'updated_at'])
    .orderBy('id')
    .execute();
  const counts = await Promise.all(
    (
      ['stage_history', 'handoffs', 'webhook_messages', 'rescore_runs', 'playbook_versions', 'score_queue'] as const
    ).map(
      async (table) =>
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
    ),
  );
  return { contacts, counts };
}

describe('the impact of a draft, before it is published', () => {
  let asked = '';
  let manager = '';
  let trialist = '';

  it('counts the leads whose grade, temperature and stage would change, with examples, and writes nothing', async () => {
    // A VP asking for a demo: B, warm, MQL by the fast lane; the draft changes nothing for them.
    asked = await drive.handRaiser('impact-asked', { email: 'asked@acme.example', firstName: 'Asa' });
    // A marketing manager (fit 40, C) who looked at pricing twice and attended a webinar (30, warm): a lead.
    manager = await lead(
      'impact-manager',
      { email: 'max@acme.example', firstName: 'Max', lastName: 'Ng', title: 'Marketing Manager' },
      ['Pricing Viewed', 'Pricing Viewed', 'Webinar Attended'],
    );
    // A VP (fit 55, B) on a trial who looked at pricing twice (50, warm): an MQL by `good-fit-engaged`.
    trialist = await lead('impact-trial', { email: 'tess@acme.example', title: 'VP Marketing' }, [
      'Trial Started',
      'Pricing Viewed',
      'Pricing Viewed',
    ]);
    const stages = await t.db.selectFrom('contacts').select(['id', 'stage', 'grade', 'temperature']).execute();
    expect(new Map(stages.map((row) => [row.id, [row.stage, row.grade, row.temperature]]))).toEqual(
      new Map([
        [asked, ['mql', 'B', 'warm']],
        [manager, ['lead', 'C', 'warm']],
        [trialist, ['mql', 'B', 'warm']],
      ]),
    );
    const before = await snapshot();

    const response = await preview(DRAFT);
    expect(response.statusCode).toBe(200);
    const impact = response.json();
    expect(impact).toMatchObject({
      version: 1,
      contacts: 3,
      scoreChanged: 2,
      changed: { grade: 1, temperature: 1, stage: 1, unqualified: 1 },
      transitions: {
        grade: [{ from: 'C', to: 'B', count: 1 }],
        temperature: [{ from: 'warm', to: 'cold', count: 1 }],
        stage: [{ from: 'lead', to: 'mql', count: 1 }],
      },
    });
    expect(impact.examples.grade).toEqual([
      {
        id: manager,
        name: 'Max Ng',
        email: 'max@acme.example',
        before: { score: 35, fit: 40, engagement: 30, grade: 'C', temperature: 'warm', stage: 'lead' },
        after: { score: 42.5, fit: 55, engagement: 30, grade: 'B', temperature: 'warm', stage: 'mql' },
      },
    ]);
    expect(impact.examples.stage.map((example: { id: string }) => example.id)).toEqual([manager]);
    expect(impact.examples.temperature).toEqual([
      {
        id: trialist,
        name: null,
        email: 'tess@acme.example',
        before: { score: 52.5, fit: 55, engagement: 50, grade: 'B', temperature: 'warm', stage: 'mql' },
        after: { score: 32.5, fit: 55, engagement: 10, grade: 'B', temperature: 'cold', stage: 'mql' },
      },
    ]);
    expect(impact.examples.unqualified.map((example: { id: string }) => example.id)).toEqual([trialist]);
    expect(await snapshot()).toEqual(before);
  });

  it('gives the same answer read in batches of any size', async () => {
    const withoutTime = ({ tookMs: _tookMs, ...figures }: { tookMs: number }) => figures;
    const whole = (await preview(DRAFT)).json();
    const deps = { db: t.db, playbooks: t.playbooks, clock: () => t.clock.now };
    for (const batchSize of [1, 2]) {
      const batched = await previewDraftImpact(deps, t.workspaceId, DRAFT, { batchSize });
      if (!batched.ok) throw new Error(batched.error.message);
      expect(withoutTime(batched.value)).toEqual(withoutTime(whole));
    }
  });

  it('finds no change in the published playbook itself', async () => {
    const impact = (await preview(DEFAULT)).json();
    expect(impact.contacts).toBe(3);
    expect([impact.scoreChanged, impact.changed]).toEqual([0, { grade: 0, temperature: 0, stage: 0, unqualified: 0 }]);
  });

  it('answers an invalid draft with the issues the validation shows', async () => {
    const broken = DEFAULT.replace('grades: { A: 70, B: 50, C: 30 }', 'grades: { A: 70, B: lots, C: 30 }');
    const response = await preview(broken);
    expect(response.statusCode).toBe(400);
    const validation = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/validate',
      payload: { source: broken },
      headers: { authorization: t.secretAuth },
    });
    expect(validation.json().valid).toBe(false);
    expect(response.json().error.code).toBe('invalid_playbook');
    expect(response.json().error.details).toEqual(validation.json().issues);
    expect(response.json().error.message).toBe(validation.json().issues[0].message);
  });

  it('refuses a rep key and a signed-in viewer', async () => {
    expect((await preview(DRAFT, await drive.key('rep', 'rep@example.com'))).statusCode).toBe(403);
    const email = 'viewer@example.com';
    const created = await createUser(t.db, t.workspaceId, { email, role: 'viewer' }, 'test', t.clock.now);
    if (!created.ok) throw new Error(created.error.message);
    const session = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email, password: created.value.password },
    });
    const cookie = session.cookies.find((each) => each.name === SESSION_COOKIE);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/impact',
      payload: { source: DRAFT },
      headers: { cookie: `${SESSION_COOKIE}=${cookie?.value}`, 'x-csrf-token': session.json().csrfToken },
    });
    expect(refused.statusCode).toBe(403);
  });
});
