/** The benchmark pipeline: `noop → noop-2 → … → noop-n`, each step a container running `/bin/true`. */
import { compile, component, pipeline, type Task } from '@kiln/dsl';
import type { PipelineSpec } from '@kiln/ir';

/** The image is a real one so the pods are what a cluster would run; the test node agent ignores it. */
const noop = component({ name: 'noop', image: 'alpine:3.20', command: ['/bin/true'] });

export function chainSpec(n: number): PipelineSpec {
  return compile(
    pipeline({ name: `pods-bench-chain-${n}` }, () => {
      let previous: Task<Record<string, never>> | undefined;
      for (let i = 0; i < n; i++) {
        const step = noop();
        if (previous) step.after(previous);
        previous = step;
      }
    }),
  );
}
