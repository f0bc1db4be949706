/** The fixtures the UI's tests draw are what the real system would produce. */
import { runStatusDocumentSchema } from '@kiln/engine-contract/schemas';
import { pipelineSpecSchema, validateSpec } from '@kiln/ir';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { showcasePipeline } from '../fixtures/showcase-pipeline';
import { showcaseDone, showcaseRunning } from '../fixtures/showcase-runs';
import trainingDeployed from '../fixtures/training-run-deployed.json';
import trainingIr from '../fixtures/training.ir.json';
import trainingSkipped from '../fixtures/training-run-skipped.json';
import { widePipeline } from '../fixtures/wide-pipeline';

const workspace = join(__dirname, '..', '..', '..', '..');

test('the training IR fixture is the compiled training example (its golden file)', () => {
  const golden: unknown = JSON.parse(readFileSync(join(workspace, 'examples/training/training.golden.json'), 'utf8'));
  expect(trainingIr).toEqual(golden);
});

test.each([
  ['training', pipelineSpecSchema.parse(trainingIr)],
  ['showcase', showcasePipeline],
  ['wide-1000', widePipeline(25, 40)],
])('the %s pipeline is valid IR', (_name, spec) => {
  const result = validateSpec(spec);
  expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([]);
});

test.each([
  ['a deployed training run', trainingDeployed],
  ['a skipped-deploy training run', trainingSkipped],
  ['the running showcase run', showcaseRunning()],
  ['the finished showcase run', showcaseDone()],
])('%s is a valid run status document', (_name, doc) => {
  const parsed = runStatusDocumentSchema.safeParse(doc);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
});
