/**
 * Type tests: `runs.start` and `schedules.create` check run parameters
 * against a DSL pipeline's definitions at compile time. `tsc` (the typecheck
 * target) is what really runs these; jest only makes sure the file loads and
 * the calls are well formed. No call here reaches a server.
 */
import { component, param, pipeline, type ParamDef } from '@kiln/dsl';
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { expectTypeOf } from 'expect-type';
import { storedPipeline, type KilnClient, type ParamsOfDefs, type RunHandle, type RunParams } from '../src/index';

const echo = component({
  name: 'echo',
  image: 'busybox',
  inputs: { text: param.string(), n: param.float() },
  command: ({ inputs }) => ['echo', inputs.text, inputs.n],
});

const training = pipeline(
  {
    name: 'training',
    params: {
      dataUrl: param.string(),
      minAccuracy: param.float({ default: 0.85 }),
      mode: param.string({ enum: ['fast', 'full'], default: 'fast' }),
      tags: param.list({ optional: true }),
    },
  },
  (p) => {
    echo({ text: p.dataUrl, n: p.minAccuracy });
  },
);

const allDefaults = pipeline({ name: 'defaults', params: { n: param.int({ default: 1 }) } }, (p) => {
  echo({ text: 'x', n: p.n });
});

declare const client: KilnClient;
declare const spec: PipelineSpec;

describe('typed run parameters', () => {
  test('a DSL pipeline types its parameters: required without default, optional with one', () => {
    expectTypeOf<RunParams<typeof training>>().toEqualTypeOf<{
      dataUrl: string;
      minAccuracy?: number;
      mode?: 'fast' | 'full';
      tags?: unknown[];
    }>();
    expectTypeOf<
      ParamsOfDefs<{ a: ParamDef<'int', number, true>; b: ParamDef<'bool', boolean, false> }>
    >().toEqualTypeOf<{ a: number; b?: boolean }>();
  });

  test('runs.start accepts well-typed parameters and returns a run handle', () => {
    const start = () =>
      client.runs.start(training, { dataUrl: 's3://x', minAccuracy: 0.9, mode: 'full' }, { experiment: 'e' });
    expectTypeOf(start).returns.resolves.toEqualTypeOf<RunHandle>();
    expect(typeof start).toBe('function');
  });

  test('wrong names, wrong types and missing required parameters are compile errors', () => {
    const calls = [
      // @ts-expect-error -- minAcc is not a parameter of training
      () => client.runs.start(training, { dataUrl: 'x', minAcc: 0.9 }),
      // @ts-expect-error -- minAccuracy is a float, not a string
      () => client.runs.start(training, { dataUrl: 'x', minAccuracy: 'high' }),
      // @ts-expect-error -- dataUrl is required (no default)
      () => client.runs.start(training, { minAccuracy: 0.9 }),
      // @ts-expect-error -- params may not be left out when one is required
      () => client.runs.start(training),
      // @ts-expect-error -- mode is an enum
      () => client.runs.start(training, { dataUrl: 'x', mode: 'slow' }),
      // @ts-expect-error -- unknown run option
      () => client.runs.start(training, { dataUrl: 'x' }, { executor: 'docker' }),
    ];
    expect(calls).toHaveLength(6);
  });

  test('params may be left out when every parameter has a default', () => {
    expectTypeOf<typeof client.runs.start<typeof allDefaults>>().parameters.toEqualTypeOf<
      [
        typeof allDefaults,
        ({ n?: number } | undefined)?,
        (
          { experiment?: string; executor?: 'local' | 'kubernetes'; cache?: boolean; parallelism?: number } | undefined
        )?,
      ]
    >();
    const ok = () => client.runs.start(allDefaults);
    expect(typeof ok).toBe('function');
  });

  test('IR and stored pipelines take loosely typed JSON parameters', () => {
    expectTypeOf<RunParams<PipelineSpec>>().toEqualTypeOf<Record<string, JsonValue>>();
    expectTypeOf<RunParams<{ name: string; version: string }>>().toEqualTypeOf<Record<string, JsonValue>>();
    const calls = [
      () => client.runs.start(spec, { anything: [1, 2] }),
      () => client.runs.start({ name: 'training', version: '3' }, { minAccuracy: 0.9 }),
      () => client.runs.start(spec),
    ];
    expect(calls).toHaveLength(3);
  });

  test('storedPipeline keeps the source pipeline parameter types', () => {
    const ref = storedPipeline(training, { version: '3' });
    expectTypeOf<RunParams<typeof ref>>().toEqualTypeOf<RunParams<typeof training>>();
    const calls = [
      () => client.runs.start(ref, { dataUrl: 'x' }),
      // @ts-expect-error -- still typed: dataUrl must be a string
      () => client.runs.start(ref, { dataUrl: 1 }),
    ];
    expect(ref).toEqual({ name: 'training', version: '3' });
    expect(calls).toHaveLength(2);
  });

  test('schedules.create types params the same way', () => {
    const calls = [
      () =>
        client.schedules.create({
          id: 's',
          pipeline: training,
          params: { dataUrl: 'x' },
          cron: '0 3 * * *',
          catchupWindow: '1h',
        }),
      () => client.schedules.create({ id: 's', pipeline: allDefaults, interval: { every: '1h' }, catchupWindow: 60 }),
      () =>
        // @ts-expect-error -- dataUrl is required
        client.schedules.create({ id: 's', pipeline: training, params: {}, cron: '0 3 * * *', catchupWindow: '1h' }),
      // @ts-expect-error -- params are required for training
      () => client.schedules.create({ id: 's', pipeline: training, cron: '0 3 * * *', catchupWindow: '1h' }),
      // @ts-expect-error -- catchupWindow is required
      () => client.schedules.create({ id: 's', pipeline: allDefaults, cron: '0 3 * * *' }),
    ];
    expect(calls).toHaveLength(5);
  });
});
