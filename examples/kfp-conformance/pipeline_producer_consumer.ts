/**
 * Port of KFP `parallelfor_fan_in/pipeline_producer_consumer.py`: a sub-pipeline task inside two
 * nested loops is collected from outside the outer loop (a list of lists, outer item order then
 * inner); a second sub-pipeline consumes that list and itself returns a collected list.
 * Differences: KFP's inner loop variable shadows the outer one (`x` twice); Kiln's body simply
 * ignores the outer item. `add` sums the nested lists row by row.
 */
import { collected, param, parallelFor, pipeline, python, type Task } from '@kiln/dsl';
import { double } from './components';

const addNested = python({
  name: 'add',
  inputs: { nums: param.list() },
  outputs: { Output: param.int() },
  source: `
    def add(nums):
        return {"Output": sum(sum(row) for row in nums)}
  `,
});

const echoAndReturn = python({
  name: 'echo-and-return',
  inputs: { string: param.string() },
  outputs: { Output: param.string() },
  source: `
    def echo_and_return(string):
        print(string)
        return {"Output": string}
  `,
});

const joinAndPrint = python({
  name: 'join-and-print',
  inputs: { strings: param.list() },
  source: `
    def join_and_print(strings):
        print("".join(strings))
  `,
});

const doublePipeline = pipeline({ name: 'double-pipeline', params: { num: param.int() } }, (p) => ({
  Output: double({ num: p.num }).outputs.Output,
}));

const addPipeline = pipeline({ name: 'add-pipeline', params: { nums: param.list() } }, (p) => {
  let e!: Task<ReturnType<typeof echoAndReturn>['outputs']>;
  parallelFor(['m', 'a', 't', 'h'], (char) => {
    e = echoAndReturn({ string: char });
  });
  return { out1: addNested({ nums: p.nums }).outputs.Output, out2: collected(e.outputs.Output) };
});

export const pipelineProducerConsumer = pipeline({ name: 'math-pipeline' }, () => {
  let t1!: ReturnType<typeof doublePipeline>;
  parallelFor([1, 2, 3], () => {
    parallelFor([1, 2, 3], (x) => {
      t1 = doublePipeline({ num: x });
    });
  });
  const t2 = addPipeline({ nums: collected(t1.outputs.Output) });
  joinAndPrint({ strings: t2.outputs.out2 });
  return { Output: t2.outputs.out1 };
});
