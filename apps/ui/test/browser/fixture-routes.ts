/**
 * The API routes the UI uses today (docs/api.md), answering from the fixtures.
 * Filters and paging behave like apps/api's: newest first, opaque page tokens.
 */
import { scalarMetricsOf } from '@kiln/api-contract';
import type { RunStatusDocument } from '@kiln/engine-contract';
import {
  htmlArtifact,
  logText,
  markdownArtifact,
  pipelines,
  runs,
  schedules,
  type FixtureRun,
  type FixtureSchedule,
} from '../fixtures/api-fixtures';

export type ApiAnswer =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; contentType: string; body: string; headers?: Record<string, string> };

const json = (body: unknown, status = 200): ApiAnswer => ({ kind: 'json', status, body });
const notFound = (what: string): ApiAnswer => json({ error: { code: 'not-found', message: `${what} not found` } }, 404);

function summary({ doc, temporalUi }: FixtureRun) {
  return {
    runId: doc.runId,
    pipeline: doc.pipeline,
    ...(doc.experiment ? { experiment: doc.experiment } : {}),
    state: doc.state,
    temporalStatus: doc.state === 'RUNNING' ? 'RUNNING' : doc.state === 'FAILED' ? 'FAILED' : 'COMPLETED',
    startedAt: doc.startedAt,
    ...(doc.finishedAt ? { finishedAt: doc.finishedAt } : {}),
    ui: temporalUi,
  };
}

function runResource(run: FixtureRun) {
  return {
    ...run.doc,
    temporal: {
      status: summary(run).temporalStatus,
      runId: `${run.doc.runId}-r1`,
      historyLength: 57,
      ui: run.temporalUi,
    },
    origin: {
      startedBy: 'ada',
      pipelineDigest: run.doc.pipeline.digest,
      ...(run.version ? { pipelineVersion: run.version } : {}),
    },
  };
}

function listedArtifacts(doc: RunStatusDocument) {
  const artifacts = [];
  for (const task of doc.tasks) {
    if (task.batched) continue;
    for (const [output, ref] of Object.entries(task.outputs.artifacts)) {
      const iteration = task.iteration?.length ? `?iteration=${task.iteration.join(',')}` : '';
      artifacts.push({
        taskId: task.id,
        ...(task.iteration?.length ? { iteration: task.iteration } : {}),
        output,
        ...ref,
        download: `/runs/${encodeURIComponent(doc.runId)}/tasks/${encodeURIComponent(task.id)}/artifacts/${encodeURIComponent(output)}${iteration}`,
      });
    }
  }
  return { runId: doc.runId, artifacts };
}

function artifactBytes(doc: RunStatusDocument, taskId: string, output: string): ApiAnswer {
  const ref = doc.tasks.find((t) => t.id === taskId && !t.batched)?.outputs.artifacts[output];
  if (!ref) return notFound(`artifact ${taskId}.${output}`);
  const headers = { 'x-kiln-digest': ref.digest ?? '', 'content-disposition': `attachment; filename="${output}"` };
  if (ref.type === 'markdown')
    return { kind: 'text', status: 200, contentType: 'text/markdown; charset=utf-8', body: markdownArtifact, headers };
  if (ref.type === 'html')
    return { kind: 'text', status: 200, contentType: 'text/html; charset=utf-8', body: htmlArtifact, headers };
  if (ref.type === 'metrics' || ref.type === 'classificationMetrics') return { ...json(ref.metadata), headers };
  return { kind: 'text', status: 200, contentType: 'application/octet-stream', body: `bytes of ${output}`, headers };
}

function listRuns(url: URL): ApiAnswer {
  const q = url.searchParams;
  const pageSize = Number(q.get('pageSize') ?? 50);
  const start = Number(q.get('pageToken') ? Buffer.from(q.get('pageToken') ?? '', 'base64url').toString() : 0);
  const matching = runs
    .filter((r) => !q.get('pipeline') || r.doc.pipeline.name === q.get('pipeline'))
    .filter((r) => !q.get('experiment') || r.doc.experiment === q.get('experiment'))
    .filter((r) => !q.get('status') || r.doc.state === q.get('status'))
    .filter((r) => !q.get('startedAfter') || Date.parse(r.doc.startedAt) >= Date.parse(q.get('startedAfter') ?? ''))
    .sort((a, b) => b.doc.startedAt.localeCompare(a.doc.startedAt));
  const page = matching.slice(start, start + pageSize);
  const next =
    start + pageSize < matching.length ? Buffer.from(String(start + pageSize)).toString('base64url') : undefined;
  return json({ runs: page.map(summary), ...(next ? { nextPageToken: next } : {}) });
}

/** `GET /runs/metrics` over the recorded runs, as the API computes it (`scalarMetricsOf`). */
function runsMetrics(url: URL): ApiAnswer {
  const ids = (url.searchParams.get('runIds') ?? '').split(',');
  const found = ids.flatMap((id) => runs.filter((r) => r.doc.runId === id));
  return json({
    runs: found.map(({ doc }) => ({
      runId: doc.runId,
      pipeline: doc.pipeline,
      ...(doc.experiment ? { experiment: doc.experiment } : {}),
      state: doc.state,
      startedAt: doc.startedAt,
      ...(doc.finishedAt ? { finishedAt: doc.finishedAt } : {}),
      params: doc.params,
      metrics: scalarMetricsOf(doc.tasks),
    })),
    missing: ids.filter((id) => !found.some((r) => r.doc.runId === id)),
  });
}

/**
 * `GET /runs/:runId/tasks/:taskId/iterations` over a recorded run: the task's entries one by one,
 * counts from a batch summary when there is one (as the API reads batches), paged by offset tokens.
 */
function loopIterations(doc: RunStatusDocument, taskId: string, url: URL): ApiAnswer {
  const state = url.searchParams.get('state');
  const pageSize = Number(url.searchParams.get('pageSize') ?? 50);
  const offset = Number(url.searchParams.get('pageToken') ?? 0);
  const entries = doc.tasks.filter((t) => t.id === taskId && !t.batched && t.iteration?.length);
  const summary = doc.tasks.find((t) => t.id === taskId && t.batched)?.batched;
  const counts: Record<string, number> = { ...summary?.counts };
  if (!summary) for (const t of entries) counts[t.state] = (counts[t.state] ?? 0) + 1;
  const matching = entries.filter((t) => !state || t.state === state);
  const page = matching.slice(offset, offset + pageSize);
  return json({
    runId: doc.runId,
    taskId,
    total: summary?.total ?? entries.length,
    counts,
    matching: state && summary ? (counts[state] ?? 0) : matching.length,
    iterations: page,
    ...(offset + pageSize < matching.length ? { nextPageToken: String(offset + pageSize) } : {}),
  });
}

function runRoute(method: string, parts: readonly string[], url: URL): ApiAnswer {
  const run = runs.find((r) => r.doc.runId === parts[1]);
  if (!run) return notFound(`run ${parts[1]}`);
  if (parts.length === 2) return json(runResource(run));
  if (parts[2] === 'artifacts' && parts.length === 3) return json(listedArtifacts(run.doc));
  if (parts[2] === 'tasks' && parts[4] === 'artifacts' && parts[5])
    return artifactBytes(run.doc, parts[3] ?? '', parts[5]);
  if (parts[2] === 'tasks' && parts[4] === 'iterations') return loopIterations(run.doc, parts[3] ?? '', url);
  if (parts[2] === 'tasks' && parts[4] === 'logs') {
    const attempt = Number(url.searchParams.get('attempt') ?? 1);
    const body = logText(parts[3] ?? '', attempt);
    return {
      kind: 'text',
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body,
      headers: { 'x-kiln-attempt': String(attempt), 'x-kiln-log-source': 'saved' },
    };
  }
  return notFound(`${method} ${url.pathname}`);
}

function pipelineRoute(parts: readonly string[]): ApiAnswer {
  const versionOf = (p: (typeof pipelines)[number]) => ({
    name: p.spec.pipeline.name,
    version: p.version,
    digest: p.digest,
    createdAt: '2026-01-01T09:00:00.000Z',
    createdBy: 'ada',
  });
  if (parts.length === 1)
    return json({
      pipelines: pipelines.map((p) => ({ name: p.spec.pipeline.name, versions: 1, latest: versionOf(p) })),
    });
  const pipeline = pipelines.find((p) => p.spec.pipeline.name === parts[1]);
  if (!pipeline) return notFound(`pipeline ${parts[1]}`);
  if (parts.length === 2) return json({ name: parts[1], latest: versionOf(pipeline), versions: [versionOf(pipeline)] });
  if (parts[2] === 'versions' && parts[3] === pipeline.version)
    return json({ ...versionOf(pipeline), spec: pipeline.spec });
  if (parts[2] === 'digests' && parts[3] === pipeline.digest)
    return json({ name: parts[1], digest: pipeline.digest, spec: pipeline.spec });
  return notFound(`${parts.join('/')}`);
}

function scheduleResource(s: FixtureSchedule) {
  return {
    id: s.id,
    pipeline: { name: 'training-pipeline', version: '1.0.0', digest: pipelines[0]?.digest ?? '' },
    params: { minAccuracy: 0.9 },
    cron: ['0 3 * * *'],
    timezone: 'UTC',
    overlap: 'SKIP',
    catchupWindowSeconds: 3600,
    pauseOnFailure: false,
    paused: s.paused,
    ...(s.note ? { note: s.note } : {}),
    recentRuns: runs
      .slice(1, 3)
      .map((r) => ({ runId: r.doc.runId, scheduledAt: r.doc.startedAt, takenAt: r.doc.startedAt })),
    runningRuns: [],
    nextRunTimes: ['2026-03-02T03:00:00.000Z', '2026-03-03T03:00:00.000Z', '2026-03-04T03:00:00.000Z'],
    actionsTaken: 12 + s.triggered,
    actionsMissedCatchupWindow: 0,
    actionsSkippedOverlap: 1,
    createdAt: '2026-01-01T09:00:00.000Z',
    createdBy: 'ada',
  };
}

function scheduleRoute(method: string, parts: readonly string[], state: FixtureSchedule[]): ApiAnswer {
  if (parts.length === 1)
    return json({
      schedules: state.map((s) => {
        const r = scheduleResource(s);
        return {
          id: r.id,
          pipeline: r.pipeline,
          paused: r.paused,
          ...(s.note ? { note: s.note } : {}),
          nextRunTimes: r.nextRunTimes,
        };
      }),
    });
  const schedule = state.find((s) => s.id === parts[1]);
  if (!schedule) return notFound(`schedule ${parts[1]}`);
  if (method === 'POST' && parts[2] === 'pause') schedule.paused = true;
  if (method === 'POST' && parts[2] === 'resume') schedule.paused = false;
  if (method === 'POST' && parts[2] === 'trigger') {
    schedule.triggered++;
    return json({ id: schedule.id, triggered: true }, 202);
  }
  return json(scheduleResource(schedule));
}

/** A router over the fixtures, with its own schedule state. */
export function apiRoutes(): (method: string, url: URL, body: string) => ApiAnswer {
  const state = schedules();
  return (method, url) => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // The fixtures' token is ada's, who uploaded the pipelines: an admin.
    if (parts[0] === 'auth' && parts[1] === 'whoami')
      return json({ name: 'ada', role: 'admin', inlineSpecRole: 'admin' });
    if (parts[0] === 'runs' && parts.length === 1) return listRuns(url);
    if (parts[0] === 'runs' && parts[1] === 'metrics') return runsMetrics(url);
    if (parts[0] === 'runs') return runRoute(method, parts, url);
    if (parts[0] === 'pipelines') return pipelineRoute(parts);
    if (parts[0] === 'schedules') return scheduleRoute(method, parts, state);
    return notFound(`${method} ${url.pathname}`);
  };
}
