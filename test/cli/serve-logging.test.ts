import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { serializeRequest } from '../../src/cli/commands/serve-command.ts';

describe('server request logs', () => {
  it('never contain query strings, headers or keys', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = Fastify({ loggerInstance: pino({ level: 'info', serializers: { req: serializeRequest } }, sink) });
    app.get('/api/contacts', async () => ({ ok: true }));
    await app.inject({
      method: 'GET',
      url: '/api/contacts?q=ann%40example.org',
      headers: { authorization: 'Bearer rk_secret_abc' },
    });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('/api/contacts');
    expect(log).not.toContain('example.org');
    expect(log).not.toContain('rk_secret_abc');
  });
});
