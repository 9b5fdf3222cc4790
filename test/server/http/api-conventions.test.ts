import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBOOK_PATH } from '../../../src/server/bootstrap-workspace.ts';
import { useTestApp } from '../helpers/test-app.ts';

const t = useTestApp();

describe('answers to bad requests', () => {
  it.each([
    ['/api/contacts?stage=foo', 'must be one of lead, mql, sal, sql, opportunity, customer, recycled, disqualified'],
    ['/api/contacts?grade=Z', 'must be one of A, B, C, D'],
    ['/api/contacts?temperature=tepid', 'must be one of cold, warm, hot'],
    ['/api/handoffs?status=pending', 'must be one of open, touched, closed'],
    ['/api/jobs?status=lost', 'must be one of queued, running, done'],
  ])('refuses the unknown filter value in %s, naming the valid ones', async (url, message) => {
    const response = await t.get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(message);
  });

  it('checks the key before the body: an unauthenticated request is 401, never a 400 about the schema', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/contacts',
      headers: { 'content-type': 'application/json' },
      payload: { nonsense: true },
    });
    expect(response.statusCode).toBe(401);
    const ingest = await t.app.inject({ method: 'POST', url: '/v1/batch', payload: { batch: 'no' } });
    expect(ingest.statusCode).toBe(401);
  });

  it('never shows framework error codes: invalid JSON is invalid_json with what to send', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/contacts',
      headers: { authorization: t.secretAuth, 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_json' });
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/contacts',
      headers: { authorization: t.secretAuth, 'content-type': 'application/xml' },
      payload: '<contact/>',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('unsupported_media_type');
  });

  it('sends the headers a JSON API should, on answers and errors alike', async () => {
    for (const response of [
      await t.get('/api/contacts'),
      await t.get('/api/contacts?stage=foo'),
      await t.get('/api/nowhere'),
      await t.send('/v1/track', { userId: 'headers', event: 'Email Opened' }),
    ]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBeDefined();
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(String(response.headers['content-type'])).toContain('application/json');
    }
    expect((await t.get('/api/contacts')).headers['cache-control']).toBe('no-store');
  });
});

describe('contact search', () => {
  it('finds a contact by email, name, job title or the user id the sender gave', async () => {
    const sent = await t.send('/v1/identify', {
      userId: 'crm-00417',
      traits: { email: 'dana.search@example.org', firstName: 'Dana', jobTitle: 'Growth Lead' },
    });
    expect(sent.statusCode).toBe(200);
    for (const q of ['crm-00417', 'CRM-004', 'dana.search', 'growth lead']) {
      const found = (await t.get(`/api/contacts?q=${encodeURIComponent(q)}`)).json();
      expect(
        found.items.map((contact: { userId: string }) => contact.userId),
        q,
      ).toEqual(['crm-00417']);
    }
    expect((await t.get('/api/contacts?q=crm-00418')).json().items).toEqual([]);
  });
});

describe('playbook validation warnings', () => {
  async function validate(source: string) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/playbook/validate',
      headers: { authorization: t.secretAuth },
      payload: { source },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { valid: boolean; warnings: Array<{ line: number; field: string; message: string }> };
  }

  it('warns about a condition on a field no contact has, without making the playbook invalid', async () => {
    await t.send('/v1/identify', { userId: 'warn-1', traits: { email: 'w@warn.example', lead_origin: 'webinar' } });
    const source = readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8');
    const clean = await validate(source);
    expect(clean.warnings.filter((warning) => warning.message.includes('contact.'))).toEqual([]);

    const edited = source.replace(
      '{ op: exists, field: contact.phone }',
      '{ op: equals, field: contact.LeadOrigin, value: webinar }',
    );
    expect(edited).not.toBe(source);
    const result = await validate(edited);
    expect(result.valid).toBe(true);
    const warning = result.warnings.find((item) => item.message.includes('contact.LeadOrigin'));
    expect(warning?.message).toContain('is not a contact field nor a property any contact has');
    expect(warning?.message).toContain('did you mean `contact.lead_origin`?');
    expect(warning?.line).toBe(source.split('\n').findIndex((line) => line.includes('field: contact.phone')) + 1);
  });
});
