// A bare scripted stand-in on 127.0.0.1 for the backend tests that need exact bytes on the wire: it records each
// request and answers with whatever the test sets.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }
export type Answer = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export interface StandIn {
  url: string;
  seen: Seen[];
  answer(a: Answer): void;
  close(): Promise<void>;
}

/** A server that records each request and answers with `answer` (200 `{"ok":true}` by default). */
export async function standIn(): Promise<StandIn> {
  const seen: Seen[] = [];
  const open = new Set<http.ServerResponse>();
  let answer: Answer = (_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', d => { body += d; });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      open.add(res);
      res.on('close', () => open.delete(res));
      answer(req, res, body);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    answer: a => { answer = a; },
    close: async () => {
      for (const res of open) res.destroy();
      const closed = new Promise<void>(r => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Writes Server-Sent Events: each item is one `data:` event (objects as JSON), then ends the body. */
export function sendSse(res: http.ServerResponse, events: (string | object)[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`);
  res.end();
}
