import { compileToJson, component, param, parallelFor, pipeline, when } from '../src';

const step = component({
  name: 'step',
  image: 'alpine:3.20',
  inputs: { n: param.int() },
  outputs: { v: param.int() },
  command: ({ inputs, outputs }) => ['s', inputs.n, outputs.v.path],
});

function build() {
  return pipeline({ name: 'det', params: { n: param.int({ default: 2 }) } }, (p) => {
    const a = step({ n: p.n });
    parallelFor([3, 1, 2], (i) => {
      step({ n: i }).after(a);
    });
    when(a.outputs.v.gt(1), () => step({ n: a.outputs.v }));
  });
}

describe('determinism', () => {
  test('compiling the same pipeline twice gives identical bytes', () => {
    const built = build();
    expect(compileToJson(built)).toBe(compileToJson(built));
  });

  test('defining the same pipeline twice gives identical bytes', () => {
    expect(compileToJson(build())).toBe(compileToJson(build()));
  });

  test('task ids derive from component names in creation order', () => {
    const spec = JSON.parse(compileToJson(build())) as { root: { tasks: Record<string, unknown> } };
    expect(Object.keys(spec.root.tasks).sort()).toEqual(['condition-1', 'for-loop-1', 'step']);
  });
});
