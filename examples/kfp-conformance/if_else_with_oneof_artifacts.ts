/**
 * Port of KFP `if_else_with_oneof_artifacts.py`: If/Else with OneOf over ARTIFACTS, consumed inside
 * a sub-pipeline and returned from it; the outer pipeline prints the returned artifact.
 * Differences: flip-coin is deterministic ('heads' by default). Kiln: one condition group with
 * `when` + `otherwise` instead of KFP's condition-branches-1 / condition-2 / condition-3.
 */
import { artifact, oneOf, param, pipeline, python, type Task, when } from '@kiln/dsl';
import { flipCoin } from './components';

const paramToArtifact = python({
  name: 'param-to-artifact',
  inputs: { val: param.string() },
  outputs: { a: artifact.artifact() },
  source: `
    def param_to_artifact(val, a):
        with open(a.path, "w") as f:
            f.write(val)
  `,
});

const printArtifact = python({
  name: 'print-artifact',
  inputs: { a: artifact.artifact() },
  source: `
    def print_artifact(a):
        with open(a.path) as f:
            print(f.read())
  `,
});

type Made = Task<ReturnType<typeof paramToArtifact>['outputs']>;

export const flipCoinPipeline = pipeline({ name: 'flip-coin-pipeline' }, () => {
  const f = flipCoin();
  let t1!: Made;
  let t2!: Made;
  when(f.outputs.Output.eq('heads'), () => {
    t1 = paramToArtifact({ val: f.outputs.Output });
  }).otherwise(() => {
    t2 = paramToArtifact({ val: f.outputs.Output });
  });
  const x = oneOf(t1.outputs.a, t2.outputs.a);
  printArtifact({ a: x });
  return { Output: x };
});

export const ifElseWithOneofArtifacts = pipeline({ name: 'outer-pipeline' }, () => {
  const p = flipCoinPipeline();
  printArtifact({ a: p.outputs.Output });
});
