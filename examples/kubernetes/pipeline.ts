/**
 * A pipeline that exercises the Kubernetes executor end to end: parameters,
 * artifacts handed from pod to pod through the store, a loop with fan-in, a
 * condition with an `otherwise` branch and an exit handler that sees the
 * run's final status. Every step is a container component using `/bin/sh`.
 *
 *   write-text ──► tag-shard × shards ──► join-shards ──► shout   (words >= minWords)
 *        │                                               └► whisper (otherwise)
 *        └── words ─────────────────────────────────────────┘
 *   report (exit handler: runs last, whatever happened, with the final status)
 *
 * ```sh
 * TEMPORAL_ADDRESS=... bin/kiln run examples/kubernetes/pipeline.ts --executor kubernetes \
 *   --param text='the quick brown fox' --param shards='["a","b","c"]' --param minWords=3
 * ```
 */
import { collected, exitHandler, param, parallelFor, pipeline, type Task, when } from '@kiln/dsl';
import { joinShards, report, shout, tagShard, whisper, writeText } from './components';

export const kubernetesDemo = pipeline(
  {
    name: 'kubernetes-demo',
    description: 'Parameters, artifacts, a loop with fan-in, a condition and an exit handler, one pod per step',
    params: {
      text: param.string({ default: 'the quick brown fox jumps over the lazy dog' }),
      shards: param.list(param.string(), { default: ['alpha', 'beta', 'gamma'] }),
      minWords: param.int({ default: 5 }),
    },
    settings: { executor: 'kubernetes' },
  },
  (p) => {
    exitHandler(
      (status) => report({ status }),
      () => {
        const write = writeText({ text: p.text });
        let tagged!: Task<ReturnType<typeof tagShard>['outputs']>;
        parallelFor(p.shards, (shard) => {
          tagged = tagShard({ document: write.outputs.document, shard });
        });
        // Fan-in: every iteration's outputs, in item order.
        const join = joinShards({ parts: collected(tagged.outputs.tagged) });
        when(write.outputs.words.ge(p.minWords), () => {
          shout({ joined: join.outputs.joined });
        }).otherwise(() => {
          whisper({ joined: join.outputs.joined });
        });
      },
    );
  },
);
