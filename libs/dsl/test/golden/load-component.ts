import { artifact, component, loadComponent, param, pipeline } from '../../src';

const yamlComponent = `
name: trainer
inputs:
  epochs: { kind: param, type: int, default: 1 }
outputs:
  model: { kind: artifact, type: model }
implementation:
  type: container
  image: ghcr.io/acme/trainer:2
  command: [train, --epochs, { kind: inputValue, input: epochs }, --out, { kind: outputPath, output: model }]
`;

const trainer = loadComponent(yamlComponent);

const wholeSpec = {
  schemaVersion: '1.0',
  pipeline: { name: 'scorer' },
  params: { model: { kind: 'param', type: 'string' } },
  settings: {},
  components: {
    score: {
      name: 'score',
      inputs: { model: { kind: 'param', type: 'string' } },
      outputs: { score: { kind: 'param', type: 'float' } },
      implementation: { type: 'container', image: 'alpine:3.20', command: ['score', { kind: 'inputValue', input: 'model' }, { kind: 'outputPath', output: 'score' }] },
    },
  },
  root: { tasks: { score: { type: 'task', component: 'score', inputs: { model: { kind: 'param', name: 'model' } }, dependsOn: [], settings: {} } } },
  outputs: { score: { kind: 'output', task: 'score', output: 'score' } },
};

const scorer = loadComponent(wholeSpec);

const show = component({
  name: 'show',
  image: 'alpine:3.20',
  inputs: { model: artifact.model(), score: param.float() },
  command: ({ inputs }) => ['show', inputs.model.uri, inputs.score],
});

export const loaded = pipeline({ name: 'load-component' }, () => {
  const t = trainer({ epochs: 3 });
  const s = scorer({ model: 'm1' });
  show({ model: t.output('model'), score: s.output('score') });
});
