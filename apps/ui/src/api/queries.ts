/**
 * The data the pages read, as TanStack Query hooks over `./client`: one query
 * key per resource, so pages that show the same run share one request and one
 * cache entry, and state lives in the cache, not copied into pages.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { TaskState } from '@kiln/engine-contract';
import {
  getPipeline,
  getPipelineSpec,
  getPipelineVersion,
  getRun,
  getRunsMetrics,
  getSchedule,
  listLoopIterations,
  listPipelines,
  listRunArtifacts,
  listRuns,
  listSchedules,
  pauseSchedule,
  resumeSchedule,
  runRefreshInterval,
  triggerSchedule,
  type RunFilter,
} from './client';
import { applyRunEvent, streamRunEvents } from './run-events';
import type { RunResource } from './wire';

export const queryKeys = {
  pipelines: ['pipelines'] as const,
  pipeline: (name: string) => ['pipelines', name] as const,
  pipelineVersion: (name: string, version: string) => ['pipelines', name, 'versions', version] as const,
  pipelineSpec: (name: string, digest: string) => ['pipelines', name, 'digests', digest] as const,
  runs: (filter: RunFilter, pageToken: string | undefined) => ['runs', 'list', filter, pageToken ?? ''] as const,
  run: (runId: string) => ['runs', runId] as const,
  runArtifacts: (runId: string) => ['runs', runId, 'artifacts'] as const,
  loops: (runId: string) => ['runs', runId, 'loops'] as const,
  loopIterations: (runId: string, taskId: string, state: TaskState | undefined, pageToken: string | undefined) =>
    ['runs', runId, 'loops', taskId, state ?? 'all', pageToken ?? ''] as const,
  runsMetrics: (runIds: readonly string[]) => ['runs', 'metrics', ...runIds] as const,
  schedules: (pageToken: string | undefined) => ['schedules', 'list', pageToken ?? ''] as const,
  schedule: (id: string) => ['schedules', id] as const,
};

export const usePipelines = () => useQuery({ queryKey: queryKeys.pipelines, queryFn: listPipelines });

export const usePipeline = (name: string) =>
  useQuery({ queryKey: queryKeys.pipeline(name), queryFn: () => getPipeline(name) });

export const usePipelineVersion = (name: string, version: string) =>
  useQuery({
    queryKey: queryKeys.pipelineVersion(name, version),
    queryFn: () => getPipelineVersion(name, version),
    staleTime: Infinity, // versions are immutable
  });

export const usePipelineSpec = (name: string | undefined, digest: string | undefined) =>
  useQuery({
    queryKey: queryKeys.pipelineSpec(name ?? '', digest ?? ''),
    queryFn: () => getPipelineSpec(name ?? '', digest ?? ''),
    enabled: Boolean(name && digest),
    staleTime: Infinity, // a digest names one IR forever
  });

export const useRuns = (filter: RunFilter, pageSize: number, pageToken: string | undefined) =>
  useQuery({
    queryKey: queryKeys.runs(filter, pageToken),
    queryFn: () => listRuns(filter, { pageSize, ...(pageToken ? { pageToken } : {}) }),
    placeholderData: keepPreviousData,
  });

/**
 * How a run page hears about changes: `connecting` and `live` on the event stream, `ended` once the
 * run ended (nothing more to hear), `polling` when the stream failed and the page reads the run every 2 s.
 */
export type RunLiveness = 'connecting' | 'live' | 'ended' | 'polling';

/**
 * Follows the run's event stream into the run's cache entry; a stream that times out is opened
 * again, one that fails leaves `polling`. Returns how the run is being followed.
 */
function useRunEventStream(runId: string): RunLiveness {
  const client = useQueryClient();
  // Kept with the run it is about, so another run's page starts at `connecting` again.
  const [heard, setHeard] = useState<{ runId: string; liveness: RunLiveness }>({ runId, liveness: 'connecting' });
  useEffect(() => {
    const controller = new AbortController();
    const key = queryKeys.run(runId);
    const setLiveness = (liveness: RunLiveness) => setHeard({ runId, liveness });
    const follow = async (): Promise<RunLiveness> => {
      for (;;) {
        const reason = await streamRunEvents(
          runId,
          (event) => {
            client.setQueryData<RunResource>(key, (run) => applyRunEvent(run, event));
            if (event.event === 'snapshot') setLiveness('live');
            // New outputs may mean new artifacts; tasks events come at most about once a second.
            if (event.event === 'tasks') {
              void client.invalidateQueries({ queryKey: queryKeys.runArtifacts(runId) });
              void client.invalidateQueries({ queryKey: queryKeys.loops(runId) });
            }
          },
          controller.signal,
        );
        if (reason === 'ended') return 'ended';
        if (reason === 'closed') return 'polling'; // closed without `end`: a proxy cut it, say
      }
    };
    follow().then(
      async (next) => {
        if (next === 'ended') {
          // The final document once more (batch summaries and outputs settle as the run closes).
          client.setQueryData(key, await getRun(runId).catch(() => client.getQueryData<RunResource>(key)));
          await client.invalidateQueries({ queryKey: queryKeys.runArtifacts(runId) });
          await client.invalidateQueries({ queryKey: queryKeys.loops(runId) });
        }
        setLiveness(next);
      },
      () => {
        if (!controller.signal.aborted) setLiveness('polling');
      },
    );
    return () => controller.abort();
  }, [client, runId]);
  return heard.runId === runId ? heard.liveness : 'connecting';
}

/**
 * A run, kept current by its event stream while it goes (see {@link useRunEventStream}); only if
 * the stream fails is it read again every 2 s (`runRefreshInterval`) until it ends.
 */
export function useRun(runId: string) {
  const liveness = useRunEventStream(runId);
  const query = useQuery({
    queryKey: queryKeys.run(runId),
    queryFn: () => getRun(runId),
    // While the stream is on, its snapshot fills the cache: a read of our own could land after it and be older.
    enabled: liveness === 'polling' || liveness === 'ended',
    refetchInterval: (q) => (liveness === 'polling' ? runRefreshInterval(q.state.data) : false),
  });
  return { query, liveness };
}

export const useRunArtifacts = (runId: string, refreshMs: number | false) =>
  useQuery({
    queryKey: queryKeys.runArtifacts(runId),
    queryFn: () => listRunArtifacts(runId),
    refetchInterval: refreshMs,
  });

/** The query of a page of a loop task's iterations, shared by the loop panel and the run page's prefetch. */
export const loopIterationsQuery = (
  runId: string,
  taskId: string,
  state: TaskState | undefined,
  pageToken: string | undefined,
) => ({
  queryKey: queryKeys.loopIterations(runId, taskId, state, pageToken),
  queryFn: () =>
    listLoopIterations(runId, taskId, {
      pageSize: 20,
      ...(state ? { state } : {}),
      ...(pageToken ? { pageToken } : {}),
    }),
});

/** A page of a loop task's iterations; the run's event stream marks it stale as tasks change. */
export const useLoopIterations = (
  runId: string,
  taskId: string | undefined,
  state: TaskState | undefined,
  pageToken: string | undefined,
) =>
  useQuery({
    ...loopIterationsQuery(runId, taskId ?? '', state, pageToken),
    enabled: taskId !== undefined,
    placeholderData: keepPreviousData,
  });

/**
 * Reads the first page of each loop's iterations as soon as the run page knows its loops, so a
 * click on a loop is answered from the cache while a big loop's batches are still being read.
 * Each loop is read once per page view: the event stream's invalidations mark the entries stale,
 * and an open panel reads again, but nothing here polls. The check runs after every render (a
 * handful of set lookups), so callers need not keep the list's identity stable.
 */
export function usePrefetchLoopIterations(
  runId: string,
  loops: readonly { taskId: string; failedOnly: boolean }[],
): void {
  const client = useQueryClient();
  const [done] = useState(() => new Set<string>());
  useEffect(() => {
    for (const { taskId, failedOnly } of loops) {
      const key = `${runId}\u0000${taskId}\u0000${failedOnly}`;
      if (done.has(key)) continue;
      done.add(key);
      void client.prefetchQuery(loopIterationsQuery(runId, taskId, failedOnly ? 'failed' : undefined, undefined));
    }
  });
}

export const useRunsMetrics = (runIds: readonly string[]) =>
  useQuery({
    queryKey: queryKeys.runsMetrics(runIds),
    queryFn: () => getRunsMetrics(runIds),
    enabled: runIds.length > 0,
  });

export const useSchedules = (pageToken: string | undefined) =>
  useQuery({
    queryKey: queryKeys.schedules(pageToken),
    queryFn: () => listSchedules({ pageSize: 50, ...(pageToken ? { pageToken } : {}) }),
  });

export const useSchedule = (id: string) =>
  useQuery({ queryKey: queryKeys.schedule(id), queryFn: () => getSchedule(id) });

/** Pause, resume or trigger a schedule; the schedule and the list are read again afterwards. */
export function useScheduleAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (action: 'pause' | 'resume' | 'trigger'): Promise<void> => {
      if (action === 'pause') await pauseSchedule(id);
      else if (action === 'resume') await resumeSchedule(id);
      else await triggerSchedule(id);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['schedules'] }),
  });
}
