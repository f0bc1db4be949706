/** python({ file, function }): Python source from a file next to the pipeline, checked like inline source. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { artifact, compile, DslError, importer, param, pipeline, python } from '../src';

const file = pathToFileURL(join(__dirname, 'python', 'evaluate.py'));

test("the file's text becomes the source; an OutputPath output parameter is part of the signature", () => {
  const evaluate = python({
    name: 'evaluate',
    inputs: { model: artifact.model(), minAccuracy: param.float() },
    outputs: { decision: param.string() },
    file,
    function: 'evaluate',
  });
  const spec = compile(
    pipeline({ name: 'p', params: { m: param.float({ default: 0.85 }) } }, (p) => {
      const model = importer({ uri: 'file:///models/m.pkl', artifactType: 'model' });
      evaluate({ model: model.outputs.artifact, minAccuracy: p.m });
    }),
  );
  expect(spec.components['evaluate']?.implementation).toMatchObject({
    type: 'python',
    entrypoint: 'evaluate',
    source: expect.stringContaining('@dsl.component(base_image="python:3.11-slim")'),
  });
});

test('the function in the file is checked against the declared inputs, like inline source', () => {
  expect(() =>
    python({ name: 'evaluate', inputs: { model: artifact.model() }, outputs: {}, file, function: 'evaluate' }),
  ).toThrow(/evaluate\(\) requires 'min_accuracy', 'decision', which is neither an input nor an output artifact/);
  expect(() =>
    python({
      name: 'evaluate',
      inputs: { model: artifact.model(), minAccuracy: param.float(), extra: param.int() },
      outputs: { decision: param.string() },
      file,
      function: 'evaluate',
    }),
  ).toThrow(/evaluate\(\) does not take 'extra'/);
  expect(() => python({ name: 'evaluate', file, function: 'missing' })).toThrow(/no top-level function 'missing'/);
});

test('a relative path, a missing file, or both source and file are refused with what to write instead', () => {
  expect(() => python({ name: 'e', file: './evaluate.py' })).toThrow(
    /file '.\/evaluate.py' is relative; write new URL\('.\/evaluate.py', import.meta.url\)/,
  );
  expect(() => python({ name: 'e', file: '/nonexistent/evaluate.py' })).toThrow(DslError);
  expect(() => python({ name: 'e', file, source: 'def main(): pass' })).toThrow(/give source or file, not both/);
});
