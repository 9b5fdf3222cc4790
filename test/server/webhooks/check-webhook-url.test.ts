import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  createCheckedAgentLookup,
  parseWebhookAllowList,
} from '../../../src/server/webhooks/check-webhook-url.ts';

/** A fake resolver: host names map to fixed answers, anything else fails like an unknown name. */
const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'crm.internal': ['10.0.0.5'],
  'rebind.example.com': ['93.184.215.14', '127.0.0.1'],
  'mapped.example.com': ['::ffff:192.168.1.10'],
  'metadata.example.com': ['169.254.169.254'],
  'empty.example.com': [],
};
async function lookup(hostname: string): Promise<string[]> {
  const addresses = DNS[hostname];
  if (addresses === undefined)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses;
}
const check = (url: string, allowList: readonly string[] = []) => checkWebhookUrl(url, { allowList, lookup });

describe('checkWebhookUrl: which targets are refused', () => {
  const cases: Array<{ url: string; outcome: 'ok' | 'invalid-url' | 'private-address' | 'unresolvable'; why: string }> =
    [
      { url: 'https://hooks.example.com/ripen', outcome: 'ok', why: 'a public host name' },
      { url: 'http://93.184.215.14:8080/hook', outcome: 'ok', why: 'a public IPv4 literal' },
      { url: 'https://[2606:4700:4700::1111]/hook', outcome: 'ok', why: 'a public IPv6 literal' },
      { url: 'https://[::ffff:8.8.8.8]/', outcome: 'ok', why: 'a public address in mapped form' },
      { url: 'http://127.0.0.1:9999/hook', outcome: 'private-address', why: 'loopback' },
      { url: 'http://127.255.0.1/', outcome: 'private-address', why: 'loopback, anywhere in 127/8' },
      { url: 'http://2130706433/', outcome: 'private-address', why: 'loopback as a decimal integer' },
      { url: 'http://0x7f.1/', outcome: 'private-address', why: 'loopback in hex shorthand' },
      { url: 'http://[::1]:3030/', outcome: 'private-address', why: 'IPv6 loopback' },
      { url: 'http://10.1.2.3/', outcome: 'private-address', why: 'RFC 1918 10/8' },
      { url: 'http://172.16.0.1/', outcome: 'private-address', why: 'RFC 1918 172.16/12' },
      { url: 'http://172.31.255.255/', outcome: 'private-address', why: 'the top of 172.16/12' },
      { url: 'http://172.32.0.1/', outcome: 'ok', why: 'just above 172.16/12' },
      { url: 'http://192.168.0.10/', outcome: 'private-address', why: 'RFC 1918 192.168/16' },
      { url: 'http://[fd12:3456::1]/', outcome: 'private-address', why: 'IPv6 unique local fc00::/7' },
      { url: 'http://169.254.169.254/latest/meta-data/', outcome: 'private-address', why: 'cloud metadata' },
      { url: 'http://169.254.1.1/', outcome: 'private-address', why: 'IPv4 link-local' },
      { url: 'http://[fe80::1]/', outcome: 'private-address', why: 'IPv6 link-local' },
      { url: 'http://0.0.0.0/', outcome: 'private-address', why: 'unspecified' },
      { url: 'http://0/', outcome: 'private-address', why: 'unspecified as a single number' },
      { url: 'http://0.1.2.3/', outcome: 'private-address', why: '0.0.0.0/8' },
      { url: 'http://[::]/', outcome: 'private-address', why: 'IPv6 unspecified' },
      { url: 'http://100.64.0.1/', outcome: 'private-address', why: 'carrier-grade NAT 100.64/10' },
      { url: 'http://100.128.0.1/', outcome: 'ok', why: 'just above 100.64/10' },
      { url: 'http://224.0.0.1/', outcome: 'private-address', why: 'IPv4 multicast' },
      { url: 'http://[ff02::1]/', outcome: 'private-address', why: 'IPv6 multicast' },
      { url: 'http://255.255.255.255/', outcome: 'private-address', why: 'broadcast' },
      { url: 'http://[::ffff:127.0.0.1]/', outcome: 'private-address', why: 'IPv4-mapped loopback' },
      { url: 'http://[::ffff:a9fe:a9fe]/', outcome: 'private-address', why: 'IPv4-mapped metadata, in hex' },
      { url: 'http://[64:ff9b::10.0.0.1]/', outcome: 'private-address', why: 'NAT64 of a private address' },
      { url: 'http://rebind.example.com/', outcome: 'private-address', why: 'one of several addresses is loopback' },
      { url: 'http://mapped.example.com/', outcome: 'private-address', why: 'DNS answering a mapped private address' },
      { url: 'http://metadata.example.com/', outcome: 'private-address', why: 'DNS pointing at metadata' },
      { url: 'https://nowhere.example.com/', outcome: 'unresolvable', why: 'an unknown host' },
      { url: 'https://empty.example.com/', outcome: 'unresolvable', why: 'a host without addresses' },
      { url: 'ftp://hooks.example.com/', outcome: 'invalid-url', why: 'not http(s)' },
      { url: 'file:///etc/passwd', outcome: 'invalid-url', why: 'a file URL' },
      { url: 'javascript:alert(1)', outcome: 'invalid-url', why: 'a javascript URL' },
      { url: 'https://user:secret@hooks.example.com/', outcome: 'invalid-url', why: 'credentials in the URL' },
      { url: 'hooks.example.com/ripen', outcome: 'invalid-url', why: 'no scheme' },
      { url: 'http://[fe80::1%25eth0]/', outcome: 'invalid-url', why: 'an IPv6 zone id' },
    ];
  it.each(cases)('$url: $outcome ($why)', async ({ url, outcome }) => {
    const result = await check(url);
    expect(result.ok ? 'ok' : result.error.kind).toBe(outcome);
  });
});

describe('checkWebhookUrl: messages say what to do', () => {
  const cases: Array<{ url: string; message: string }> = [
    {
      url: 'http://127.0.0.1:9999/hook',
      message:
        'webhook URL http://127.0.0.1:9999/hook resolves to 127.0.0.1, a loopback address; Ripen refuses private, ' +
        'loopback and link-local targets. An admin can allow it with RIPEN_WEBHOOK_ALLOW=127.0.0.1/32',
    },
    {
      url: 'https://crm.internal/hooks',
      message:
        'webhook URL https://crm.internal/hooks resolves to 10.0.0.5, a private address; Ripen refuses private, ' +
        'loopback and link-local targets. An admin can allow it with RIPEN_WEBHOOK_ALLOW=10.0.0.5/32 or ' +
        'RIPEN_WEBHOOK_ALLOW=crm.internal',
    },
    {
      url: 'http://[::ffff:127.0.0.1]/',
      message:
        'webhook URL http://[::ffff:7f00:1]/ resolves to ::ffff:7f00:1 (IPv4 127.0.0.1), a loopback address; Ripen ' +
        'refuses private, loopback and link-local targets. An admin can allow it with RIPEN_WEBHOOK_ALLOW=127.0.0.1/32',
    },
    {
      url: 'http://[fe80::1]/',
      message:
        'webhook URL http://[fe80::1]/ resolves to fe80::1, a link-local address; Ripen refuses private, loopback ' +
        'and link-local targets. An admin can allow it with RIPEN_WEBHOOK_ALLOW=fe80::1/128',
    },
    {
      url: 'https://nowhere.example.com/',
      message:
        'webhook URL https://nowhere.example.com/: host nowhere.example.com could not be resolved (ENOTFOUND); ' +
        'check the spelling and its DNS record',
    },
    {
      url: 'gopher://hooks.example.com/',
      message: 'webhook URL `gopher://hooks.example.com/` uses gopher:; only http: and https: URLs are allowed',
    },
  ];
  it.each(cases)('$url', async ({ url, message }) => {
    const result = await check(url);
    expect(result.ok ? null : result.error.message).toBe(message);
  });

  it('does not echo a password', async () => {
    const result = await check('https://user:hunter2@hooks.example.com/');
    expect(result.ok ? null : result.error.message).not.toContain('hunter2');
  });
});

describe('checkWebhookUrl: the allow-list', () => {
  const cases: Array<{ name: string; url: string; allow: string[]; allowed: boolean }> = [
    { name: 'a /32 allows that address', url: 'http://127.0.0.1:9999/', allow: ['127.0.0.1/32'], allowed: true },
    { name: 'a bare address is a /32', url: 'http://127.0.0.1:9999/', allow: ['127.0.0.1'], allowed: true },
    { name: 'a /32 does not allow a neighbour', url: 'http://127.0.0.2/', allow: ['127.0.0.1/32'], allowed: false },
    { name: 'a CIDR allows its range', url: 'http://10.20.30.40/', allow: ['10.0.0.0/8'], allowed: true },
    {
      name: 'an IPv4 CIDR covers mapped forms',
      url: 'http://mapped.example.com/',
      allow: ['192.168.1.0/24'],
      allowed: true,
    },
    { name: 'an IPv6 CIDR', url: 'http://[fd12:3456::1]/', allow: ['fd12::/16'], allowed: true },
    {
      name: 'a host name allows whatever it resolves to',
      url: 'https://crm.internal/',
      allow: ['crm.internal'],
      allowed: true,
    },
    {
      name: 'host names match case-insensitively',
      url: 'https://CRM.internal./',
      allow: ['crm.INTERNAL'],
      allowed: true,
    },
    { name: 'another host name does not', url: 'https://crm.internal/', allow: ['erp.internal'], allowed: false },
    {
      name: 'every address must be public or allowed',
      url: 'http://rebind.example.com/',
      allow: ['10.0.0.0/8'],
      allowed: false,
    },
    {
      name: 'allowing one address allows the rest of a mixed answer',
      url: 'http://rebind.example.com/',
      allow: ['127.0.0.1'],
      allowed: true,
    },
  ];
  it.each(cases)('$name', async ({ url, allow, allowed }) => {
    expect((await check(url, allow)).ok).toBe(allowed);
  });

  it('returns the URL and every checked address', async () => {
    const result = await check('https://hooks.example.com/ripen?x=1');
    expect(result.ok && { href: result.value.url.href, addresses: result.value.addresses }).toEqual({
      href: 'https://hooks.example.com/ripen?x=1',
      addresses: DNS['hooks.example.com'],
    });
  });

  it('resolves localhost with the system resolver and refuses it', async () => {
    const result = await checkWebhookUrl('http://localhost:3030/hook', { allowList: [] });
    expect(result.ok ? 'ok' : result.error.kind).toBe('private-address');
  });
});

describe('parseWebhookAllowList', () => {
  it('splits on commas and spaces', () => {
    expect(parseWebhookAllowList(' 10.0.0.0/8, fd00::/8  crm.internal,127.0.0.1 ')).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
      'crm.internal',
      '127.0.0.1',
    ]);
  });

  it('is empty when unset', () => {
    expect(parseWebhookAllowList(undefined)).toEqual([]);
  });

  it.each([
    ['10.0.0.0/33', /invalid prefix length/],
    ['fd00::/129', /invalid prefix length/],
    ['10.0.0.0/8/9', /invalid prefix length/],
    ['10.0.0.0/', /invalid prefix length/],
    ['http://crm.internal', /must be a CIDR like 10.0.0.0\/8, an IP address or a host name/],
    ['300.1.1.1/8', /must be a CIDR/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseWebhookAllowList(raw)).toThrow(message);
  });
});

describe('createCheckedAgentLookup', () => {
  const resolve = (fn: LookupFunction, options: Parameters<LookupFunction>[1]) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family: number | undefined }>((done) =>
      fn('hooks.example.com', options, (error, address, family) => done({ error, address, family })),
    );
  const pinned = createCheckedAgentLookup(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']);

  it('answers the first checked address', async () => {
    expect(await resolve(pinned, {})).toEqual({ error: null, address: '93.184.215.14', family: 4 });
  });

  it('answers all checked addresses when asked for all (Happy Eyeballs)', async () => {
    expect((await resolve(pinned, { all: true })).address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  it('honours a requested family', async () => {
    expect(await resolve(pinned, { family: 6 })).toMatchObject({ address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c' });
  });

  it('fails like DNS when no checked address has the requested family', async () => {
    const result = await resolve(createCheckedAgentLookup(['93.184.215.14']), { family: 6 });
    expect(result.error?.code).toBe('ENOTFOUND');
  });

  it('refuses anything but IP addresses', () => {
    expect(() => createCheckedAgentLookup([])).toThrow(/IP addresses/);
    expect(() => createCheckedAgentLookup(['hooks.example.com'])).toThrow(/IP addresses/);
  });

  it('makes http.request connect to the checked address whatever the host name resolves to', async () => {
    const server = createServer((req, res) => res.end(`host=${req.headers.host}`));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP server');
    const { port } = address;
    try {
      const body = await new Promise<string>((done, fail) => {
        const req = request(
          `http://does-not-exist.invalid:${port}/hook`,
          { lookup: createCheckedAgentLookup(['127.0.0.1']) },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () => done(text));
          },
        );
        req.on('error', fail);
        req.end();
      });
      expect(body).toBe(`host=does-not-exist.invalid:${port}`);
    } finally {
      server.close();
    }
  });
});
