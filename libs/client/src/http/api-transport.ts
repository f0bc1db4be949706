/**
 * The transport over the Kiln HTTP API (apps/api; docs/api.md): every call is
 * a route of `@kiln/api-contract`, so paths, methods, request and answer
 * shapes are the server's own definitions.
 */
import { apiRoutes, kilnHeaders, versionDigestMismatch } from '@kiln/api-contract';
import { KilnApiError } from '../errors';
import type { PipelineWithSpec } from '../resources';
import { stepLog, utf8Chunks } from '../step-log';
import type { ResolvedSource, Transport } from '../transport';
import { downloadArtifact } from './download-artifact';
import { ApiRequester, type ApiConnection } from './request';
import { readRunEvents } from './run-events';
import { isoTime } from '../iso-time';

/** The pipeline transport calls: upload, list, read a version with its IR. */
function pipelineCalls(api: ApiRequester) {
  async function getPipeline(name: string, ref: { version?: string; digest?: string }): Promise<PipelineWithSpec> {
    if (ref.digest) {
      const byDigest = await api.call(apiRoutes.getPipelineByDigest, { params: { name, digest: ref.digest } });
      if (!ref.version) return byDigest;
      const version = await api.call(apiRoutes.getPipelineVersion, { params: { name, version: ref.version } });
      if (version.digest !== ref.digest)
        throw new KilnApiError(409, 'conflict', versionDigestMismatch(name, ref.version, version.digest, ref.digest));
      return version;
    }
    const version = ref.version ?? (await api.call(apiRoutes.getPipeline, { params: { name } })).latest.version;
    return api.call(apiRoutes.getPipelineVersion, { params: { name, version } });
  }
  return {
    uploadPipeline: (ir: string, options: { version?: string; description?: string }) =>
      api.call(apiRoutes.uploadPipeline, {
        body: ir,
        contentType: ir.trimStart().startsWith('{') ? 'application/json' : 'application/yaml',
        query: options,
      }),
    listPipelines: async () => (await api.call(apiRoutes.listPipelines, {})).pipelines,
    getPipeline,
    pipelineVersions: async (name: string) => (await api.call(apiRoutes.getPipeline, { params: { name } })).versions,
  } satisfies Partial<Transport>;
}

/** What the web UI reads besides runs: loop iterations, metrics of many runs, run events, experiments. */
function insightCalls(api: ApiRequester) {
  return {
    loopIterations: (runId, taskId, options) =>
      api.call(apiRoutes.listLoopIterations, { params: { runId, taskId }, query: options }),
    runsMetrics: (runIds) => api.call(apiRoutes.getRunsMetrics, { query: { runIds: runIds.join(',') } }),
    async *runEvents(runId, options) {
      const response = await api.open(apiRoutes.streamRunEvents, {
        params: { runId },
        query: options.waitSeconds !== undefined ? { waitSeconds: options.waitSeconds } : {},
        noTimeout: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!response.body) return;
      yield* readRunEvents(response.body);
    },
    listExperiments: (filter) => api.call(apiRoutes.listExperiments, { query: filter }),
  } satisfies Partial<Transport>;
}

/** The run transport calls: start, read, list, cancel, retry, logs, artifacts. */
function runCalls(api: ApiRequester) {
  return {
    startRun: (source, params, options) =>
      api.call(apiRoutes.createRun, {
        body: { ...('spec' in source ? { spec: source.spec } : { pipeline: source.stored }), params, ...options },
      }),
    getRun: (runId) => api.call(apiRoutes.getRun, { params: { runId } }),
    async listRuns(filter) {
      const page = await api.call(apiRoutes.listRuns, { query: filter });
      return { items: page.runs, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
    },
    async cancelRun(runId) {
      await api.call(apiRoutes.cancelRun, { params: { runId } });
    },
    async retryRun(runId) {
      const retried = await api.call(apiRoutes.retryRun, { params: { runId } });
      const run = await api.call(apiRoutes.getRun, { params: { runId: retried.runId } });
      return {
        runId: retried.runId,
        workflowId: retried.runId,
        pipeline: {
          name: run.pipeline.name,
          digest: run.origin?.pipelineDigest ?? run.pipeline.digest,
          ...(run.origin?.pipelineVersion ? { version: run.origin.pipelineVersion } : {}),
        },
      };
    },
    async runLogs(runId, taskId, options) {
      const response = await api.open(apiRoutes.getStepLog, {
        params: { runId, taskId },
        query: {
          ...(options.attempt !== undefined ? { attempt: options.attempt } : {}),
          ...(options.iteration ? { iteration: options.iteration.join(',') } : {}),
          ...(options.follow ? { follow: 'true' } : {}),
          ...(options.waitSeconds !== undefined ? { waitSeconds: options.waitSeconds } : {}),
        },
        noTimeout: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const attempt = Number(response.headers.get(kilnHeaders.attempt) ?? '1');
      const source = response.headers.get(kilnHeaders.logSource) === 'live' ? 'live' : 'saved';
      const body = response.body as AsyncIterable<Uint8Array> | null;
      // A 200 always has a body (an empty log is an empty one); `[]` keeps the types honest.
      return stepLog(attempt, source, utf8Chunks(body ?? []));
    },
    async runArtifacts(runId) {
      const { artifacts } = await api.call(apiRoutes.listRunArtifacts, { params: { runId } });
      return artifacts.map(({ download: _path, ...a }) => ({ runId, ...a }));
    },
    downloadArtifact: (artifact, toPath, options) => downloadArtifact(api, artifact, toPath, options),
  } satisfies Partial<Transport>;
}

/** The schedule transport calls; a schedule of inline IR uploads it first (idempotent). */
function scheduleCalls(api: ApiRequester) {
  /** A stored reference as it is; inline IR uploaded (idempotent) for calls that take stored pipelines only. */
  async function storedRef(source: ResolvedSource) {
    if ('stored' in source) return source.stored;
    const version = await api.call(apiRoutes.uploadPipeline, {
      body: JSON.stringify(source.spec),
      contentType: 'application/json',
    });
    return { name: version.name, digest: version.digest };
  }
  return {
    async createSchedule(request) {
      const { source, startAt, endAt, ...rest } = request;
      return api.call(apiRoutes.createSchedule, {
        body: {
          ...rest,
          pipeline: await storedRef(source),
          ...(startAt ? { startAt: isoTime(startAt) } : {}),
          ...(endAt ? { endAt: isoTime(endAt) } : {}),
        },
      });
    },
    async listSchedules(options) {
      const page = await api.call(apiRoutes.listSchedules, { query: options });
      return { items: page.schedules, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
    },
    getSchedule: (id) => api.call(apiRoutes.getSchedule, { params: { id } }),
    pauseSchedule: (id, note) => api.call(apiRoutes.pauseSchedule, { params: { id }, body: note ? { note } : {} }),
    resumeSchedule: (id, note) => api.call(apiRoutes.resumeSchedule, { params: { id }, body: note ? { note } : {} }),
    async triggerSchedule(id, overlap) {
      await api.call(apiRoutes.triggerSchedule, { params: { id }, body: overlap ? { overlap } : {} });
    },
    async backfillSchedule(id, { start, end, overlap }) {
      await api.call(apiRoutes.backfillSchedule, {
        params: { id },
        body: { start: isoTime(start), end: isoTime(end), ...(overlap ? { overlap } : {}) },
      });
    },
    async deleteSchedule(id) {
      await api.call(apiRoutes.deleteSchedule, { params: { id } });
    },
  } satisfies Partial<Transport>;
}

export function createApiTransport(connection: ApiConnection): Transport {
  const api = new ApiRequester(connection);
  return {
    kind: 'api',
    ...runCalls(api),
    ...insightCalls(api),
    ...scheduleCalls(api),
    ...pipelineCalls(api),
    whoami: () => api.call(apiRoutes.whoami, {}),
    close: async () => undefined,
  };
}
