/**
 * Runtime values carry a tag (parameter or artifact) set where they come from:
 * an object parameter that happens to have `uri` and `type` is never taken for
 * an artifact (runs started before patch `kiln-tagged-values` did, as the
 * `v3-artifact-shaped` replay fixture shows).
 */
import { artifactShaped, artifactShapedConfig } from './support/artifact-shaped';
import { startHarness, tasksOf, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(() => h?.close());

describe('an object parameter shaped like an artifact', () => {
  it('stays a parameter as a pipeline output, through a task output and into loop batch children', async () => {
    const { doc } = await h.run(artifactShaped, {}, { loopBatchSize: 2 });
    expect(doc.state).toBe('SUCCEEDED');
    expect(doc.outputs?.params).toEqual({
      config: artifactShapedConfig,
      echoed: artifactShapedConfig,
      carried: [artifactShapedConfig, artifactShapedConfig, artifactShapedConfig],
    });
    // The real artifact next to them is still an artifact.
    expect(Object.keys(doc.outputs?.artifacts ?? {})).toEqual(['model']);
    expect(doc.outputs?.artifacts['model']).toMatchObject({ type: 'model', metadata: { producedBy: 'echo' } });

    // Inside the sub-pipeline's batched loop, each step got the object as a parameter and the model as an artifact.
    expect(tasksOf(doc, 'carry')[0]?.state).toBe('succeeded');
    const steps = h.log.calls.filter((call) => call.taskId === 'carry/each' && call.params['value'] !== undefined);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    for (const step of steps) {
      expect(step.params['value']).toEqual(artifactShapedConfig);
      expect(step.artifacts['data']).toMatchObject({ type: 'model', metadata: { producedBy: 'echo' } });
    }
  }, 60_000);
});
