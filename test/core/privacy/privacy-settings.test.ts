import { describe, expect, it } from 'vitest';
import {
  checkPrivacySettings,
  readPrivacySettings,
  retentionRules,
} from '../../../src/core/privacy/privacy-settings.ts';

describe('privacy settings', () => {
  it('default to truncated IPs and events kept', () => {
    expect(readPrivacySettings({})).toEqual({ keepFullIp: false, retentionDays: {} });
    expect(readPrivacySettings(null)).toEqual({ keepFullIp: false, retentionDays: {} });
  });

  it('refuse retention that is not whole days from 1 to 100 years, or has no name', () => {
    expect(checkPrivacySettings({ keepFullIp: false, retentionDays: { page: 0 } })).toMatchObject({ ok: false });
    expect(checkPrivacySettings({ keepFullIp: false, retentionDays: { page: 1.5 } })).toMatchObject({ ok: false });
    expect(checkPrivacySettings({ keepFullIp: false, retentionDays: { '  ': 30 } })).toMatchObject({ ok: false });
    expect(checkPrivacySettings({ keepFullIp: true, retentionDays: { ' page ': 30 } })).toEqual({
      ok: true,
      value: { keepFullIp: true, retentionDays: { page: 30 } },
    });
  });

  it('apply the most specific entry: an event name, then a message type, then *', () => {
    const rules = retentionRules({
      keepFullIp: false,
      retentionDays: { '*': 1000, page: 400, 'Email Opened': 30 },
    });
    expect(rules).toEqual([
      { days: 400, match: { kind: 'type', type: 'page' }, exceptNames: ['Email Opened'], exceptTypes: [] },
      { days: 30, match: { kind: 'name', name: 'Email Opened' }, exceptNames: [], exceptTypes: [] },
      { days: 1000, match: { kind: 'rest' }, exceptNames: ['Email Opened'], exceptTypes: ['page'] },
    ]);
  });
});
