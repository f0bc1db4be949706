/**
 * What the web UI reads besides a run's status document: the iterations of a
 * loop task a page at a time (batched loops included), the metrics of many runs
 * in one call (experiment comparison), a live stream of a run's task-state
 * changes (server-sent events) that ends with the run, and the experiments runs
 * were started under.
 */
import { runStateSchema, taskStateSchema, taskStatusSchema } from '@kiln/engine-contract/schemas';
import { jsonValueSchema } from '@kiln/ir';
import { z } from 'zod';
import { pageSize, pageToken, queryValue, runId, taskId } from './fields';
import { defineRoute } from './route';
import type { RunMetrics } from './types';

/** Most run ids one metrics call takes: what a comparison shows side by side, with room to spare. */
export const maxComparedRuns = 50;

export const loopIterationsQuerySchema = z.strictObject({
  state: taskStateSchema.optional().describe('Only iterations in this state (failed: what went wrong)'),
  pageSize: pageSize(50),
  pageToken: pageToken.optional(),
});

export const loopIterationPageSchema = z
  .object({
    runId: z.string(),
    taskId: z.string(),
    total: z.number().int().describe('Iterations of the task the run has recorded so far (all states)'),
    counts: z.partialRecord(taskStateSchema, z.number().int()).describe('Of `total`, how many are in each state'),
    matching: z.number().int().describe('Iterations that match the state filter (all of them without one)'),
    iterations: z
      .array(taskStatusSchema)
      .describe("The task's entries in this page, by loop index, each with its outputs and attempts"),
    nextPageToken: z.string().optional().describe('Pass as pageToken for the next page; absent on the last page'),
  })
  .meta({ id: 'LoopIterationPage', description: "One page of a loop task's iterations" });

/** Run ids in a query string, comma-separated: `a,b,c`. */
export const runIdList = z
  .string()
  .max(maxComparedRuns * 256)
  .transform((value) => value.split(','))
  .pipe(
    z
      .array(runId)
      .min(1)
      .max(maxComparedRuns, { error: `at most ${maxComparedRuns} run ids` }),
  )
  .describe('Run ids separated by commas');

export const runsMetricsQuerySchema = z.strictObject({ runIds: runIdList });

export const runMetricSchema = z.object({
  taskId: z.string(),
  iteration: z.array(z.number().int()).optional(),
  output: z.string().describe('The Metrics artifact (output) it was logged in'),
  name: z.string(),
  value: z.number(),
});

export const runMetricsSchema = z
  .object({
    runId: z.string(),
    pipeline: z.object({ name: z.string(), digest: z.string() }),
    experiment: z.string().optional(),
    state: runStateSchema,
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    params: z.record(z.string(), jsonValueSchema),
    metrics: z.array(runMetricSchema).describe("Every numeric value of the run's Metrics artifacts' metadata"),
  })
  .meta({ id: 'RunMetrics', description: "A run's parameters and scalar metrics, for comparison" });

export const runsMetricsSchema = z.object({
  runs: z.array(runMetricsSchema).describe('In the order asked for'),
  missing: z.array(z.string()).describe('Run ids that name no run'),
});

/** The events of `GET /runs/:runId/events`, by name. */
export const runEventSchemas = {
  /** The whole run first: its status document (tasks included) with Temporal's view. */
  snapshot: z.object({ runId: z.string(), state: runStateSchema, tasks: z.array(taskStatusSchema) }).loose(),
  /** Task entries that changed since the last event (state, attempts, outputs, ...). */
  tasks: z.object({ tasks: z.array(taskStatusSchema) }),
  /** The run's own state changed. */
  run: z.object({ state: runStateSchema, finishedAt: z.string().optional(), error: z.string().optional() }),
  /** The run ended (or the stream's time ran out: `reason: 'timeout'`); the server closes the stream. */
  end: z.object({ state: runStateSchema, reason: z.enum(['ended', 'timeout']) }),
} as const;
export type RunEventName = keyof typeof runEventSchemas;
export type RunEvent = { [N in RunEventName]: { event: N; data: z.infer<(typeof runEventSchemas)[N]> } }[RunEventName];

export const runEventsQuerySchema = z.strictObject({
  waitSeconds: z.coerce
    .number<number>()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(3600)
    .describe('How long the stream lasts at most (then an `end` event with reason timeout)'),
});

export const experimentsQuerySchema = z.strictObject({
  pipeline: queryValue.optional().describe('Only runs of this pipeline'),
});

export const experimentSummarySchema = z
  .object({
    name: z.string(),
    runs: z.number().int().describe('Runs started under it (among those scanned)'),
    lastStartedAt: z.string(),
    pipelines: z.array(z.string()),
  })
  .meta({ id: 'ExperimentSummary', description: 'An experiment: the runs started with its name' });

export const experimentListSchema = z.object({
  experiments: z.array(experimentSummarySchema).describe('Most recently used first'),
  scannedRuns: z.number().int().describe('Runs with an experiment read to build the list, newest first'),
  complete: z.boolean().describe('False when older runs were left unread (past the scan limit)'),
});

const runParams = z.strictObject({ runId });

export const runInsightRoutes = {
  listLoopIterations: defineRoute({
    method: 'GET',
    path: '/runs/:runId/tasks/:taskId/iterations',
    access: 'viewer',
    tag: 'runs',
    summary: 'Iterations of a task inside a loop, paged, by loop index',
    description:
      "The task's entry per iteration with its state, attempts and outputs, filtered by `state`. For loops run in " +
      "child-workflow batches the entries come from the batches' own status (closed batches are read once and kept).",
    params: z.strictObject({ runId, taskId }),
    query: loopIterationsQuerySchema,
    responses: { 200: loopIterationPageSchema },
    errors: [404],
  }),
  getRunsMetrics: defineRoute({
    method: 'GET',
    path: '/runs/metrics',
    access: 'viewer',
    tag: 'runs',
    summary: 'Parameters and metrics of many runs in one call',
    description: `For comparing runs: up to ${maxComparedRuns} run ids, each answered with its parameters and the numeric metadata of its Metrics artifacts.`,
    query: runsMetricsQuerySchema,
    responses: { 200: runsMetricsSchema },
  }),
  streamRunEvents: defineRoute({
    method: 'GET',
    path: '/runs/:runId/events',
    access: 'viewer',
    tag: 'runs',
    summary: "A live stream of a run's task-state changes (server-sent events)",
    description:
      '`text/event-stream`: a `snapshot` event (the run resource), then `tasks` events with the entries that changed and ' +
      '`run` events when the run state changes, then `end` when the run ends (or after waitSeconds); the server then closes the stream. ' +
      'Events carry ids; a reconnect starts with a fresh snapshot. Streams of one run share one read of it per second; ' +
      'open streams are capped in all and per token (429 too-many-requests over a cap: close one, or poll GET /runs/:runId).',
    params: runParams,
    query: runEventsQuerySchema,
    responses: {
      200: {
        description: 'Server-sent events, JSON in each `data:` line',
        content: {
          'text/event-stream': {
            schema: z.unknown().meta({ type: 'string', description: 'event: <snapshot|tasks|run|end>\\ndata: <JSON>' }),
          },
        },
      },
    },
    errors: [404, 429],
  }),
  listExperiments: defineRoute({
    method: 'GET',
    path: '/experiments',
    access: 'viewer',
    tag: 'runs',
    summary: 'Experiments runs were started under, most recently used first',
    description: 'Built from Temporal visibility (the KilnExperiment search attribute) over the newest runs.',
    query: experimentsQuerySchema,
    responses: { 200: experimentListSchema },
  }),
};

/** A run's scalar metrics. */
export type RunMetric = z.infer<typeof runMetricSchema>;

/**
 * The scalar metrics of a run's tasks: every finite number in the metadata of
 * their Metrics artifacts (what `log_metric` records), in task order. What
 * `GET /runs/metrics` answers per run, for clients that read the run themselves.
 *
 * @example
 * ```ts
 * scalarMetricsOf(run.tasks); // [{ taskId: 'evaluate-model', output: 'metrics', name: 'accuracy', value: 0.96 }]
 * ```
 */
export function scalarMetricsOf(
  tasks: readonly {
    id: string;
    iteration?: number[];
    outputs: { artifacts: Record<string, { type: string; metadata: Record<string, unknown> }> };
  }[],
): RunMetric[] {
  const metrics: RunMetric[] = [];
  for (const task of tasks) {
    for (const [output, ref] of Object.entries(task.outputs.artifacts)) {
      if (ref.type !== 'metrics') continue;
      for (const [name, value] of Object.entries(ref.metadata)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        metrics.push({
          taskId: task.id,
          ...(task.iteration?.length ? { iteration: task.iteration } : {}),
          output,
          name,
          value,
        });
      }
    }
  }
  return metrics;
}

/**
 * One run's entry of `GET /runs/metrics`: its identity, state, parameters and scalar metrics,
 * from a run read by whoever has it (the API from Temporal, or the client straight on Temporal).
 *
 * @example
 * ```ts
 * runMetricsOf('kiln-training-a', await getKilnRun(client, 'kiln-training-a'));
 * ```
 */
export function runMetricsOf(
  runId: string,
  run: Omit<RunMetrics, 'runId' | 'metrics'> & { tasks: Parameters<typeof scalarMetricsOf>[0] },
): RunMetrics {
  return {
    runId,
    pipeline: run.pipeline,
    ...(run.experiment !== undefined ? { experiment: run.experiment } : {}),
    state: run.state,
    startedAt: run.startedAt,
    ...(run.finishedAt !== undefined ? { finishedAt: run.finishedAt } : {}),
    params: run.params,
    metrics: scalarMetricsOf(run.tasks),
  };
}
