import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../../src/server/webhooks/sign-webhook.ts';

/** One answer of the service: a status, a JSON body (or raw text), headers. */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * A local enrichment service on 127.0.0.1 (a real HTTP server, port 0): it verifies each
 * request's Standard Webhooks signature with `secret` (401 when wrong), records the domains it
 * is asked about, and answers per domain from a script, in turn, the last answer repeating;
 * a domain without a script gets 404.
 */
export async function startEnrichmentServer(now: () => number) {
  const state = {
    url: '',
    secret: '',
    /** Domains asked about, in order, with a valid signature. */
    calls: [] as string[],
    badSignatures: 0,
    script: new Map<string, ScriptedAnswer[]>(),
    /** Runs on every signed request, before the answer (e.g. to move a clock). */
    onCall: (_domain: string) => {},
  };
  const answer = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const verified = verifyWebhook({ secret: state.secret, headers: request.headers, body, now: now() });
    if (!verified.ok) {
      state.badSignatures++;
      response.writeHead(401).end();
      return;
    }
    const { domain } = JSON.parse(body) as { domain: string };
    state.calls.push(domain);
    state.onCall(domain);
    const answers = state.script.get(domain) ?? [];
    const next = (answers.length > 1 ? answers.shift() : answers[0]) ?? { status: 404 };
    response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
    response.end(next.rawBody ?? (next.body === undefined ? '' : JSON.stringify(next.body)));
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/enrich`;
  return {
    state,
    /** How many times the service was asked about a domain. */
    callsFor: (domain: string) => state.calls.filter((called) => called === domain).length,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
export type EnrichmentServer = Awaited<ReturnType<typeof startEnrichmentServer>>;
