/**
 * `kilnPipelineRun`: the one workflow that runs any compiled pipeline.
 */
import type { Dag, JsonValue, PipelineSpec } from '@kiln/ir';
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PipelineRunInput, RunContext } from '@kiln/engine-contract';
import { statusQuery } from '@kiln/engine-contract';
import { INVALID_PARAMS, RUN_FAILED } from '@kiln/engine-contract';
import { KilnExperiment, KilnPipelineDigest, KilnPipelineName, KilnRunStatus } from '@kiln/engine-contract';
import type { RunState, RunStatusDocument, TaskOutputs } from '@kiln/engine-contract';
import { localStoreActivities, storeActivities } from './activities';
import { COLLECT_PATHS_PATCH, legacyCollectPaths } from './collect-paths';
import type { ExecutionContext, ResolvedRun } from './context';
import { runDag } from './dag';
import { createContext } from './execution';
import { checkParams, PARAM_DEPTH_PATCH, paramsTooDeep } from './params';
import { Scope } from './scope';
import { isArtifactShaped, TAGGED_VALUES_PATCH } from './value';
import { CURRENT_CODE_PATCH, hasPatch } from './patches';

const MAX_PARALLELISM = 1000;
const DEFAULT_PARALLELISM = 32;

/**
 * Runs started before this patch capped every loop at the run's default parallelism of 32, even a
 * loop that asked for more; with it, a run that sets no limit of its own gets its widest loop's.
 */
const LOOP_PARALLELISM_PATCH = 'kiln-loop-parallelism';

/** What the status query reads; filled in as the run progresses. */
interface LiveRun {
  state: RunState;
  digest: string;
  error?: string;
  /** Where the run does not do what the pipeline asked (a loop's parallelism above the run's limit). */
  notes?: string[];
  finishedAt?: string;
  outputs?: TaskOutputs;
  ctx?: ExecutionContext;
}

/**
 * Interprets `input.spec`: validates parameters, runs the root DAG, saves the
 * run record and returns the final run status document. Fails (type
 * `KilnRunFailed`, the document in `details[0]`) naming the failed tasks; ends
 * CANCELLED when cancelled, after running exit handlers.
 *
 * @example
 * ```ts
 * const doc = await client.workflow.execute(kilnPipelineRun, {
 *   taskQueue: 'kiln', workflowId: newWorkflowId(spec.pipeline.name),
 *   args: [{ spec, params: {}, options: { executor: 'local' } }],
 * });
 * ```
 */
export async function kilnPipelineRun(input: PipelineRunInput): Promise<RunStatusDocument> {
  const { spec } = input;
  const params = validParams(input);
  const live: LiveRun = { state: 'PENDING', digest: '' };
  // Registered before the first await, so the run answers from its first moment.
  const document = statusDocument(input, params, live);
  setHandler(statusQuery, document);
  upsertSearchAttributes([
    { key: KilnPipelineName, value: spec.pipeline.name },
    { key: KilnRunStatus, value: 'RUNNING' },
    ...(input.options.experiment ? [{ key: KilnExperiment, value: input.options.experiment }] : []),
  ]);

  const run = await resolveRun(input, params);
  const notes = parallelismNotes(spec, input, run.parallelism);
  if (notes.length) live.notes = notes;
  live.digest = run.pipelineDigest;
  upsertSearchAttributes([{ key: KilnPipelineDigest, value: live.digest }]);
  const ctx = createContext(spec, run, spec.pipeline.displayName ?? spec.pipeline.name);
  // Runs started before collect paths were kept per DAG owner replay with the table they used.
  if (!hasPatch(COLLECT_PATHS_PATCH)) ctx.collectPaths = legacyCollectPaths(spec);
  // Runs started before values were tagged keep telling artifacts by their shape (see value.ts).
  ctx.taggedValues = hasPatch(TAGGED_VALUES_PATCH);
  live.ctx = ctx;
  live.state = 'RUNNING';

  const root = Scope.root(params, ctx.collectPaths);
  await runBody(ctx, spec, root);
  const state = settle(ctx, live, spec, root);
  upsertSearchAttributes([{ key: KilnRunStatus, value: state }]);
  const final = document();
  // The record must be saved even when the run was cancelled. A local activity on current code: one
  // small store write, not worth a task queue round trip (older runs replay the activity they scheduled).
  const activities = hasPatch(CURRENT_CODE_PATCH) ? localStoreActivities : storeActivities;
  await CancellationScope.nonCancellable(() => activities.saveRunRecord(final));

  if (state === 'CANCELLED') throw new CancelledFailure('run cancelled');
  if (state === 'FAILED') {
    throw ApplicationFailure.nonRetryable(`Pipeline "${spec.pipeline.name}" failed: ${live.error}`, RUN_FAILED, final);
  }
  return final;
}

/** The run's parameters, checked against the pipeline's; a run with bad ones fails at once. */
function validParams(input: PipelineRunInput): Record<string, JsonValue> {
  const { spec } = input;
  // Before anything recursive reads them; patched only when it matters, so other runs' histories are unchanged.
  const tooDeep = paramsTooDeep(input.params ?? {});
  if (tooDeep && hasPatch(PARAM_DEPTH_PATCH)) {
    throw ApplicationFailure.nonRetryable(
      `Invalid parameters for pipeline "${spec.pipeline.name}": ${tooDeep}`,
      INVALID_PARAMS,
      [tooDeep],
    );
  }
  const checked = checkParams(spec.params, input.params ?? {});
  if (checked.errors.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `Invalid parameters for pipeline "${spec.pipeline.name}": ${checked.errors.join('; ')}`,
      INVALID_PARAMS,
      checked.errors,
    );
  }
  return checked.values;
}

/** The run status document as the status query answers it, from what `live` holds now. */
function statusDocument(
  input: PipelineRunInput,
  params: Record<string, JsonValue>,
  live: LiveRun,
): () => RunStatusDocument {
  const info = workflowInfo();
  const runId = input.options.runId ?? info.workflowId;
  const startedAt = new Date().toISOString();
  return () => ({
    runId,
    workflowId: info.workflowId,
    pipeline: { name: input.spec.pipeline.name, digest: live.digest },
    params,
    state: live.state,
    startedAt,
    ...(live.finishedAt ? { finishedAt: live.finishedAt } : {}),
    ...(live.error ? { error: live.error } : {}),
    ...(input.options.experiment ? { experiment: input.options.experiment } : {}),
    ...(live.notes ? { notes: live.notes } : {}),
    tasks: live.ctx?.recorder.tasks() ?? [],
    ...(live.outputs ? { outputs: live.outputs } : {}),
  });
}

/** Where this run's outputs go and its version digest (an activity), and the options resolved once for the run. */
async function resolveRun(input: PipelineRunInput, params: Record<string, JsonValue>): Promise<ResolvedRun> {
  const { spec, options } = input;
  const info = workflowInfo();
  const runId = options.runId ?? info.workflowId;
  const request = {
    runId,
    workflowId: info.workflowId,
    spec,
    ...(options.artifactRoot ? { artifactRoot: options.artifactRoot } : {}),
  };
  // Runs started before CURRENT_CODE_PATCH resolved their context with a (remote) activity; a local
  // one only computes, saves a task queue round trip per run, and leaves no first task to lose under load.
  const context: RunContext = hasPatch(CURRENT_CODE_PATCH)
    ? await localStoreActivities.resolveRunContext(request)
    : await storeActivities.resolveRunContext(request);
  return {
    runId,
    workflowId: info.workflowId,
    pipelineName: spec.pipeline.name,
    pipelineDigest: context.pipelineDigest,
    artifactRoot: (options.artifactRoot ?? context.artifactRoot).replace(/\/+$/, ''),
    executor: options.executor ?? spec.settings.executor ?? 'local',
    parallelism: runParallelism(input),
    cache: options.cache !== false,
    loopBatchSize: Math.max(1, options.loopBatchSize ?? 100),
    loopFanout: Math.max(2, options.loopFanout ?? 100),
    failFast: spec.settings.failFast === true,
    infrastructureRetry: {
      maxAttempts: options.infrastructureRetry?.maxAttempts ?? 5,
      initialIntervalSeconds: options.infrastructureRetry?.initialIntervalSeconds ?? 1,
      maxIntervalSeconds: options.infrastructureRetry?.maxIntervalSeconds ?? 60,
    },
    heartbeatTimeoutSeconds: options.heartbeatTimeoutSeconds ?? 30,
    ...(spec.settings.podTtlSeconds !== undefined ? { podTtlSeconds: spec.settings.podTtlSeconds } : {}),
    params,
  };
}

/**
 * The cap on the run's concurrent steps: the run's own (`options.parallelism`), else the pipeline's
 * (`settings.parallelism`), else the widest parallelism a loop asks for if above the default of 32.
 * Temporal allows 2,000 pending activities per workflow; the cap stays well clear of it.
 */
function runParallelism({ spec, options }: PipelineRunInput): number {
  const asked = options.parallelism ?? spec.settings.parallelism;
  let parallelism = asked ?? DEFAULT_PARALLELISM;
  // Decided only for specs that need it, so other runs' histories stay as they were.
  if (asked === undefined) {
    const widest = widestLoopParallelism(spec);
    if (widest > DEFAULT_PARALLELISM && hasPatch(LOOP_PARALLELISM_PATCH)) parallelism = widest;
  }
  return Math.max(1, Math.min(parallelism, MAX_PARALLELISM));
}

/** Every loop of the spec (root DAG and sub-pipeline components) with its explicit `parallelism`. */
function loopParallelisms(spec: PipelineSpec): { id: string; parallelism: number }[] {
  const found: { id: string; parallelism: number }[] = [];
  const visit = (dag: Dag) => {
    for (const [id, node] of Object.entries(dag.tasks)) {
      if (node.type === 'loop') {
        if (node.parallelism !== undefined) found.push({ id, parallelism: node.parallelism });
        visit(node.body);
      } else if (node.type === 'condition') node.branches.forEach((branch) => visit(branch.dag));
      else if (node.type === 'exitHandler') {
        visit(node.body);
        visit(node.exit);
      }
    }
  };
  visit(spec.root);
  for (const component of Object.values(spec.components))
    if (component.implementation.type === 'dag') visit(component.implementation.dag);
  return found;
}

function widestLoopParallelism(spec: PipelineSpec): number {
  return Math.max(0, ...loopParallelisms(spec).map((loop) => loop.parallelism));
}

/** One line per loop that asks for more parallelism than the run allows, naming the limit and where it came from. */
function parallelismNotes(spec: PipelineSpec, { options }: PipelineRunInput, runParallelism: number): string[] {
  const source =
    options.parallelism !== undefined
      ? "the run's parallelism option"
      : spec.settings.parallelism !== undefined
        ? "the pipeline's settings.parallelism"
        : runParallelism === MAX_PARALLELISM
          ? `Kiln's maximum of ${MAX_PARALLELISM} concurrent steps per run`
          : `the default run parallelism of ${DEFAULT_PARALLELISM}`;
  return loopParallelisms(spec)
    .filter((loop) => loop.parallelism > runParallelism)
    .map(
      (loop) =>
        `loop "${loop.id}" asks for parallelism ${loop.parallelism}; it runs at most ${runParallelism} iterations at once (${source})`,
    );
}

/**
 * Runs the root DAG in its own scope, so the run's timeout can stop it the way a
 * cancellation would (exit handlers still run) while the run ends FAILED.
 */
async function runBody(ctx: ExecutionContext, spec: PipelineSpec, root: Scope): Promise<void> {
  const body = new CancellationScope();
  const timeoutSeconds = spec.settings.timeoutSeconds;
  if (timeoutSeconds) {
    sleep(timeoutSeconds * 1000).then(
      () => {
        ctx.timedOut = true;
        ctx.cancelRequested = true;
        body.cancel();
      },
      () => undefined, // the run itself was cancelled first
    );
  }
  await body.run(() => runDag(ctx, spec.root, root, { cleanup: false, failureSinks: [] }));
}

/** How the run ended: its state (returned, and in `live` with its error and, on success, its outputs). */
function settle(ctx: ExecutionContext, live: LiveRun, spec: PipelineSpec, root: Scope): RunState {
  if (ctx.timedOut) {
    live.state = 'FAILED';
    live.error = `run timed out after ${spec.settings.timeoutSeconds} s${ctx.failedTasks.length ? `; failed tasks: ${ctx.failedTasks.join(', ')}` : ''}`;
  } else if (ctx.cancelRequested) {
    live.state = 'CANCELLED';
    live.error = 'run cancelled';
  } else if (ctx.failedTasks.length > 0) {
    live.state = 'FAILED';
    live.error = `${ctx.failedTasks.length} task(s) failed: ${ctx.failedTasks.join(', ')}`;
  } else {
    live.state = 'SUCCEEDED';
    live.outputs = pipelineOutputs(spec, root, ctx.taggedValues);
  }
  live.finishedAt = new Date().toISOString();
  return live.state;
}

/**
 * The pipeline's outputs, each an artifact or a parameter as its value's tag says.
 * Runs started before `TAGGED_VALUES_PATCH` (`tagged: false`) keep the old rule,
 * which took any object with `uri` and `type` for an artifact.
 */
function pipelineOutputs(spec: PipelineSpec, root: Scope, tagged: boolean): TaskOutputs {
  const outputs: TaskOutputs = { params: {}, artifacts: {} };
  for (const [name, binding] of Object.entries(spec.outputs)) {
    const resolved = root.resolve(binding);
    if (!resolved.ok) continue;
    const { kind, value } = resolved.value;
    const isArtifact = tagged ? kind === 'artifact' : isArtifactShaped(value);
    // One artifact is an artifact output; a fan-in of them is reported as a list parameter, as it always was.
    if (isArtifact && !Array.isArray(value) && isArtifactShaped(value)) outputs.artifacts[name] = value;
    else outputs.params[name] = value;
  }
  return outputs;
}
