/**
 * Port of KFP `pipeline_with_params_containing_format.py`: strings formatted from a parameter and a
 * task output (f-strings), also inside a loop.
 * Difference: KFP turns an f-string over pipeline channels into a template resolved at run time;
 * Kiln bindings have no string template, so the formatting happens in the components: the port
 * passes the parts (`prefix` / `suffix` constants plus the reference) and the Python function
 * joins them. Same tasks, same dependencies, same printed text.
 */
import { param, parallelFor, pipeline, python } from '@kiln/dsl';

const printOp = python({
  name: 'print-op',
  inputs: { text: param.string(), prefix: param.string({ default: '' }), suffix: param.string({ default: '' }) },
  outputs: { Output: param.string() },
  source: `
    def print_op(text, prefix="", suffix=""):
        text = f"{prefix}{text}{suffix}"
        print(text)
        return {"Output": text}
  `,
});

const printOp2 = python({
  name: 'print-op2',
  inputs: {
    text1: param.string(),
    text2: param.string(),
    text2_prefix: param.string({ default: '' }),
    text2_suffix: param.string({ default: '' }),
  },
  outputs: { Output: param.string() },
  source: `
    def print_op2(text1, text2, text2_prefix="", text2_suffix=""):
        text = text1 + f"{text2_prefix}{text2}{text2_suffix}"
        print(text)
        return {"Output": text}
  `,
});

export const pipelineWithParamsContainingFormat = pipeline(
  { name: 'pipeline-with-pipelineparam-containing-format', params: { name: param.string({ default: 'KFP' }) } },
  (p) => {
    const t = printOp({ prefix: 'Hello ', text: p.name });
    printOp({ text: t.outputs.Output, suffix: ', again.' });
    parallelFor(['1', '2'], (item) => {
      printOp2({ text1: item, text2_prefix: ' and ', text2: p.name, text2_suffix: '.' });
    });
  },
);
