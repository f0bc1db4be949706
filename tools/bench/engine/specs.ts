/** The benchmark pipelines as IR: a chain of no-op steps and a loop of no-op steps. */
import type { Component, PipelineSpec, TaskNode } from '@kiln/ir';

/** A container component whose command is the no-op process (the local executor ignores the image). */
export function noopComponent(command: string): Component {
  return {
    name: 'noop',
    inputs: {},
    outputs: {},
    implementation: { type: 'container', image: 'busybox', command: [command] },
  };
}

const noopTask = (dependsOn: string[]): TaskNode => ({
  type: 'task',
  component: 'noop',
  inputs: {},
  dependsOn,
  settings: {},
});

/** `step-1 → step-2 → … → step-n`, each depending on the one before. */
export function chainSpec(n: number, command: string): PipelineSpec {
  const tasks: Record<string, TaskNode> = {};
  for (let i = 1; i <= n; i++) tasks[`step-${i}`] = noopTask(i > 1 ? [`step-${i - 1}`] : []);
  return {
    schemaVersion: '1.0',
    pipeline: { name: `bench-chain-${n}` },
    params: {},
    settings: {},
    components: { noop: noopComponent(command) },
    root: { tasks },
    outputs: {},
  };
}

/** One loop over `n` literal items whose body is one no-op step. */
export function loopSpec(n: number, parallelism: number, command: string): PipelineSpec {
  return {
    schemaVersion: '1.0',
    pipeline: { name: `bench-loop-${n}` },
    params: {},
    settings: {},
    components: { noop: noopComponent(command) },
    root: {
      tasks: {
        fan: {
          type: 'loop',
          dependsOn: [],
          items: { kind: 'constant', value: Array.from({ length: n }, (_, i) => i) },
          parallelism,
          body: { tasks: { noop: noopTask([]) } },
        },
      },
    },
    outputs: {},
  };
}
