/**
 * The transport over the Kiln HTTP API (apps/api; docs/api.md). Paths and
 * bodies follow the API's routes one to one.
 */
import type { RunArtifact, RunState } from '@kiln/engine-client';
import { writeVerified, writeVerifiedDirectory } from '../download';
import { KilnApiError } from '../errors';
import type {
  DownloadedArtifact,
  PipelineSummary,
  PipelineVersion,
  PipelineWithSpec,
  RunDetails,
  RunSummary,
  Schedule,
  ScheduleSummary,
  StartedRun,
} from '../resources';
import { stepLog, utf8Chunks } from '../step-log';
import type { ResolvedSource, Transport } from '../transport';
import { ApiRequester, seg, type ApiConnection } from './request';

const iso = (time: Date | string) => (typeof time === 'string' ? time : time.toISOString());

export function createApiTransport(connection: ApiConnection): Transport {
  const api = new ApiRequester(connection);

  /** A stored reference as it is; inline IR uploaded (idempotent) for calls that take stored pipelines only. */
  async function storedRef(source: ResolvedSource) {
    if ('stored' in source) return source.stored;
    const version = await api.json<PipelineVersion>('POST', '/pipelines', {
      text: JSON.stringify(source.spec),
      contentType: 'application/json',
    });
    return { name: version.name, digest: version.digest };
  }

  return {
    kind: 'api',

    async startRun(source, params, options) {
      return api.json<StartedRun>('POST', '/runs', {
        json: { ...('spec' in source ? { spec: source.spec } : { pipeline: source.stored }), params, ...options },
      });
    },
    getRun: (runId) => api.json<RunDetails>('GET', `/runs/${seg(runId)}`),
    async listRuns(filter) {
      const page = await api.json<{ runs: RunSummary[]; nextPageToken?: string }>('GET', '/runs', {
        query: {
          pipeline: filter.pipeline,
          digest: filter.digest,
          experiment: filter.experiment,
          status: filter.status as RunState | undefined,
          pageSize: filter.pageSize,
          pageToken: filter.pageToken,
        },
      });
      return { items: page.runs, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
    },
    async cancelRun(runId) {
      await api.json('POST', `/runs/${seg(runId)}/cancel`);
    },
    async retryRun(runId) {
      const { runId: newRunId } = await api.json<{ runId: string; retryOf: string }>(
        'POST',
        `/runs/${seg(runId)}/retry`,
      );
      const run = await api.json<RunDetails>('GET', `/runs/${seg(newRunId)}`);
      return {
        runId: newRunId,
        workflowId: newRunId,
        pipeline: {
          name: run.pipeline.name,
          digest: run.origin?.pipelineDigest ?? run.pipeline.digest,
          ...(run.origin?.pipelineVersion ? { version: run.origin.pipelineVersion } : {}),
        },
      };
    },
    async runLogs(runId, taskId, options) {
      const response = await api.send('GET', `/runs/${seg(runId)}/tasks/${seg(taskId)}/logs`, {
        query: {
          attempt: options.attempt,
          iteration: options.iteration?.join(','),
          follow: options.follow ? 'true' : undefined,
          waitSeconds: options.waitSeconds,
        },
        noTimeout: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const attempt = Number(response.headers.get('x-kiln-attempt') ?? '1');
      const source = response.headers.get('x-kiln-log-source') === 'live' ? 'live' : 'saved';
      const body = response.body as AsyncIterable<Uint8Array> | null;
      // A 200 always has a body (an empty log is an empty one); `[]` keeps the types honest.
      return stepLog(attempt, source, utf8Chunks(body ?? []));
    },
    async runArtifacts(runId) {
      const { artifacts } = await api.json<{ artifacts: (RunArtifact & { download: string })[] }>(
        'GET',
        `/runs/${seg(runId)}/artifacts`,
      );
      return artifacts.map(({ download: _path, ...a }) => ({ runId, ...a }));
    },
    async downloadArtifact(artifact, toPath, options) {
      const path = `/runs/${seg(artifact.runId)}/tasks/${seg(artifact.taskId)}/artifacts/${seg(artifact.output)}`;
      const iteration = artifact.iteration?.length ? artifact.iteration.join(',') : undefined;
      const what = `artifact ${artifact.taskId}/${artifact.output} of run ${artifact.runId}`;
      const request = (file?: string) =>
        api.send('GET', path, {
          query: { iteration, path: file },
          noTimeout: true,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      const fetchFile = async (response: Response, target: string, label: string, expected?: string) => {
        const digest = response.headers.get('x-kiln-digest') ?? '';
        if (expected && digest !== expected) {
          // Nobody reads this body: cancel it so the connection is not held.
          await response.body?.cancel();
          throw new KilnApiError(
            0,
            'digest-mismatch',
            `${label}: the API serves digest ${digest || '(none)'}, but ${expected} was expected; nothing was downloaded`,
          );
        }
        if (!response.body)
          throw new KilnApiError(response.status, 'internal', `${label}: the API answered without a body`);
        return writeVerified(response.body as AsyncIterable<Uint8Array>, target, digest, label, options.signal);
      };
      const first = await request();
      // A file comes with its digest header; a directory artifact's answer is its JSON listing.
      if (first.headers.has('x-kiln-digest')) {
        const file = await fetchFile(first, toPath, what, artifact.digest);
        return {
          path: toPath,
          kind: 'file',
          digest: file.digest,
          size: file.size,
          files: [{ path: toPath, ...file }],
        } satisfies DownloadedArtifact;
      }
      // The listing's digest is the one the run recorded; the files, whatever the store holds now.
      const listing = (await first.json()) as { kind: 'directory'; digest: string; files: { path: string }[] };
      if (artifact.digest && listing.digest !== artifact.digest) {
        throw new KilnApiError(
          0,
          'digest-mismatch',
          `${what}: the run recorded digest ${listing.digest}, but ${artifact.digest} was expected; nothing was downloaded`,
        );
      }
      return writeVerifiedDirectory(
        toPath,
        listing.digest,
        what,
        async (writeFile) => {
          for (const entry of listing.files) {
            const response = await request(entry.path);
            const digest = response.headers.get('x-kiln-digest') ?? '';
            if (!response.body)
              throw new KilnApiError(
                response.status,
                'internal',
                `${what}, file ${entry.path}: the API answered without a body`,
              );
            await writeFile(entry.path, response.body as AsyncIterable<Uint8Array>, digest);
          }
        },
        options.signal,
      );
    },

    async createSchedule(request) {
      const { source, interval, startAt, endAt, ...rest } = request;
      return api.json<Schedule>('POST', '/schedules', {
        json: {
          ...rest,
          pipeline: await storedRef(source),
          ...(interval
            ? {
                interval: {
                  every: interval.every,
                  ...(interval.offset !== undefined ? { offset: interval.offset } : {}),
                },
              }
            : {}),
          ...(startAt ? { startAt: iso(startAt) } : {}),
          ...(endAt ? { endAt: iso(endAt) } : {}),
        },
      });
    },
    async listSchedules(options) {
      const page = await api.json<{ schedules: ScheduleSummary[]; nextPageToken?: string }>('GET', '/schedules', {
        query: { pageSize: options.pageSize, pageToken: options.pageToken },
      });
      return { items: page.schedules, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
    },
    getSchedule: (id) => api.json<Schedule>('GET', `/schedules/${seg(id)}`),
    pauseSchedule: (id, note) =>
      api.json<Schedule>('POST', `/schedules/${seg(id)}/pause`, { json: note ? { note } : {} }),
    resumeSchedule: (id, note) =>
      api.json<Schedule>('POST', `/schedules/${seg(id)}/resume`, { json: note ? { note } : {} }),
    async triggerSchedule(id, overlap) {
      await api.json('POST', `/schedules/${seg(id)}/trigger`, { json: overlap ? { overlap } : {} });
    },
    async backfillSchedule(id, options) {
      await api.json('POST', `/schedules/${seg(id)}/backfill`, {
        json: {
          start: iso(options.start),
          end: iso(options.end),
          ...(options.overlap ? { overlap: options.overlap } : {}),
        },
      });
    },
    async deleteSchedule(id) {
      await api.json('DELETE', `/schedules/${seg(id)}`);
    },

    uploadPipeline: (ir, options) =>
      api.json<PipelineVersion & { created: boolean }>('POST', '/pipelines', {
        text: ir,
        contentType: ir.trimStart().startsWith('{') ? 'application/json' : 'application/yaml',
        query: { version: options.version, description: options.description },
      }),
    async listPipelines() {
      return (await api.json<{ pipelines: PipelineSummary[] }>('GET', '/pipelines')).pipelines;
    },
    async getPipeline(name, ref) {
      if (ref.digest) {
        const byDigest = await api.json<PipelineWithSpec>('GET', `/pipelines/${seg(name)}/digests/${seg(ref.digest)}`);
        if (ref.version) {
          const version = await api.json<PipelineWithSpec>(
            'GET',
            `/pipelines/${seg(name)}/versions/${seg(ref.version)}`,
          );
          if (version.digest !== ref.digest)
            throw new KilnApiError(
              409,
              'conflict',
              `pipeline ${name} version ${ref.version} has digest ${version.digest}, not ${ref.digest}`,
            );
          return version;
        }
        return byDigest;
      }
      const version =
        ref.version ?? (await api.json<{ latest: PipelineVersion }>('GET', `/pipelines/${seg(name)}`)).latest.version;
      return api.json<PipelineWithSpec>('GET', `/pipelines/${seg(name)}/versions/${seg(version)}`);
    },
    async pipelineVersions(name) {
      return (await api.json<{ versions: PipelineVersion[] }>('GET', `/pipelines/${seg(name)}`)).versions;
    },

    close: async () => undefined,
  };
}
