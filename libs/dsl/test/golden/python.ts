import { artifact, param, pipeline, python } from '../../src';

const train = python({
  name: 'train',
  image: 'python:3.12-slim',
  packages: ['scikit-learn==1.5.2', 'pandas'],
  inputs: { dataset: artifact.dataset(), trees: param.int({ default: 100 }), opts: param.object({ default: { depth: 3 } }) },
  outputs: { model: artifact.model(), metrics: artifact.classificationMetrics(), accuracy: param.float() },
  source: `
    import json

    def helper(x):
        return x

    def main(dataset, trees, opts, model, metrics):
        metrics.log_confusion_matrix(["a", "b"], [[1, 0], [0, 1]])
        return {"accuracy": 1.0}
  `,
});

const load = python({
  name: 'load',
  inputs: { url: param.string() },
  outputs: { dataset: artifact.dataset() },
  entrypoint: 'load_it',
  source: `
    def load_it(url: str, dataset, **kwargs):
        pass
  `,
});

export const pythonPipeline = pipeline({ name: 'python', params: { url: param.string() } }, (p) => {
  const l = load({ url: p.url });
  train({ dataset: l.outputs.dataset, trees: 10 });
});
