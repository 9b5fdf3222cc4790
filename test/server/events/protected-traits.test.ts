import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

/** What a public write key's identify call might claim, from a visitor who knows the API. */
const CLAIMS = {
  stage: 'sql',
  lifecycleStage: 'customer',
  owner: 'rep@ripen.example',
  score: 100,
  fit: 100,
  fitScore: 100,
  engagement: 100,
  engagementScore: 100,
  grade: 'A',
  temperature: 'hot',
  predicted: 0.99,
};

async function contact(email: string) {
  return t.db
    .selectFrom('contacts')
    .select(['stage', 'owner', 'fit', 'engagement', 'score', 'grade', 'temperature', 'predicted', 'properties'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}

describe('protected contact fields through a write key', () => {
  it('an identify cannot set stage, owner or scores: the claims land as custom properties at most', async () => {
    const baseline = await t.send('/v1/identify', {
      anonymousId: 'protected-baseline',
      messageId: 'protected-1',
      traits: { email: 'plain@acme-widgets.example' },
    });
    expect(baseline.statusCode).toBe(200);
    const response = await t.send('/v1/identify', {
      anonymousId: 'protected-visitor',
      messageId: 'protected-2',
      traits: { email: 'claims@acme-widgets.example', ...CLAIMS },
    });
    expect(response.statusCode).toBe(200);
    const plain = await contact('plain@acme-widgets.example');
    const claimed = await contact('claims@acme-widgets.example');
    const { properties, ...fields } = claimed;
    const { properties: _none, ...plainFields } = plain;
    expect(fields).toEqual(plainFields);
    expect(fields.owner).toBeNull();
    expect(fields.stage).not.toBe('sql');
    expect(properties).toMatchObject(CLAIMS);
  });

  it('a write key cannot mark an address undeliverable or unsubscribe someone; a secret key can', async () => {
    const traits = {
      email: 'consent@acme-widgets.example',
      emailStatus: 'undeliverable',
      email_consent: 'unsubscribed',
    };
    const fromPage = await t.send('/v1/batch', {
      batch: [{ type: 'identify', userId: 'consent-1', messageId: 'consent-1', traits }],
    });
    expect(fromPage.json().errors).toEqual([]);
    const stored = () =>
      t.db
        .selectFrom('contacts')
        .select(['email_status', 'email_consent'])
        .where('email', '=', 'consent@acme-widgets.example')
        .executeTakeFirstOrThrow();
    expect(await stored()).toEqual({ email_status: null, email_consent: null });
    const fromServer = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: t.secretAuth },
      payload: { userId: 'consent-1', messageId: 'consent-2', traits },
    });
    expect(fromServer.statusCode).toBe(200);
    await t.scoring.drain();
    expect(await stored()).toEqual({ email_status: 'undeliverable', email_consent: 'unsubscribed' });
  });
});
