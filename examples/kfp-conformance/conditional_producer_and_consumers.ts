/**
 * Port of KFP `parallelfor_fan_in/conditional_producer_and_consumers.py`: the producer of a fan-in
 * sits in a condition inside the loop body; iterations where it was skipped are left out of the
 * collected list (KFP's behaviour). The consumer sits in a condition after the loop.
 * Differences: KFP also returns `Collected(add.Output)` as the pipeline output, which degenerates to
 * add's plain value because add is not in a loop; Kiln's pipeline outputs cannot reach into a
 * condition that may not run (there is no second branch for a `oneOf`), so the port has no output.
 */
import { collected, param, parallelFor, pipeline, type Task, when } from '@kiln/dsl';
import { addInts, double } from './components';

export const conditionalProducerAndConsumers = pipeline(
  { name: 'math-pipeline', params: { threshold: param.int({ default: 2 }) } },
  (p) => {
    let t!: Task<ReturnType<typeof double>['outputs']>;
    parallelFor([1, 2, 3], (x) => {
      when(x.ge(p.threshold), () => {
        t = double({ num: x });
      });
    });
    when(p.threshold.eq(2), () => {
      addInts({ nums: collected(t.outputs.Output) });
    });
  },
);
