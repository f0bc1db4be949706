/**
 * Port of KFP `cross_loop_after_topology.py`: `.after()` across loop boundaries (a task in one
 * loop after a task in another, an inner loop's task after the outer loop's task, a top-level
 * task after a task in a loop, an outer-loop task after a task in its inner loop). Like KFP,
 * Kiln lifts each such dependency to the outermost group that is a sibling of the dependent
 * (`.after(taskInsideALoop)` from outside the loop waits for the whole loop).
 */
import { param, parallelFor, pipeline, python, type Task } from '@kiln/dsl';
const printOp = python({
  name: 'print-op',
  inputs: { message: param.string() },
  source: `
    def print_op(message):
        print(message)
  `,
});

type PrintTask = Task<ReturnType<typeof printOp>['outputs']>;

export const crossLoopAfterTopology = pipeline({ name: 'my-pipeline' }, () => {
  let one!: PrintTask;
  parallelFor([1, 2], () => {
    one = printOp({ message: 'one' });
  });
  parallelFor([1, 2], () => {
    printOp({ message: 'two' }).after(one);
  });

  parallelFor([1, 2], () => {
    const three = printOp({ message: 'three' });
    parallelFor([1, 2], () => {
      printOp({ message: 'four' }).after(three);
    });
  });

  let five!: PrintTask;
  parallelFor([1, 2], () => {
    five = printOp({ message: 'five' });
  });
  printOp({ message: 'six' }).after(five);

  parallelFor([1, 2], () => {
    let seven!: PrintTask;
    parallelFor([1, 2], () => {
      seven = printOp({ message: 'seven' });
    });
    printOp({ message: 'eight' }).after(seven);
  });
});
