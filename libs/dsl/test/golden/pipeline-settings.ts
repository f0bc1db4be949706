import { component, param, pipeline } from '../../src';

const step = component({ name: 'step', image: 'alpine:3.20', inputs: { x: param.string() }, command: ({ inputs }) => ['step', inputs.x] });

export const pipelineSettings = pipeline(
  {
    name: 'pipeline-settings',
    displayName: 'Pipeline settings',
    description: 'Every pipeline setting and parameter kind.',
    params: {
      s: param.string({ description: 'a string' }),
      i: param.int({ default: 3 }),
      f: param.float({ default: 0.5 }),
      b: param.bool({ default: true }),
      l: param.list({ default: [1, 2] }),
      o: param.object({ default: { a: 1 } }),
      e: param.string({ enum: ['x', 'y'], default: 'x' }),
      opt: param.string({ optional: true }),
    },
    settings: { executor: 'kubernetes', podTtl: '1h', timeout: '6h', failFast: true, parallelism: 4 },
  },
  (p) => {
    step({ x: p.s });
    step({ x: p.e });
  },
);
