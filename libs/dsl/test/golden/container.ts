import { artifact, component, concat, ifPresent, param, pipeline } from '../../src';

export const report = component({
  name: 'report',
  description: 'Every placeholder kind.',
  image: 'ghcr.io/acme/report:1.0',
  inputs: {
    model: artifact.model(),
    data: artifact.dataset({ optional: true }),
    title: param.string({ default: 'Report' }),
    threshold: param.float(),
    seed: param.int({ optional: true }),
  },
  outputs: { page: artifact.html(), summary: artifact.markdown(), verdict: param.string() },
  command: ({ inputs }) => [
    'python', '-m', 'report',
    '--model', inputs.model.path,
    '--model-uri', inputs.model.uri,
    '--model-meta', inputs.model.metadata,
    concat('--title=', inputs.title),
    '--threshold', inputs.threshold,
    ifPresent(inputs.seed, ['--seed', inputs.seed]),
    ifPresent(inputs.data, ['--data', inputs.data.path], ['--no-data']),
    '--retries', 3,
  ],
  args: ({ outputs }) => [
    '--page', outputs.page.path,
    '--page-uri', outputs.page.uri,
    '--page-meta', outputs.page.metadata,
    '--summary', outputs.summary.path,
    '--verdict', outputs.verdict.path,
  ],
});

const makeModel = component({
  name: 'make-model',
  image: 'alpine:3.20',
  outputs: { model: artifact.model() },
  command: ({ outputs }) => ['sh', '-c', 'echo model > "$0"', outputs.model.path],
});

export const containerPipeline = pipeline({ name: 'container', params: { threshold: param.float({ default: 0.5 }) } }, (p) => {
  const m = makeModel();
  report({ model: m.outputs.model, threshold: p.threshold });
  report({ model: m.outputs.model, threshold: 0.9, title: 'Strict', seed: 7 });
});
