/**
 * Slack's response_url, for SPOC in a process of its own: a loopback server that keeps what is
 * posted to it, and a way to point a signed button press's response_url at it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SignedRequest, sign } from './slack-payloads';

export interface ResponseCatcher {
  url: string;
  /** Bodies posted, by path. */
  posted: Map<string, Array<{ text?: string; [key: string]: unknown }>>;
  close(): Promise<void>;
}

export async function startResponseCatcher(): Promise<ResponseCatcher> {
  const posted: ResponseCatcher['posted'] = new Map();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const list = posted.get(req.url ?? '') ?? [];
      list.push(JSON.parse(raw || '{}'));
      posted.set(req.url ?? '', list);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An interactive payload (a button press) whose response_url is `url`, signed again. */
export function withResponseUrl(request: SignedRequest, url: string): SignedRequest {
  const payload = JSON.parse(new URLSearchParams(request.body).get('payload') ?? '{}');
  payload.response_url = url;
  return sign(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
}
