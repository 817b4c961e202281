/** Counters and recent latencies of the reward server, rendered in Prometheus text format. */
export interface ServerMetrics {
  request(route: string, status: number, durationMs: number): void;
  batch(size: number, durationMs: number, failed: boolean): void;
  trajectories(count: number): void;
  toolCall(isError: boolean): void;
  snapshot(): MetricsSnapshot;
  prometheus(extra: Record<string, number>): string;
}

export interface MetricsSnapshot {
  requests: Record<string, Record<string, number>>;
  trajectoriesScored: number;
  batches: number;
  batchItems: number;
  batchFailures: number;
  scorerMs: number;
  /** `POST /tool` calls run, and how many of them the tool answered with an error. */
  toolCalls: number;
  toolErrors: number;
  /** p50/p99 request latency (ms) per route over the most recent requests. */
  latencyMs: Record<string, { p50: number; p99: number; count: number }>;
}

const WINDOW = 4096;

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function createServerMetrics(): ServerMetrics {
  const requests = new Map<string, Map<number, number>>();
  const latencies = new Map<string, { ring: Float64Array; next: number; count: number }>();
  let trajectoriesScored = 0;
  let batches = 0;
  let batchItems = 0;
  let batchFailures = 0;
  let scorerMs = 0;
  let toolCalls = 0;
  let toolErrors = 0;

  const latencyOf = (route: string) => {
    const ring = latencies.get(route);
    if (ring === undefined) return { p50: 0, p99: 0, count: 0 };
    const sorted = ring.ring.slice(0, Math.min(ring.count, WINDOW)).sort();
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), count: ring.count };
  };

  return {
    request(route, status, durationMs) {
      let byStatus = requests.get(route);
      if (byStatus === undefined) {
        byStatus = new Map();
        requests.set(route, byStatus);
      }
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      let ring = latencies.get(route);
      if (ring === undefined) {
        ring = { ring: new Float64Array(WINDOW), next: 0, count: 0 };
        latencies.set(route, ring);
      }
      ring.ring[ring.next] = durationMs;
      ring.next = (ring.next + 1) % WINDOW;
      ring.count++;
    },
    batch(size, durationMs, failed) {
      batches++;
      batchItems += size;
      scorerMs += durationMs;
      if (failed) batchFailures++;
    },
    trajectories(count) {
      trajectoriesScored += count;
    },
    toolCall(isError) {
      toolCalls++;
      if (isError) toolErrors++;
    },
    snapshot() {
      const out: MetricsSnapshot = {
        requests: {},
        trajectoriesScored,
        batches,
        batchItems,
        batchFailures,
        scorerMs,
        toolCalls,
        toolErrors,
        latencyMs: {},
      };
      for (const [route, byStatus] of requests)
        out.requests[route] = Object.fromEntries([...byStatus].map(([s, n]) => [String(s), n]));
      for (const route of latencies.keys()) out.latencyMs[route] = latencyOf(route);
      return out;
    },
    prometheus(extra) {
      const lines: string[] = [
        '# HELP autotraj_rm_requests_total HTTP requests by route and status.',
        '# TYPE autotraj_rm_requests_total counter',
      ];
      for (const [route, byStatus] of requests) {
        for (const [status, n] of byStatus)
          lines.push(`autotraj_rm_requests_total{route="${route}",status="${status}"} ${n}`);
      }
      lines.push(
        '# HELP autotraj_rm_request_latency_ms Request latency quantiles over the most recent requests.',
        '# TYPE autotraj_rm_request_latency_ms summary',
      );
      for (const route of latencies.keys()) {
        const l = latencyOf(route);
        lines.push(`autotraj_rm_request_latency_ms{route="${route}",quantile="0.5"} ${l.p50}`);
        lines.push(`autotraj_rm_request_latency_ms{route="${route}",quantile="0.99"} ${l.p99}`);
      }
      const counters: Array<[string, string, number]> = [
        ['autotraj_rm_trajectories_scored_total', 'Trajectories answered.', trajectoriesScored],
        ['autotraj_rm_scorer_batches_total', 'Scorer calls (micro-batches).', batches],
        [
          'autotraj_rm_scorer_batch_items_total',
          'Items over all scorer calls (divide by batches for the mean batch size).',
          batchItems,
        ],
        ['autotraj_rm_scorer_batch_failures_total', 'Scorer calls that failed.', batchFailures],
        ['autotraj_rm_scorer_ms_total', 'Milliseconds spent in the scorer.', scorerMs],
        ['autotraj_rm_tool_calls_total', 'Tool calls run on POST /tool.', toolCalls],
        [
          'autotraj_rm_tool_errors_total',
          'Tool calls the tool answered with an error.',
          toolErrors,
        ],
      ];
      for (const [name, help, value] of counters)
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`);
      for (const [name, value] of Object.entries(extra))
        lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
