import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JsonValue, RUN_DEFAULTS, type ToolRuntime } from '@autotraj/trajectory';
import { toolInputFromTagContent } from '@autotraj/trajectory/internal';
import { RewardRequestError } from '../errors.js';
import {
  type CreateRewardOptions,
  createReward,
  type Reward,
  type RewardPresetName,
  type RmCalibration,
} from '../reward/create-reward.js';
import { paperResponseOfSolution } from '../reward/paper/compute-score.js';
import { rewardPresetOptions } from '../reward/paper-reward.js';
import type { RewardItem } from '../reward/types.js';
import type { TrajectoryScorer } from '../scorer.js';
import { splitQuery, trajectoryFromPolicyText } from '../text-trajectory.js';
import { createServerMetrics, type MetricsSnapshot } from './metrics.js';
import { createMicroBatcher } from './micro-batcher.js';
import {
  computeScoreRequestSchema,
  getRewardRequestSchema,
  goldAnswersOf,
  parseRequest,
  scoreBatchRequestSchema,
  scoreRequestSchema,
  toolEndRequestSchema,
  toolRequestSchema,
} from './requests.js';
import { REWARD_SERVER_DEFAULTS } from './server-defaults.js';

export interface RewardServerOptions {
  /** The trajectory reward model (e.g. `createOnnxScorer`); the server does not close it. */
  scorer: TrajectoryScorer;
  /**
   * Reward preset for requests that carry labels (`/get_reward` with `labels`,
   * `/compute_score`) and send no `preset` of their own. Default `paper` (the paper's contract).
   */
  preset?: RewardPresetName;
  /**
   * A custom composite reward instead of the preset's (format + outcome + this server's batched
   * scorer). null: none, so labelled `/get_reward` answers the raw RM score and
   * `/compute_score` is 501.
   */
  reward?: Omit<CreateRewardOptions, 'trajectoryModel'> | null;
  /** RM calibration for the non-paper presets (the paper preset always uses the raw score). */
  trajectoryModelCalibration?: RmCalibration | null;
  /** Largest accepted request body in bytes (default 8 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Most trajectories in one request (default 4096); more get 413. */
  maxItemsPerRequest?: number;
  /** Micro-batching: most items per scorer call (default 256). */
  maxBatchSize?: number;
  /** Micro-batching: wait for company up to this long (default 0: the next event-loop turn). */
  maxWaitMs?: number;
  /** Scorer calls in flight at once (default 1). */
  maxConcurrentBatches?: number;
  /**
   * Tools served on `POST /tool` (e.g. `createPythonRuntime` of `@autotraj/tools`), for trainers
   * that generate in their own loop (TRL's `rollout_func`): the result a policy reads during RL
   * comes from the same runtime as in synthesis. The caller owns and closes them; sessions still
   * open when the server closes are ended. Default none (`/tool` answers 501).
   */
  tools?: ReadonlyArray<ToolRuntime>;
}

export interface RewardServer {
  /** Start listening (port 0: any free port); resolves to the bound address. */
  listen(options?: {
    port?: number;
    host?: string;
  }): Promise<{ host: string; port: number; url: string }>;
  /** Stop accepting, finish every request in flight, then close connections (forced after `timeoutMs`). */
  close(options?: { timeoutMs?: number }): Promise<void>;
  metrics(): MetricsSnapshot;
  readonly server: Server;
}

const json = (res: ServerResponse, status: number, body: unknown, close = false) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
};

/** Read the body up to `limit` bytes; beyond it, a 413 (checked from content-length first). */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(
      new RewardRequestError({
        status: 413,
        message: `request body of ${declared} bytes exceeds the limit of ${limit} bytes`,
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(
          new RewardRequestError({
            status: 413,
            message: `request body exceeds the limit of ${limit} bytes`,
          }),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed)
        resolve(
          chunks.length === 1
            ? chunks[0]!.toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
        );
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
  });
}

/**
 * HTTP reward server (node:http) speaking the paper's `/score` contract, a batched endpoint,
 * OpenRLHF's remote reward model (`/get_reward`) and verl's `compute_score` (`/compute_score`).
 * Concurrent requests share scorer calls through a micro-batcher.
 */
export function createRewardServer(options: RewardServerOptions): RewardServer {
  const maxBodyBytes = options.maxBodyBytes ?? REWARD_SERVER_DEFAULTS.maxBodyBytes;
  const maxItems = options.maxItemsPerRequest ?? REWARD_SERVER_DEFAULTS.maxItemsPerRequest;
  const metrics = createServerMetrics();
  const batcher = createMicroBatcher({
    scorer: options.scorer,
    maxBatchSize: options.maxBatchSize,
    maxWaitMs: options.maxWaitMs,
    maxConcurrentBatches: options.maxConcurrentBatches,
    onBatch: ({ size, durationMs, error }) => metrics.batch(size, durationMs, error !== undefined),
  });
  const defaultPreset: RewardPresetName = options.preset ?? RUN_DEFAULTS.preset;
  const presetRewards = new Map<RewardPresetName, Reward>();
  const presetReward = (preset: RewardPresetName): Reward => {
    let built = presetRewards.get(preset);
    if (built === undefined) {
      built = createReward({
        ...rewardPresetOptions(preset),
        trajectoryModel: batcher,
        trajectoryModelCalibration:
          preset === 'paper' ? null : (options.trajectoryModelCalibration ?? null),
      });
      presetRewards.set(preset, built);
    }
    return built;
  };
  const custom: Reward | null =
    options.reward === undefined || options.reward === null
      ? null
      : createReward({ ...options.reward, trajectoryModel: batcher });
  /** The reward for a request: its own preset, else the server's custom reward or default preset. */
  const rewardFor = (
    preset: RewardPresetName | undefined,
  ): { reward: Reward; preset: RewardPresetName } | null => {
    if (preset !== undefined) return { reward: presetReward(preset), preset };
    if (options.reward === null) return null;
    return custom !== null
      ? { reward: custom, preset: options.reward?.preset ?? defaultPreset }
      : { reward: presetReward(defaultPreset), preset: defaultPreset };
  };
  const startedAt = Date.now();
  let inflight = 0;
  let closing = false;
  let idleWaiters: Array<() => void> = [];

  const checkCount = (n: number) => {
    if (n > maxItems)
      throw new RewardRequestError({
        status: 413,
        message: `${n} trajectories in one request exceed the limit of ${maxItems}`,
      });
  };

  const rawScores = async (
    items: Array<{ text: string; question?: string | undefined }>,
  ): Promise<number[]> => {
    const scores = await batcher.score(
      items.map((i) => ({
        question: i.question,
        trajectory: trajectoryFromPolicyText(i.text, { question: i.question }),
      })),
    );
    return Array.from(scores);
  };

  const tools = new Map((options.tools ?? []).map((tool) => [tool.name, tool]));
  /** Open sessions and the tools that hold state for them. */
  const sessions = new Map<string, Set<ToolRuntime>>();
  const endSession = async (sessionId: string): Promise<boolean> => {
    const held = sessions.get(sessionId);
    sessions.delete(sessionId);
    for (const tool of held ?? []) await tool.endSession?.(sessionId);
    return held !== undefined;
  };

  const routes: Record<string, (body: string) => Promise<unknown>> = {
    '/score': async (body) => {
      const request = parseRequest(scoreRequestSchema, body);
      const [score] = await rawScores([{ text: request.trajectory, question: request.question }]);
      metrics.trajectories(1);
      return { score };
    },
    '/score/batch': async (body) => {
      const request = parseRequest(scoreBatchRequestSchema, body);
      checkCount(request.trajectories.length);
      const scores = await rawScores(
        request.trajectories.map((text, i) => ({ text, question: request.questions?.[i] })),
      );
      metrics.trajectories(scores.length);
      return { scores };
    },
    '/get_reward': async (body) => {
      const request = parseRequest(getRewardRequestSchema, body);
      checkCount(request.query.length);
      const split = request.query.map((query, i) => splitQuery(query, request.prompts?.[i]));
      metrics.trajectories(split.length);
      const chosen = rewardFor(request.preset);
      if (chosen === null || request.labels === undefined) {
        const scores = await rawScores(
          split.map((s) => ({ text: s.response, question: s.question })),
        );
        return { rewards: scores, scores, extra_logs: { trajectory_model: scores } };
      }
      const items: RewardItem[] = split.map((s, i) => ({
        trajectory: trajectoryFromPolicyText(s.response, { question: s.question }),
        question: s.question,
        text: s.response,
        goldAnswers: goldAnswersOf(request.labels![i]),
        dataSource: request.data_sources?.[i],
      }));
      const breakdowns = await chosen.reward.score(items);
      const rewards = breakdowns.map((b) => b.total);
      return { rewards, scores: rewards, extra_logs: componentLogs(breakdowns) };
    },
    '/tool': async (body) => {
      const request = parseRequest(toolRequestSchema, body);
      const tool = tools.get(request.tool);
      if (tool === undefined)
        throw new RewardRequestError({
          status: tools.size === 0 ? 501 : 400,
          message:
            tools.size === 0
              ? 'this server runs no tools (autotraj serve --tools python)'
              : `invalid request at tool: no tool ${JSON.stringify(request.tool)} (served: ${[...tools.keys()].join(', ')})`,
        });
      // Tag content is parsed as the text-tag loop parses it, so the tool sees the same input.
      const input =
        typeof request.input === 'string'
          ? toolInputFromTagContent(tool.name, request.input)
          : (request.input as JsonValue);
      const sessionId = request.session_id;
      if (sessionId !== undefined) {
        const held = sessions.get(sessionId) ?? new Set<ToolRuntime>();
        held.add(tool);
        sessions.set(sessionId, held);
      }
      const result = await tool.run(input, sessionId === undefined ? {} : { sessionId });
      metrics.toolCall(result.isError);
      return {
        output: result.output,
        is_error: result.isError,
        timed_out: result.timedOut ?? false,
        duration_ms: result.durationMs,
      };
    },
    '/tool/end_session': async (body) => {
      const request = parseRequest(toolEndRequestSchema, body);
      return { ended: await endSession(request.session_id) };
    },
    '/compute_score': async (body) => {
      const request = parseRequest(computeScoreRequestSchema, body);
      const chosen = rewardFor(request.preset);
      if (chosen === null)
        throw new RewardRequestError({
          status: 501,
          message: 'this server has no outcome reward configured; use /score',
        });
      // verl decodes prompt + response: the paper scores the text after the assistant header.
      const text =
        chosen.preset === 'paper'
          ? paperResponseOfSolution(request.solution_str)
          : request.solution_str;
      const question =
        typeof request.extra_info?.question === 'string' ? request.extra_info.question : undefined;
      const [breakdown] = await chosen.reward.score([
        {
          trajectory: trajectoryFromPolicyText(text, { question }),
          question,
          text,
          goldAnswers: [
            ...new Set([...goldAnswersOf(request.ground_truth), ...extraGolds(request.extra_info)]),
          ],
          dataSource: request.data_source,
        },
      ]);
      metrics.trajectories(1);
      // verl collects every key across a batch into lists: the key set must not vary per sample.
      return { score: breakdown!.total, ...COMPONENT_DEFAULTS, ...breakdown!.components };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const handler = Object.hasOwn(routes, path) ? routes[path] : undefined;
    const probe = path === '/health' || path === '/metrics';
    const route = handler !== undefined || probe ? path : 'other';
    let status = 200;
    inflight++;
    try {
      if (closing) {
        status = 503;
        json(res, status, { error: 'server is shutting down' }, true);
      } else if (path === '/health' && req.method === 'GET') {
        json(res, status, {
          status: 'ok',
          uptimeS: (Date.now() - startedAt) / 1000,
          inflight: inflight - 1,
          pending: batcher.pending,
        });
      } else if (path === '/metrics' && req.method === 'GET') {
        const text = metrics.prometheus({
          autotraj_rm_inflight_requests: inflight - 1,
          autotraj_rm_pending_items: batcher.pending,
        });
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(text);
      } else {
        if (handler === undefined) {
          status = probe ? 405 : 404;
          json(res, status, {
            error: probe
              ? `method ${req.method} not allowed on ${path}; use GET`
              : `no route ${path}`,
          });
        } else if (req.method !== 'POST') {
          status = 405;
          json(res, status, { error: `method ${req.method} not allowed on ${path}; use POST` });
        } else {
          json(res, status, await handler(await readBody(req, maxBodyBytes)));
        }
      }
    } catch (error) {
      status = RewardRequestError.isInstance(error) ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      // After a 413 the rest of the body is unread: close the connection rather than drain it.
      if (!res.headersSent) json(res, status, { error: message }, status === 413);
      else res.destroy();
    } finally {
      metrics.request(route, status, performance.now() - started);
      inflight--;
      if (inflight === 0 && idleWaiters.length > 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  };

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => void handle(req, res));

  return {
    server,
    listen({ port = 0, host = '127.0.0.1' } = {}) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({
            host: address.address,
            port: address.port,
            url: `http://${shown}:${address.port}`,
          });
        });
      });
    },
    async close({ timeoutMs = 10_000 } = {}) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idle =
        inflight === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => idleWaiters.push(resolve));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all([idle, batcher.drain()]), timeout]);
      clearTimeout(timer);
      await Promise.all([...sessions.keys()].map(endSession));
      server.closeAllConnections();
      await closed;
    },
    metrics: () => metrics.snapshot(),
  };
}

/** Components the paper reward can emit; 0 when a term did not apply (e.g. no RM call for a wrong answer). */
const COMPONENT_DEFAULTS = {
  format: 0,
  formatViolations: 0,
  outcome: 0,
  trajectoryModel: 0,
  trajectoryModelBonus: 0,
};

/** OpenRLHF `extra_logs`: one list per reward component, aligned with the queries. */
function componentLogs(
  breakdowns: ReadonlyArray<{ components: Record<string, number> }>,
): Record<string, number[]> {
  const names = new Set<string>();
  for (const b of breakdowns) for (const name of Object.keys(b.components)) names.add(name);
  const logs: Record<string, number[]> = {};
  for (const name of names) logs[name] = breakdowns.map((b) => b.components[name] ?? 0);
  return logs;
}

/** Aliases our verl export puts in `extra_info.gold_answers` (QA data sets have several). */
function extraGolds(extra: Record<string, unknown> | null | undefined): string[] {
  const golds = extra?.gold_answers;
  return Array.isArray(golds)
    ? golds
        .filter((g): g is string | number => typeof g === 'string' || typeof g === 'number')
        .map(String)
    : [];
}
