/**
 * loadComponent reads KFP YAML too: a component compiled by the KFP SDK
 * (kfp 2.17.3, examples/kfp-yaml/pipelines/component_python.py), a v1
 * component.yaml, and refusals that name the YAML path and KFP feature.
 */
import { join } from 'node:path';
import { validateSpec } from '@kiln/ir';
import { compile, component, DslError, loadComponent, artifact, pipeline } from '../src';

const v1 = `
name: Upper case
inputs:
- {name: Text, type: String}
outputs:
- {name: Result, type: String}
implementation:
  container:
    image: alpine:3.20
    command: [sh, -c, 'mkdir -p "$(dirname "$1")"; echo "$0" | tr a-z A-Z > "$1"', {inputValue: Text}, {outputPath: Result}]
`;

test('a KFP-compiled Python component becomes a task of a Kiln pipeline, keeping its executor protocol', () => {
  const fit = loadComponent(join(__dirname, 'kfp', 'component_python.yaml'));
  expect(fit.componentName).toBe('fit');
  const write = component({
    name: 'write',
    image: 'alpine:3',
    outputs: { data: artifact.dataset() },
    command: ({ outputs }) => ['sh', '-c', 'echo rows > "$0"', outputs.data.path],
  });
  const spec = compile(
    pipeline({ name: 'uses-kfp' }, () => {
      const w = write();
      fit({ data: w.outputs.data, rounds: 5 });
    }),
  );
  expect(validateSpec(JSON.parse(JSON.stringify(spec)))).toMatchObject({ ok: true });
  const impl = spec.components['fit']?.implementation;
  expect(impl?.type === 'container' && impl.kfp?.pythonBootstrap?.commandPrefix).toBe(3);
  expect(impl?.type === 'container' && impl.args).toContainEqual({ kind: 'executorInput' });
});

test('a v1 component.yaml loads with its inputs and outputs', () => {
  const upper = loadComponent(v1);
  expect(upper.componentName).toBe('upper-case');
  expect(Object.keys(upper.inputs)).toEqual(['text']);
  expect(Object.keys(upper.outputs)).toEqual(['result']);
});

test('KFP YAML that cannot be translated is a DslError naming the YAML path and the KFP feature', () => {
  const withEnv = `${v1}    env: {MODE: fast}\n`;
  expect(() => loadComponent(withEnv)).toThrow(DslError);
  expect(() => loadComponent(withEnv)).toThrow(/implementation\.container\.env: .*\[/);
});
