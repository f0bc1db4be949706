import { runStatusDocumentSchema } from '@kiln/engine-contract/schemas';
import { pipelineSpecSchema } from '@kiln/ir';
import { runGraphDefaults } from '../../src/graph/model';
import { pipelineGraph } from '../../src/graph/pipeline-graph';
import { overlayRun } from '../../src/graph/run-overlay';
import { runStateCounts } from '../../src/graph/state-counts';
import { showcasePipeline } from '../fixtures/showcase-pipeline';
import { showcaseDone, showcaseRunning } from '../fixtures/showcase-runs';
import trainingIr from '../fixtures/training.ir.json';
import trainingSkipped from '../fixtures/training-run-skipped.json';

describe('a run drawn on its pipeline graph', () => {
  test('a batched 10,000-item loop is one node counting every iteration once', () => {
    const graph = pipelineGraph(showcasePipeline, runGraphDefaults);
    const states = overlayRun(graph, showcaseRunning().tasks);
    const loop = states.get('fan-out');
    // score-item: 9,500 + 40 + 457 from the summary, the 3 failures from their own entries (not twice);
    // keep: 6,000 + 3,500.
    expect(loop?.counts).toMatchObject({ succeeded: 15500, failed: 3, running: 40, pending: 457, skipped: 3500 });
    expect(loop?.total).toBe(19500);
    expect(loop?.state).toBe('failed');
  });

  test('a task outside loops shows its one state', () => {
    const graph = pipelineGraph(showcasePipeline, runGraphDefaults);
    const states = overlayRun(graph, showcaseRunning().tasks);
    expect(states.get('prepare')).toMatchObject({ state: 'succeeded', total: 1 });
    expect(states.get('summarize')).toMatchObject({ total: 0 });
    expect(states.get('summarize')?.state).toBeUndefined();
  });

  test('the branch whose condition held is taken, the other not taken', () => {
    const graph = pipelineGraph(showcasePipeline, runGraphDefaults);
    const states = overlayRun(graph, showcaseDone().tasks);
    expect(states.get('condition-2#b0')?.branch).toBe('not-taken');
    expect(states.get('condition-2#b1')?.branch).toBe('taken');
  });

  test('a branch not decided yet is pending, and a closed sub-pipeline shows its own state', () => {
    const graph = pipelineGraph(showcasePipeline, runGraphDefaults);
    expect(overlayRun(graph, showcaseRunning().tasks).get('condition-2#b1')?.branch).toBe('pending');
    const done = overlayRun(graph, showcaseDone().tasks).get('validate-inner');
    expect(done).toMatchObject({ state: 'succeeded', total: 2 });
  });

  test("the training example's skipped deploy step marks its branch not taken", () => {
    const graph = pipelineGraph(pipelineSpecSchema.parse(trainingIr), runGraphDefaults);
    const run = runStatusDocumentSchema.parse(trainingSkipped);
    const states = overlayRun(graph, run.tasks);
    expect(states.get('condition-1#b0')?.branch).toBe('not-taken');
    expect(states.get('deploy-model')?.state).toBe('skipped');
    expect(states.get('train-model')?.state).toBe('succeeded');
  });

  test('the per-state summary of a big run counts batched iterations without double-counting failures', () => {
    expect(runStateCounts(showcaseRunning().tasks)).toEqual({
      succeeded: 1 + 9500 + 6000,
      failed: 3,
      running: 40,
      pending: 457,
      skipped: 3500,
      cached: 0,
      cancelled: 0,
    });
  });
});
