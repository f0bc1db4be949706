/**
 * The `KilnClient` both transports share: compiles DSL pipelines, makes run
 * handles, watches, waits for results and pages through listings on top of a
 * transport's primitive calls.
 */
import { compile, isPipeline } from '@kiln/dsl';
import type { RunStatusDocument } from '@kiln/engine-client';
import { canonicalize, type JsonValue, type PipelineSpec } from '@kiln/ir';
import type { KilnClient, RunHandle } from './client';
import { KilnApiError, KilnRunFailedError } from './errors';
import type { PipelineSource } from './params';
import type { Page, Paginated, StartedRun, StartRunOptions, WatchOptions } from './resources';
import type { ResolvedSource, Transport } from './transport';
import { watchRun } from './watch';

/** A DSL pipeline compiles to IR; IR and stored references pass as they are. */
export function resolveSource(source: PipelineSource): ResolvedSource {
  if (isPipeline(source)) return { spec: compile(source) };
  if (isSpec(source)) return { spec: source };
  if (typeof source === 'object' && source !== null && typeof source.name === 'string') {
    return {
      stored: {
        name: source.name,
        ...(source.version ? { version: source.version } : {}),
        ...(source.digest ? { digest: source.digest } : {}),
      },
    };
  }
  throw new KilnApiError(
    422,
    'invalid-request',
    'expected a pipeline: a pipeline() from @kiln/dsl, its compiled IR, or { name, version?, digest? } of a stored one',
  );
}

function isSpec(value: unknown): value is PipelineSpec {
  return (
    typeof value === 'object' && value !== null && 'schemaVersion' in value && 'pipeline' in value && 'root' in value
  );
}

/** Pages fetched on demand, from `first` (a page token) on. */
export function paginate<T>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
  first?: string,
): Paginated<T> {
  async function* pages(): AsyncGenerator<Page<T>> {
    let token = first;
    do {
      const page = await fetchPage(token);
      yield page;
      token = page.nextPageToken;
    } while (token);
  }
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
  };
}

export function buildClient(transport: Transport): KilnClient {
  const watch = (runId: string, options?: WatchOptions) => watchRun(() => transport.getRun(runId), options);

  async function result(runId: string, options?: WatchOptions): Promise<RunStatusDocument> {
    let last: RunStatusDocument | undefined;
    for await (const update of watch(runId, options)) last = update.run;
    if (!last || options?.signal?.aborted)
      throw new KilnApiError(0, 'unavailable', `stopped waiting for run ${runId} before it ended`);
    if (last.state === 'SUCCEEDED') return last;
    throw new KilnRunFailedError({ ...last, state: last.state === 'CANCELLED' ? 'CANCELLED' : 'FAILED' });
  }

  const handle = (started: StartedRun): RunHandle => ({
    ...started,
    get: () => transport.getRun(started.runId),
    watch: (options) => watch(started.runId, options),
    result: (options) => result(started.runId, options),
    cancel: () => transport.cancelRun(started.runId),
  });

  return {
    transport: transport.kind,
    whoami: () => transport.whoami(),
    close: () => transport.close(),
    runs: {
      async start(pipeline, ...args) {
        const [params, options] = args as [Record<string, JsonValue> | undefined, StartRunOptions | undefined];
        return handle(await transport.startRun(resolveSource(pipeline), params ?? {}, options ?? {}));
      },
      get: (runId) => transport.getRun(runId),
      list: (filter = {}) =>
        paginate(
          (pageToken) => transport.listRuns({ ...filter, ...(pageToken ? { pageToken } : {}) }),
          filter.pageToken,
        ),
      cancel: (runId) => transport.cancelRun(runId),
      retry: async (runId) => handle(await transport.retryRun(runId)),
      watch,
      result,
      logs: (runId, taskId, options = {}) => transport.runLogs(runId, taskId, options),
      artifacts: (runId) => transport.runArtifacts(runId),
      iterations: (runId, taskId, options = {}) => transport.loopIterations(runId, taskId, options),
      metrics: (runIds) => transport.runsMetrics(runIds),
      events: (runId, options = {}) => transport.runEvents(runId, options),
      experiments: (filter = {}) => transport.listExperiments(filter),
    },
    artifacts: {
      download: (artifact, toPath, options = {}) =>
        transport.downloadArtifact(
          {
            runId: artifact.runId,
            taskId: artifact.taskId,
            output: artifact.output,
            ...(artifact.iteration?.length ? { iteration: artifact.iteration } : {}),
            ...(artifact.digest ? { digest: artifact.digest } : {}),
          },
          toPath,
          options,
        ),
    },
    schedules: {
      create(options) {
        const { pipeline, params, cron, ...rest } = options as typeof options & { params?: Record<string, JsonValue> };
        return transport.createSchedule({
          ...rest,
          ...(cron === undefined ? {} : { cron: Array.isArray(cron) ? cron : [cron] }),
          source: resolveSource(pipeline),
          params: params ?? {},
        });
      },
      list: (options = {}) =>
        paginate(
          (pageToken) => transport.listSchedules({ ...options, ...(pageToken ? { pageToken } : {}) }),
          options.pageToken,
        ),
      get: (id) => transport.getSchedule(id),
      pause: (id, note) => transport.pauseSchedule(id, note),
      resume: (id, note) => transport.resumeSchedule(id, note),
      trigger: (id, options) => transport.triggerSchedule(id, options?.overlap),
      backfill: (id, options) => transport.backfillSchedule(id, options),
      delete: (id) => transport.deleteSchedule(id),
    },
    pipelines: {
      upload(pipeline, options = {}) {
        const ir =
          typeof pipeline === 'string' ? pipeline : canonicalize(isPipeline(pipeline) ? compile(pipeline) : pipeline);
        return transport.uploadPipeline(ir, options);
      },
      list: () => transport.listPipelines(),
      get: (name, ref = {}) => transport.getPipeline(name, ref),
      versions: (name) => transport.pipelineVersions(name),
    },
  };
}
