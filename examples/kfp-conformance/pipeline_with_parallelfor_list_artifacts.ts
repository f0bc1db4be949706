/**
 * Port of KFP `pipeline_with_parallelfor_list_artifacts.py`: two sub-pipelines each return the
 * collected list of artifacts made in a loop; the pipeline then loops over each list, one artifact
 * per iteration.
 * Differences: KFP's print_artifact_name prints `artifact.name`; Kiln artifacts have no name field,
 * so it prints the artifact's content and metadata instead.
 */
import { artifact, collected, param, parallelFor, pipeline, python, type Task } from '@kiln/dsl';

const printArtifactName = python({
  name: 'print-artifact-name',
  inputs: { artifact: artifact.artifact() },
  outputs: { Output: param.string() },
  source: `
    def print_artifact_name(artifact):
        with open(artifact.path) as f:
            text = f.read()
        print(repr(text), artifact.metadata)
        return {"Output": text}
  `,
});

const makeDataset = python({
  name: 'make-dataset',
  inputs: { data: param.string() },
  outputs: { Output: artifact.dataset() },
  source: `
    def make_dataset(data, Output):
        Output.metadata["length"] = len(data)
        with open(Output.path, "w") as f:
            f.write(data)
  `,
});

const makeArtifact = python({
  name: 'make-artifact',
  inputs: { data: param.string() },
  outputs: { Output: artifact.artifact() },
  source: `
    def make_artifact(data, Output):
        with open(Output.path, "w") as f:
            f.write(data)
  `,
});

const texts = param.list(param.string(), { default: ['Hello', ',', ' ', 'world!'] });

const makeDatasets = pipeline({ name: 'make-datasets', params: { texts } }, (p) => {
  let t!: Task<ReturnType<typeof makeDataset>['outputs']>;
  parallelFor(p.texts, (text) => {
    t = makeDataset({ data: text });
  });
  return { Output: collected(t.outputs.Output) };
});

const makeArtifacts = pipeline({ name: 'make-artifacts', params: { texts } }, (p) => {
  let t!: Task<ReturnType<typeof makeArtifact>['outputs']>;
  parallelFor(p.texts, (text) => {
    t = makeArtifact({ data: text });
  });
  return { Output: collected(t.outputs.Output) };
});

export const pipelineWithParallelforListArtifacts = pipeline({ name: 'pipeline-parallelfor-artifacts' }, () => {
  const a = makeArtifacts();
  parallelFor(a.outputs.Output, (item) => {
    printArtifactName({ artifact: item });
  });
  const d = makeDatasets();
  parallelFor(d.outputs.Output, (item) => {
    printArtifactName({ artifact: item });
  });
});
