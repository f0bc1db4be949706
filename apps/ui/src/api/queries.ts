/**
 * The data the pages read, as TanStack Query hooks over `./client`: one query
 * key per resource, so pages that show the same run share one request and one
 * cache entry, and state lives in the cache, not copied into pages.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
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

export const queryKeys = {
  pipelines: ['pipelines'] as const,
  pipeline: (name: string) => ['pipelines', name] as const,
  pipelineVersion: (name: string, version: string) => ['pipelines', name, 'versions', version] as const,
  pipelineSpec: (name: string, digest: string) => ['pipelines', name, 'digests', digest] as const,
  runs: (filter: RunFilter, pageToken: string | undefined) => ['runs', 'list', filter, pageToken ?? ''] as const,
  run: (runId: string) => ['runs', runId] as const,
  runArtifacts: (runId: string) => ['runs', runId, 'artifacts'] as const,
  loopIterations: (runId: string, loopId: string, state: TaskState | undefined, offset: number) =>
    ['runs', runId, 'loops', loopId, state ?? 'all', offset] as const,
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

/** A run, refreshed while it goes (see `runRefreshInterval`). */
export const useRun = (runId: string) =>
  useQuery({
    queryKey: queryKeys.run(runId),
    queryFn: () => getRun(runId),
    refetchInterval: (query) => runRefreshInterval(query.state.data),
  });

export const useRunArtifacts = (runId: string, refreshMs: number | false) =>
  useQuery({
    queryKey: queryKeys.runArtifacts(runId),
    queryFn: () => listRunArtifacts(runId),
    refetchInterval: refreshMs,
  });

export const useLoopIterations = (
  runId: string,
  loop: { id: string; members: readonly string[]; loopDepth: number },
  state: TaskState | undefined,
  offset: number,
) =>
  useQuery({
    queryKey: queryKeys.loopIterations(runId, loop.id, state, offset),
    queryFn: () => listLoopIterations(runId, loop, { offset, limit: 20, ...(state ? { state } : {}) }),
    placeholderData: keepPreviousData,
  });

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
