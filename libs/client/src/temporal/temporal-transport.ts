/**
 * The transport straight on a Temporal client: for workers' neighbours, tests
 * and scripts that have Temporal but no Kiln API. Runs and schedules work
 * fully, through the same `@kiln/engine-client` helpers the API uses; output
 * artifacts download straight from the artifact store when one is given;
 * stored pipelines and step logs live behind the API, so those calls answer
 * `unsupported`.
 */
import {
  cancelKilnRun,
  describeKilnSchedule,
  getKilnRun,
  listKilnRuns,
  listKilnSchedules,
  requireOutputArtifact,
  retryInput,
  runArtifacts,
  startPipelineRun,
  type RunOptions,
} from '@kiln/engine-client';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { specDigest } from '@kiln/ir/node';
import { Client, Connection } from '@temporalio/client';
import { backfillBodySchema } from '@kiln/api-contract';
import { checkRequest } from '../check-request';
import { checkRunParams } from '../check-params';
import { writeVerified, writeVerifiedDirectory } from '../download';
import { KilnApiError, unsupported } from '../errors';
import type { ArtifactLocator, DownloadedArtifact, DownloadOptions, StartedRun } from '../resources';
import type { Transport } from '../transport';
import { metricsOfRuns } from './run-metrics';
import { createSchedule } from './schedules';
import type { ArtifactStoreReader } from './store-reader';
import { temporalCall } from './temporal-errors';
import { isoTime } from '../iso-time';

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
  /**
   * The artifact store the workers write to (e.g. `openStore(url)` from
   * `@kiln/artifacts`), for `artifacts.download`. Without it, downloads answer `unsupported`.
   */
  store?: ArtifactStoreReader;
}

const noStore =
  'straight on Temporal: pipelines and logs are kept in the artifact store behind the Kiln API; use createKilnClient({ api })';
const noApi = 'straight on Temporal: the Kiln API serves it; use createKilnClient({ api })';
const noArtifactStore =
  'straight on Temporal without an artifact store: pass createKilnClient({ temporal: { ..., store: openStore(url) } }) or use createKilnClient({ api })';

export function createTemporalTransport(options: TemporalConnectionOptions): Transport {
  let owned: Connection | undefined;
  let client: Promise<Client> | undefined;
  const getClient = () =>
    (client ??= (async () => {
      if (options.client) return options.client;
      let connection = options.connection;
      if (!connection) {
        if (!options.address)
          throw new KilnApiError(
            422,
            'invalid-request',
            'createKilnClient({ temporal }) needs a client, a connection or an address',
          );
        connection = owned = await temporalCall(() => Connection.connect({ address: options.address as string }));
      }
      return new Client({ connection, namespace: options.namespace ?? 'default' });
    })());
  const ui = options.uiUrl;
  const identity = options.identity ?? 'temporal-client';
  const call = <T>(fn: (c: Client) => Promise<T>) => temporalCall(async () => fn(await getClient()));

  async function start(
    c: Client,
    spec: PipelineSpec,
    params: Record<string, JsonValue>,
    runOptions: RunOptions,
  ): Promise<StartedRun> {
    const handle = await startPipelineRun(c, { taskQueue: options.taskQueue, spec, params, options: runOptions });
    return {
      runId: handle.workflowId,
      workflowId: handle.workflowId,
      pipeline: { name: spec.pipeline.name, digest: specDigest(spec) },
    };
  }

  return {
    kind: 'temporal',

    startRun: (source, params, runOptions) =>
      call(async (c) => {
        if (!('spec' in source))
          throw unsupported('running a stored pipeline', `${noStore}, or pass the pipeline or its IR`);
        checkRunParams(source.spec.pipeline.name, source.spec.params, params);
        return start(c, source.spec, params, runOptions);
      }),
    getRun: (runId) => call((c) => getKilnRun(c, runId, ui ? { uiUrl: ui } : {})),
    listRuns: (filter) => call((c) => listKilnRuns(c, { ...filter, pageSize: filter.pageSize ?? 50 }, ui)),
    cancelRun: (runId) => call((c) => cancelKilnRun(c, runId)),
    retryRun: (runId) =>
      call(async (c) => {
        const { input } = await retryInput(c, runId);
        return start(c, input.spec, input.params, input.options);
      }),
    runLogs: async () => {
      throw unsupported('reading step logs', noStore);
    },
    loopIterations: async () => {
      throw unsupported('reading loop iterations a page at a time', noApi);
    },
    runsMetrics: (runIds) => call((c) => metricsOfRuns(c, runIds)),
    runEvents: () => {
      throw unsupported('streaming run events', `${noApi} (runs.watch polls the run instead)`);
    },
    listExperiments: async () => {
      throw unsupported('listing experiments', noApi);
    },
    runArtifacts: (runId) => call(async (c) => runArtifacts(await getKilnRun(c, runId)).map((a) => ({ runId, ...a }))),
    downloadArtifact: (artifact, toPath, downloadOptions) =>
      call(async (c) => {
        if (!options.store) throw unsupported('downloading artifacts', noArtifactStore);
        return downloadFromStore(options.store, await getKilnRun(c, artifact.runId), artifact, toPath, downloadOptions);
      }),

    createSchedule: (request) => call((c) => createSchedule(c, options.taskQueue, request, identity)),
    listSchedules: ({ pageSize, pageToken }) => call((c) => listKilnSchedules(c, pageSize ?? 100, pageToken)),
    getSchedule: (id) => call((c) => describeKilnSchedule(c, id)),
    pauseSchedule: (id, note) =>
      call(async (c) => {
        await c.schedule.getHandle(id).pause(note ?? `paused by ${identity}`);
        return describeKilnSchedule(c, id);
      }),
    resumeSchedule: (id, note) =>
      call(async (c) => {
        await c.schedule.getHandle(id).unpause(note ?? `resumed by ${identity}`);
        return describeKilnSchedule(c, id);
      }),
    triggerSchedule: (id, overlap) =>
      call(async (c) => {
        await describeKilnSchedule(c, id); // not-found before anything else
        await c.schedule.getHandle(id).trigger(overlap ?? 'ALLOW_ALL');
      }),
    backfillSchedule: (id, { start, end, overlap }) =>
      call(async (c) => {
        const range = checkRequest(backfillBodySchema, { start: isoTime(start), end: isoTime(end), overlap });
        await describeKilnSchedule(c, id);
        await c.schedule
          .getHandle(id)
          .backfill({ start: new Date(range.start), end: new Date(range.end), overlap: range.overlap });
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
    whoami: async () => {
      throw unsupported('telling who holds a token', `${noApi} (Temporal connections carry no Kiln token)`);
    },

    async close() {
      await owned?.close();
    },
  };
}

/** An output artifact straight from the store, checked against the digest the run recorded (a directory: over its files as downloaded). */
async function downloadFromStore(
  store: ArtifactStoreReader,
  run: Parameters<typeof requireOutputArtifact>[0],
  artifact: ArtifactLocator,
  toPath: string,
  options: DownloadOptions,
): Promise<DownloadedArtifact> {
  const ref = requireOutputArtifact(run, artifact);
  const what = `artifact ${artifact.taskId}/${artifact.output} of run ${artifact.runId}`;
  if (!store.owns(ref.uri))
    throw new KilnApiError(404, 'not-found', `${what} is at ${ref.uri}, outside the store at ${store.url}`);
  // The digest the run recorded is the artifact's identity; a caller's expectation must agree with it.
  const recorded = ref.digest;
  if (artifact.digest && recorded && artifact.digest !== recorded) {
    throw new KilnApiError(
      0,
      'digest-mismatch',
      `${what}: the run recorded digest ${recorded}, but ${artifact.digest} was expected; nothing was downloaded`,
    );
  }
  const key = store.keyOf(ref.uri);
  const stat = await store.stat(key);
  if (stat.kind === 'file') {
    const file = await writeVerified(
      await store.get(key),
      toPath,
      artifact.digest ?? recorded ?? stat.digest,
      what,
      options.signal,
    );
    return { path: toPath, kind: 'file', digest: file.digest, size: file.size, files: [{ path: toPath, ...file }] };
  }
  // The sidecar's directory digest says nothing about the files under it: the listing is recomputed from what downloads.
  const files: string[] = [];
  for await (const fileKey of store.list(`${key}/`)) files.push(fileKey);
  return writeVerifiedDirectory(
    toPath,
    artifact.digest ?? recorded ?? stat.digest,
    what,
    async (writeFile) => {
      for (const fileKey of files) {
        const fileStat = await store.stat(fileKey);
        await writeFile(fileKey.slice(key.length + 1), await store.get(fileKey), fileStat.digest);
      }
    },
    options.signal,
  );
}
