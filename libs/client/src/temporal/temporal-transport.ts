/**
 * The transport straight on a Temporal client: for workers' neighbours, tests
 * and scripts that have Temporal but no Kiln API. Runs and schedules work
 * fully; stored pipelines and step logs live in the artifact store behind the
 * API, so those calls answer `unsupported`.
 */
import { startPipelineRun, type RunOptions } from '@kiln/engine';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { specDigest } from '@kiln/ir/node';
import { Client, Connection } from '@temporalio/client';
import { checkRunParams } from '../check-params';
import { KilnApiError, unsupported } from '../errors';
import type { StartedRun } from '../resources';
import type { Transport } from '../transport';
import { describeRun, getRun, listRuns, readRunInput } from './runs';
import { createSchedule, getSchedule, listSchedules } from './schedules';
import { temporalCall } from './temporal-errors';

export interface TemporalConnectionOptions {
  /** A Temporal client to use (the caller closes it), or... */
  client?: Client;
  /** ...a connection to make one on (the caller closes it), or... */
  connection?: Connection;
  /** ...an address to connect to (closed by `client.close()`), e.g. `127.0.0.1:7233`. */
  address?: string;
  /** Default `default`. */
  namespace?: string;
  /** The Kiln worker's task queue. */
  taskQueue: string;
  /** Temporal Web UI base URL, for links in run documents. */
  uiUrl?: string;
  /** Recorded as the creator of schedules (the API records the token's name). Default `temporal-client`. */
  identity?: string;
}

const noStore = 'straight on Temporal: pipelines and logs are kept in the artifact store behind the Kiln API; use createKilnClient({ api })';

export function createTemporalTransport(options: TemporalConnectionOptions): Transport {
  let owned: Connection | undefined;
  let client: Promise<Client> | undefined;
  const getClient = () =>
    (client ??= (async () => {
      if (options.client) return options.client;
      let connection = options.connection;
      if (!connection) {
        if (!options.address) throw new KilnApiError(422, 'invalid-request', 'createKilnClient({ temporal }) needs a client, a connection or an address');
        connection = owned = await temporalCall(() => Connection.connect({ address: options.address as string }));
      }
      return new Client({ connection, namespace: options.namespace ?? 'default' });
    })());
  const ui = options.uiUrl;
  const identity = options.identity ?? 'temporal-client';
  const call = <T>(fn: (c: Client) => Promise<T>) => temporalCall(async () => fn(await getClient()));

  async function start(c: Client, spec: PipelineSpec, params: Record<string, JsonValue>, runOptions: RunOptions): Promise<StartedRun> {
    const handle = await startPipelineRun(c, { taskQueue: options.taskQueue, spec, params, options: runOptions });
    return { runId: handle.workflowId, workflowId: handle.workflowId, pipeline: { name: spec.pipeline.name, digest: specDigest(spec) } };
  }

  return {
    kind: 'temporal',

    startRun: (source, params, runOptions) =>
      call(async (c) => {
        if (!('spec' in source)) throw unsupported('running a stored pipeline', `${noStore}, or pass the pipeline or its IR`);
        checkRunParams(source.spec.pipeline.name, source.spec.params, params);
        return start(c, source.spec, params, runOptions);
      }),
    getRun: (runId) => call((c) => getRun(c, runId, ui)),
    listRuns: (filter) => call((c) => listRuns(c, filter, ui)),
    cancelRun: (runId) =>
      call(async (c) => {
        const { handle, description } = await describeRun(c, runId);
        if (description.status.name !== 'RUNNING') throw new KilnApiError(409, 'conflict', `run ${runId} already ended (${description.status.name}); nothing to cancel`);
        await handle.cancel();
      }),
    retryRun: (runId) =>
      call(async (c) => {
        const { description } = await describeRun(c, runId);
        const status = description.status.name;
        if (status === 'RUNNING') throw new KilnApiError(409, 'conflict', `run ${runId} is still running; cancel it first or wait for it to end`);
        if (status === 'COMPLETED') throw new KilnApiError(409, 'conflict', `run ${runId} succeeded; start a new run instead of a retry`);
        const input = await readRunInput(c, runId);
        // Its own run id, the original's other options, and the cache on: succeeded steps are reused.
        const { runId: _previous, ...rest } = input.options;
        return start(c, input.spec, input.params, { ...rest, cache: true });
      }),
    runLogs: async () => {
      throw unsupported('reading step logs', noStore);
    },

    createSchedule: (request) => call((c) => createSchedule(c, options.taskQueue, request, identity)),
    listSchedules: ({ pageSize, pageToken }) => call((c) => listSchedules(c, pageSize ?? 100, pageToken)),
    getSchedule: (id) => call((c) => getSchedule(c, id)),
    pauseSchedule: (id, note) =>
      call(async (c) => {
        await c.schedule.getHandle(id).pause(note ?? `paused by ${identity}`);
        return getSchedule(c, id);
      }),
    resumeSchedule: (id, note) =>
      call(async (c) => {
        await c.schedule.getHandle(id).unpause(note ?? `resumed by ${identity}`);
        return getSchedule(c, id);
      }),
    triggerSchedule: (id, overlap) =>
      call(async (c) => {
        await getSchedule(c, id); // not-found before anything else
        await c.schedule.getHandle(id).trigger(overlap ?? 'ALLOW_ALL');
      }),
    backfillSchedule: (id, { start: from, end: to, overlap }) =>
      call(async (c) => {
        const start = new Date(from);
        const end = new Date(to);
        if (!(start < end)) throw new KilnApiError(422, 'invalid-request', 'backfill start must be before end');
        await getSchedule(c, id);
        await c.schedule.getHandle(id).backfill({ start, end, overlap: overlap ?? 'ALLOW_ALL' });
      }),
    deleteSchedule: (id) => call((c) => c.schedule.getHandle(id).delete()),

    uploadPipeline: async () => {
      throw unsupported('storing pipelines', noStore);
    },
    listPipelines: async () => {
      throw unsupported('listing stored pipelines', noStore);
    },
    getPipeline: async () => {
      throw unsupported('reading stored pipelines', noStore);
    },
    pipelineVersions: async () => {
      throw unsupported('listing pipeline versions', noStore);
    },

    async close() {
      await owned?.close();
    },
  };
}
