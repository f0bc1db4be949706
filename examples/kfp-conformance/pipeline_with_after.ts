/**
 * Port of KFP `pipeline_with_after.py`: `.after()` without data edges, including a task after two.
 * The 'Print Text' component (KFP: inline YAML, alpine `sh -c 'echo "$0"'`) is a container here.
 */
import { component, param, pipeline } from '@kiln/dsl';

const printText = component({
  name: 'print-text',
  image: 'alpine:3.20',
  inputs: { text: param.string() },
  command: ({ inputs }) => ['sh', '-c', 'echo "$0"', inputs.text],
});

export const pipelineWithAfter = pipeline({ name: 'pipeline-with-after' }, () => {
  const t1 = printText({ text: '1st task' });
  const t2 = printText({ text: '2nd task' }).after(t1);
  printText({ text: '3rd task' }).after(t1, t2);
});
