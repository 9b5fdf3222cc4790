import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The raw body bytes, as a receiver must verify them. */
  body: Buffer;
}

/** How the receiver answers one request; `hang` never answers. */
export type ReceiverAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A real HTTP receiver on a loopback port, answering each request as the test says. */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let answer: (request: ReceivedWebhook, index: number) => ReceiverAnswer = () => ({ status: 204 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      const reply = answer(request, received.length - 1);
      if (reply !== 'hang') res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}/hooks/ripen`,
    received,
    /** Sets how the next requests are answered; `index` counts requests since the last reset. */
    answerWith(next: (request: ReceivedWebhook, index: number) => ReceiverAnswer) {
      answer = next;
    },
    reset() {
      received.length = 0;
      answer = () => ({ status: 204 });
      server.closeAllConnections();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
