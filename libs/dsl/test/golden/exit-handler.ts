import { component, exitHandler, param, pipeline } from '../../src';

const step = component({ name: 'step', image: 'alpine:3.20', inputs: { n: param.int() }, command: ({ inputs }) => ['step', inputs.n] });
const notify = component({
  name: 'notify',
  image: 'alpine:3.20',
  inputs: { status: param.object(), channel: param.string() },
  command: ({ inputs }) => ['notify', inputs.status, inputs.channel],
});

export const exitPipeline = pipeline({ name: 'exit-handler', params: { channel: param.string({ default: '#ml' }) } }, (p) => {
  exitHandler(
    (status) => notify({ status, channel: p.channel }),
    () => {
      step({ n: 1 });
      step({ n: 2 });
    },
  );
  step({ n: 3 });
});
