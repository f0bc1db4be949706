/**
 * Starting a run from a Temporal client with everything the UI and visibility
 * need: a readable workflow id, search attributes, static summary and details.
 * Node-only (not workflow code).
 */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import {
  KilnExperiment,
  KilnPipelineName,
  KilnRunStatus,
  kilnWorkflowTypes,
  type KilnPipelineRunWorkflow,
  type RunOptions,
} from '@kiln/engine-contract';

export interface StartPipelineRunOptions {
  taskQueue: string;
  spec: PipelineSpec;
  params?: Record<string, JsonValue>;
  options?: RunOptions;
  /** Defaults to `newWorkflowId(spec.pipeline.name)`. */
  workflowId?: string;
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `kiln-<pipeline>-<time><random>`: sortable by start time like a ULID, lowercase for DNS-safe derived names.
 *
 * @example
 * ```ts
 * newWorkflowId('training'); // 'kiln-training-01jd5x7k3m9q2w8r4t6y0v1b'
 * ```
 */
export function newWorkflowId(pipelineName: string, now: number = Date.now()): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = crockford[t % 32] + time;
  const random = [...randomBytes(10)].map((b) => crockford[b % 32]).join('');
  return `kiln-${pipelineName}-${time}${random}`.toLowerCase();
}

/**
 * @example
 * ```ts
 * const handle = await startPipelineRun(client, { taskQueue: 'kiln', spec, params: { minAccuracy: 0.9 } });
 * const doc = await handle.result();
 * ```
 */
export async function startPipelineRun(
  client: Client,
  start: StartPipelineRunOptions,
): Promise<WorkflowHandle<KilnPipelineRunWorkflow>> {
  const { spec } = start;
  const params = start.params ?? {};
  const options = start.options ?? {};
  const workflowId = start.workflowId ?? newWorkflowId(spec.pipeline.name);
  const taskCount = countTasks(spec);
  const paramText = Object.entries(params)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return client.workflow.start<KilnPipelineRunWorkflow>(kilnWorkflowTypes.pipelineRun, {
    taskQueue: start.taskQueue,
    workflowId,
    args: [{ spec, params, options }],
    typedSearchAttributes: [
      { key: KilnPipelineName, value: spec.pipeline.name },
      { key: KilnRunStatus, value: 'PENDING' },
      ...(options.experiment ? [{ key: KilnExperiment, value: options.experiment }] : []),
    ],
    staticSummary: `Kiln pipeline ${spec.pipeline.displayName ?? spec.pipeline.name}${paramText ? ` (${paramText})` : ''}`,
    staticDetails: [
      `**Pipeline** ${spec.pipeline.name}${spec.pipeline.description ? ` — ${spec.pipeline.description}` : ''}`,
      `**Tasks** ${taskCount} in the IR · **executor** ${options.executor ?? spec.settings.executor ?? 'local'}`,
      `**Parameters** ${paramText || 'defaults'}`,
      ...(options.experiment ? [`**Experiment** ${options.experiment}`] : []),
      'Query `status` for the run status document.',
    ].join('\n\n'),
  });
}

function countTasks(spec: PipelineSpec): number {
  let n = 0;
  const visit = (tasks: PipelineSpec['root']['tasks']) => {
    for (const node of Object.values(tasks)) {
      if (node.type === 'task') n++;
      else if (node.type === 'condition') node.branches.forEach((b) => visit(b.dag.tasks));
      else if (node.type === 'loop') visit(node.body.tasks);
      else {
        visit(node.body.tasks);
        visit(node.exit.tasks);
      }
    }
  };
  visit(spec.root.tasks);
  return n;
}
