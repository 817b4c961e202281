import { connect } from 'node:net';

/**
 * A lean HTTP/1.1 load generator over raw keep-alive sockets (node's http client would be the
 * bottleneck on 2 cores): `connections` sockets each send a request, wait for the whole
 * response, send the next, for `durationMs`. Returns throughput and latency percentiles.
 */
export async function load({ url, path, bodies, connections, durationMs, check }) {
  const { hostname, port } = new URL(url);
  const latencies = [];
  let done = 0;
  let failures = 0;
  let next = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  const requestFor = (body) =>
    Buffer.from(
      `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  const prepared = bodies.map(requestFor);
  await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise((resolve, reject) => {
          const socket = connect({ host: hostname, port: Number(port), noDelay: true });
          let buffer = Buffer.alloc(0);
          let sentAt = 0;
          let index = 0;
          const send = () => {
            if (performance.now() >= deadline) {
              socket.end();
              resolve();
              return;
            }
            index = next++ % prepared.length;
            sentAt = performance.now();
            socket.write(prepared[index]);
          };
          socket.on('connect', send);
          socket.on('error', reject);
          socket.on('data', (chunk) => {
            buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
            for (;;) {
              const headerEnd = buffer.indexOf('\r\n\r\n');
              if (headerEnd < 0) return;
              const head = buffer.subarray(0, headerEnd).toString('latin1');
              const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
              if (buffer.length < headerEnd + 4 + length) return;
              const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
              buffer = buffer.subarray(headerEnd + 4 + length);
              latencies.push(performance.now() - sentAt);
              done++;
              if (!head.startsWith('HTTP/1.1 200') || (check && !check(body, index))) failures++;
              send();
            }
          });
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { requests: done, failures, seconds, rps: done / seconds, p50: q(0.5), p99: q(0.99) };
}
