import { artifact, component, param, pipeline } from '../../src';

const produce = component({
  name: 'produce',
  image: 'alpine:3.20',
  inputs: { size: param.int() },
  outputs: { data: artifact.dataset(), count: param.int() },
  command: ({ inputs, outputs }) => ['produce', inputs.size, outputs.data.path, outputs.count.path],
});

const consume = component({
  name: 'consume',
  image: 'alpine:3.20',
  inputs: { data: artifact.dataset(), count: param.int() },
  command: ({ inputs }) => ['consume', inputs.data.path, inputs.count],
});

/** A sub-pipeline with an artifact input and outputs. */
const inner = pipeline(
  { name: 'prepare', description: 'Produce data and check it.', params: { size: param.int({ default: 10 }), extra: artifact.dataset({ optional: true }) } },
  (p) => {
    const made = produce({ size: p.size });
    consume({ data: made.outputs.data, count: made.outputs.count });
    return { data: made.outputs.data, count: made.outputs.count };
  },
);

export const outer = pipeline({ name: 'nested', params: { size: param.int({ default: 5 }) } }, (p) => {
  const a = inner({ size: p.size });
  const b = inner();
  consume({ data: a.outputs.data, count: b.outputs.count });
});
