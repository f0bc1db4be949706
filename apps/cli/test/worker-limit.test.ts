/** `kiln run` says when the embedded worker's activity slots cap the parallelism a pipeline asks for. */
import type { PipelineSpec } from '@kiln/ir';
import { workerLimitNote } from '../src/commands/run';

const loopSpec = (parallelism: number | undefined, settings: PipelineSpec['settings'] = {}): PipelineSpec => ({
  schemaVersion: '1.0',
  pipeline: { name: 'wide' },
  params: {},
  settings,
  components: {
    noop: {
      name: 'noop',
      inputs: {},
      outputs: {},
      implementation: { type: 'container', image: 'x', command: ['true'] },
    },
  },
  root: {
    tasks: {
      fan: {
        type: 'loop',
        dependsOn: [],
        items: { kind: 'constant', value: [1, 2, 3] },
        ...(parallelism !== undefined ? { parallelism } : {}),
        body: { tasks: { noop: { type: 'task', component: 'noop', inputs: {}, dependsOn: [], settings: {} } } },
      },
    },
  },
  outputs: {},
});

describe('workerLimitNote', () => {
  test('names the loop and the worker limit when the loop asks for more than the slots', () => {
    expect(workerLimitNote(loopSpec(150), 100)).toBe(
      'loop "fan" asks for parallelism 150; the embedded worker runs at most 100 steps at once (its activity slots), so at most 100 run together',
    );
  });

  test('names the pipeline setting when that is the widest ask', () => {
    expect(workerLimitNote(loopSpec(50, { parallelism: 200 }), 100)).toMatch(
      /^the pipeline \(settings\.parallelism\) asks for parallelism 200/,
    );
  });

  test('says nothing when the slots suffice or nothing is asked', () => {
    expect(workerLimitNote(loopSpec(50), 100)).toBeUndefined();
    expect(workerLimitNote(loopSpec(undefined), 100)).toBeUndefined();
  });
});
