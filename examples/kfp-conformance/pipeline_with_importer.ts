/**
 * Port of KFP `pipeline_with_importer.py`: an importer with a constant URI and metadata, an
 * importer with its URI from a parameter (reimport) inside a condition on a task output.
 * Differences: `train` returns scalar '123' like KFP's (so the condition holds); it writes a tiny
 * model file. The URIs stay gs:// as in KFP (compile-level test; a local run passes file:// URIs).
 */
import { artifact, importer, param, pipeline, python, when } from '@kiln/dsl';

const train = python({
  name: 'train',
  inputs: { dataset: artifact.dataset() },
  outputs: { scalar: param.string(), model: artifact.model() },
  source: `
    def train(dataset, model):
        with open(dataset.path) as f:
            lines = f.read().splitlines()
        with open(model.path, "w") as f:
            f.write(f"model trained on {len(lines)} lines")
        return {"scalar": "123"}
  `,
});

export const pipelineWithImporter = pipeline(
  {
    name: 'pipeline-with-importer',
    params: { dataset2: param.string({ default: 'gs://ml-pipeline-playground/shakespeare2.txt' }) },
  },
  (p) => {
    const i1 = importer({
      uri: 'gs://ml-pipeline-playground/shakespeare1.txt',
      artifactType: 'dataset',
      reimport: false,
      metadata: { key: 'value' },
    });
    const t1 = train({ dataset: i1.outputs.artifact });
    when(t1.outputs.scalar.eq('123'), () => {
      const i2 = importer({ uri: p.dataset2, artifactType: 'dataset', reimport: true });
      train({ dataset: i2.outputs.artifact });
    });
  },
);
