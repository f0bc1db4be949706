import { after, component, exitHandler, param, parallelFor, pipeline, type Task, when } from '../../src';

const step = component({ name: 'step', image: 'alpine:3.20', inputs: { n: param.int() }, outputs: { ok: param.bool() }, command: ({ inputs, outputs }) => ['step', inputs.n, outputs.ok.path] });

/** `.after()` of tasks inside groups the dependent is not in: the dependency is lifted to the group. */
export const afterLifted = pipeline({ name: 'after-lifted' }, () => {
  let inLoop!: Task<ReturnType<typeof step>['outputs']>;
  let inBranch!: Task<ReturnType<typeof step>['outputs']>;
  let inBody!: Task<ReturnType<typeof step>['outputs']>;
  parallelFor([1, 2], (n) => {
    when(n.eq(1), () => {
      inLoop = step({ n });
    });
  });
  const first = step({ n: 0 });
  when(first.outputs.ok.eq(true), () => {
    inBranch = step({ n: 1 });
  });
  exitHandler(() => step({ n: 9 }), () => {
    inBody = step({ n: 2 });
  });
  step({ n: 3 }).after(inLoop, inBranch, inBody);
  const group = when(first.outputs.ok.eq(false), () => {
    step({ n: 4 });
  });
  after(group, inLoop);
});
