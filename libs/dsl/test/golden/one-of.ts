import { artifact, component, oneOf, param, pipeline, type Task, when } from '../../src';

const fast = component({ name: 'fast', image: 'alpine:3.20', outputs: { model: artifact.model() }, command: ({ outputs }) => ['fast', outputs.model.path] });
const full = component({ name: 'full', image: 'alpine:3.20', outputs: { model: artifact.model() }, command: ({ outputs }) => ['full', outputs.model.path] });
const use = component({ name: 'use', image: 'alpine:3.20', inputs: { model: artifact.model() }, command: ({ inputs }) => ['use', inputs.model.path] });

export const oneOfPipeline = pipeline({ name: 'one-of', params: { mode: param.string({ default: 'fast' }) } }, (p) => {
  let a!: Task<ReturnType<typeof fast>['outputs']>;
  let b!: Task<ReturnType<typeof full>['outputs']>;
  when(p.mode.eq('fast'), () => {
    a = fast();
  }).otherwise(() => {
    b = full();
  });
  use({ model: oneOf(a.outputs.model, b.outputs.model) });

  const chain = when(p.mode.eq('fast'), () => ({ model: fast().outputs.model }))
    .elseWhen(p.mode.eq('full'), () => ({ model: full().outputs.model }))
    .otherwise(() => ({ model: fast().outputs.model }));
  use({ model: chain.outputs.model });
});
