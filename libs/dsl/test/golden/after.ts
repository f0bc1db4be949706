import { after, component, param, parallelFor, pipeline, when } from '../../src';

const step = component({ name: 'step', image: 'alpine:3.20', inputs: { n: param.int() }, outputs: { ok: param.bool() }, command: ({ inputs, outputs }) => ['step', inputs.n, outputs.ok.path] });

export const afterPipeline = pipeline({ name: 'after' }, () => {
  const a = step({ n: 1 });
  const b = step({ n: 2 }).after(a);
  const loop = parallelFor([1, 2], (n) => {
    step({ n }).after(b);
  });
  const cond = when(a.outputs.ok.eq(true), () => {
    step({ n: 9 });
  });
  after(cond, loop);
  step({ n: 3 }).after(loop, cond).ignoreUpstreamFailure();
});
