import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { truncateIp, withTruncatedIp } from '../../../src/core/privacy/truncate-ip.ts';

describe('truncateIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    [' 10.1.2.3 ', '10.1.2.0'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::'],
    ['2001:0db8:0000:0042:0000:8a2e:0370:7334', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
    ['::ffff:198.51.100.9', '::ffff:198.51.100.0'],
    ['64:ff9b:1::198.51.100.9', '64:ff9b:1::'],
    ['::ffff:c633:6409', '0:0:0::'],
  ])('%s → %s', (ip, expected) => {
    expect(truncateIp(ip)).toBe(expected);
  });

  it.each([
    '',
    'localhost',
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '2001:db8::1::2',
    'gggg::1',
    '1:2:3:4:5:6:7:8:9',
    '::1.2.3.256',
  ])('refuses %j', (text) => {
    expect(truncateIp(text)).toBeNull();
  });

  it('never keeps the last byte of an IPv4 address nor more than 48 bits of an IPv6 one', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const truncated = truncateIp(ip);
        expect(truncated).toBe(`${ip.split('.').slice(0, 3).map(Number).join('.')}.0`);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const truncated = truncateIp(ip);
        if (ip.toLowerCase().startsWith('::ffff:') && ip.includes('.')) return;
        expect(truncated).toMatch(/^[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::$/);
      }),
    );
  });

  it('drops an ip that is not one, and leaves a context without ip alone', () => {
    const context = { page: { path: '/' } };
    expect(withTruncatedIp(context)).toBe(context);
    expect(withTruncatedIp({ ip: 'not-an-ip', locale: 'pl' })).toEqual({ locale: 'pl' });
    expect(withTruncatedIp({ ip: 42 })).toEqual({});
  });
});
