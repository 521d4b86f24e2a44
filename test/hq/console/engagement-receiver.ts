// A messaging tool for the re-engagement tests: a real HTTP server on 127.0.0.1 that does what the docs ask
// of a receiver (verify the signature, keep each idempotency key once, answer 2xx to a repeat) and can be
// told how to answer the next requests: an error status, or holding the answer back (a lost answer).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryBatchBody } from '../../../src-hq/store/engagement/deliveries.js';
import { verifySignature } from '../../../src-shared/engagement/signature.js';

export interface ReceivedRequest {
  key: string;
  batch: string;
  signature: string;
  body: string;
  /** The signature verified with the receiver's secret at the time given by `now()`. */
  verified: boolean;
}

/** How to answer one request: a status, or 'hold' (process it, answer only at close). */
export type Answer = number | 'hold';

export interface Receiver {
  url: string;
  /** Every request, in arrival order. */
  requests: ReceivedRequest[];
  /** Batches kept, by idempotency key (a repeat is not kept again). */
  kept: Map<string, DeliveryBatchBody>;
  /** Answers for the next requests, in order; then 200. */
  plan(...answers: Answer[]): void;
  /** The secret to verify with. */
  secret: string;
  close(): Promise<void>;
}

export async function startReceiver(now: () => number): Promise<Receiver> {
  const planned: Answer[] = [];
  const held: ServerResponse[] = [];
  const receiver: Omit<Receiver, 'url' | 'close'> = {
    requests: [],
    kept: new Map(),
    plan: (...answers) => void planned.push(...answers),
    secret: '',
  };
  const handle = (request: IncomingMessage, response: ServerResponse, body: string): void => {
    const key = String(request.headers['idempotency-key'] ?? '');
    const signature = String(request.headers['loyalty-signature'] ?? '');
    const verified = verifySignature(receiver.secret, signature, body, now());
    receiver.requests.push({
      key,
      batch: String(request.headers['loyalty-batch'] ?? ''),
      signature,
      body,
      verified,
    });
    const answer = planned.shift() ?? 200;
    if (typeof answer === 'number' && answer >= 300) {
      response.writeHead(answer).end();
      return;
    }
    if (!verified) {
      response.writeHead(401).end();
      return;
    }
    if (!receiver.kept.has(key)) receiver.kept.set(key, JSON.parse(body) as DeliveryBatchBody);
    if (answer === 'hold') held.push(response);
    else response.writeHead(answer).end('{"ok":true}');
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks/loyalty`,
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
