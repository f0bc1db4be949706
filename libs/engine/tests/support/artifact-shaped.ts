/**
 * Object parameters shaped like artifacts (`uri` and `type`), next to a real
 * artifact: the pipeline the tagged-values replay fixtures and tests run.
 */
import { c, dag, fakeComponent, out, p, pipeline, task } from './ir';

/** An object parameter that looks like an artifact (`uri` and `type`), as a user may well pass one. */
export const artifactShapedConfig = { uri: 's3://bucket/configs/train.json', type: 'model' };

/**
 * Object parameters shaped like artifacts, next to a real artifact: as a pipeline
 * output, echoed through a task output, and as a sub-pipeline input read inside a
 * loop run in batch children (`loopBatchSize: 2`), whose scope snapshot carries both.
 */
export const artifactShaped = pipeline(
  'replay-artifact-shaped',
  {
    echo: task({ value: p('config') }),
    carry: task({ config: p('config'), model: out('echo', 'model') }, { component: 'carrier' }),
  },
  {
    params: { config: { kind: 'param', type: 'object', default: artifactShapedConfig } },
    outputs: { config: p('config'), echoed: out('echo'), model: out('echo', 'model'), carried: out('carry') },
    components: {
      sink: {
        ...fakeComponent,
        name: 'sink',
        inputs: { ...fakeComponent.inputs, data: { kind: 'artifact', type: 'model', optional: true } },
      },
      carrier: {
        name: 'carrier',
        inputs: { config: { kind: 'param', type: 'object' }, model: { kind: 'artifact', type: 'model' } },
        outputs: { out: { kind: 'param', type: 'list' } },
        implementation: {
          type: 'dag',
          dag: dag({
            fan: {
              type: 'loop',
              dependsOn: [],
              items: c([1, 2, 3]),
              body: dag({ each: task({ value: p('config'), data: p('model') }, { component: 'sink' }) }),
            },
          }),
          outputs: { out: { kind: 'collected', loop: 'fan', task: 'each', output: 'out' } },
        },
      },
    },
  },
);
