import { beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../../../src/core/backtest/backtest-report.ts';
import { parsePlaybook } from '../../../src/core/playbook/parse-playbook.ts';
import type { PlaybookSuggestion } from '../../../src/core/suggest/suggestion-view.ts';
import { createApiKey } from '../../../src/server/workspaces/api-keys.ts';
import { DAY } from '../../helpers/time.ts';
import { useTestApp } from '../helpers/test-app.ts';
import { HISTORY_START, seedOutcomes } from '../predict/seed-outcomes.ts';

type TestApp = ReturnType<typeof useTestApp>;

async function suggest(t: TestApp, authorization = t.secretAuth) {
  return t.app.inject({ method: 'POST', url: '/api/playbook/suggestion', headers: { authorization } });
}

describe('POST /api/playbook/suggestion with few outcomes', () => {
  const t = useTestApp(HISTORY_START + 200 * DAY);

  it('refuses below 100 outcomes and says what to do', async () => {
    await seedOutcomes(t.db, t.workspaceId, { decided: 40, open: 0 }, 3);
    const response = await suggest(t);
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({
      code: 'too_few_outcomes',
      message: expect.stringContaining('needs at least 100'),
    });
  });
});

describe('POST /api/playbook/suggestion', () => {
  const t = useTestApp(HISTORY_START + 200 * DAY);
  // Pricing views raise the chance of a win by 0.5 log-odds each (seed-outcomes.ts).
  beforeAll(() => seedOutcomes(t.db, t.workspaceId, { decided: 600, open: 0 }, 9));

  it('learns from won and lost leads as of their hand-off that pricing views win, and drafts the points', async () => {
    const response = await suggest(t);
    expect(response.statusCode).toBe(200);
    const suggestion: PlaybookSuggestion = response.json();
    expect(suggestion.basedOn).toEqual({ version: 1, name: 'Default B2B playbook' });
    expect(suggestion.outcomes).toBe(600);
    const pricing = suggestion.rules.find((rule) => rule.rule === 'pricing-page')!;
    expect(pricing).toMatchObject({ side: 'engagement', status: 'fitted', published: 10 });
    expect(pricing.leads).toBeGreaterThan(300);
    expect(pricing.oddsRatio).toBeGreaterThan(1.2);
    // No seeded lead asked for a demo: the hand-raiser rule keeps its points.
    expect(suggestion.rules.find((rule) => rule.rule === 'demo-request')).toMatchObject({
      status: 'never-matched',
      suggested: 40,
    });
    expect(suggestion.changed).toBe(suggestion.rules.filter((rule) => rule.suggested !== rule.published).length);
    const draft = parsePlaybook(suggestion.draft);
    if (!draft.ok) throw new Error(draft.error[0]?.message);
    expect(draft.value.name).toBe('Default B2B playbook (suggested)');
    const points = draft.value.engagement.groups
      .flatMap((group) => group.rules)
      .find((rule) => rule.id === 'pricing-page');
    expect(points?.points).toBe(pricing.suggested);

    // The draft goes straight into the backtest.
    const backtest = await t.app.inject({
      method: 'POST',
      url: '/api/backtest',
      headers: { authorization: t.secretAuth },
      payload: { draft: suggestion.draft, from: '2026-01-01', to: '2026-07-01' },
    });
    expect(backtest.statusCode).toBe(200);
    const report: BacktestReport = backtest.json();
    expect(report.draft.name).toBe('Default B2B playbook (suggested)');
    expect(report.contacts.won).toBeGreaterThan(0);
  });

  it('answers the same suggestion twice', async () => {
    const [first, second] = [await suggest(t), await suggest(t)];
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual(second.json());
  });

  it('is for who may publish playbooks: a rep key is refused', async () => {
    const { key } = await createApiKey(t.db, t.workspaceId, 'secret', 'rep', {
      role: 'rep',
      userId: 'rep@example.com',
    });
    expect((await suggest(t, `Bearer ${key}`)).statusCode).toBe(403);
  });
});
