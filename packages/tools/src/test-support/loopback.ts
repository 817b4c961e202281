import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Loopback {
  url: string;
  requests: unknown[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 answering JSON POSTs with `handler`; records request bodies. */
export async function startLoopback(
  handler: (body: unknown, req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<Loopback> {
  const requests: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => {
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch {}
      requests.push(body);
      void handler(body, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
