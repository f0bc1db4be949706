/**
 * A task instance's inputs, as far as the run document tells them: constants
 * and parameters resolve to their values, upstream outputs to what that task
 * instance recorded; the rest (fan-ins, loop items) are described, not resolved.
 */
import type { TaskStatus } from '@kiln/engine-contract';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { describeBinding } from '../../graph/describe';
import { irTaskOf } from '../../graph/ir-task';

export interface TaskInput {
  readonly name: string;
  readonly source: string;
  readonly value?: JsonValue;
}

const sameIteration = (a: TaskStatus, iteration: readonly number[] | undefined) =>
  (a.iteration ?? []).join(',') === (iteration ?? []).slice(0, a.iteration?.length ?? 0).join(',');

/**
 * @example
 * ```ts
 * taskInputs(spec, run, entry); // [{ name: 'dataset', source: 'load-data.dataset', value: 'file:///...' }, ...]
 * ```
 */
export function taskInputs(
  spec: PipelineSpec,
  run: { readonly params: Readonly<Record<string, JsonValue>>; readonly tasks: readonly TaskStatus[] },
  entry: TaskStatus,
): TaskInput[] {
  const task = irTaskOf(spec, entry.id);
  if (!task) return [];
  const prefix = entry.id.includes('/') ? entry.id.slice(0, entry.id.lastIndexOf('/') + 1) : '';
  return Object.entries(task.inputs).map(([name, binding]) => {
    const source = describeBinding(binding);
    if (binding.kind === 'constant') return { name, source, value: binding.value };
    if (binding.kind === 'param' && !prefix) {
      const value = run.params[binding.name];
      return value === undefined ? { name, source } : { name, source, value };
    }
    if (binding.kind === 'output') {
      const upstream = run.tasks.find(
        (t) => t.id === `${prefix}${binding.task}` && !t.batched && sameIteration(t, entry.iteration),
      );
      const value = upstream?.outputs.params[binding.output] ?? upstream?.outputs.artifacts[binding.output]?.uri;
      return value === undefined ? { name, source } : { name, source, value };
    }
    return { name, source };
  });
}
