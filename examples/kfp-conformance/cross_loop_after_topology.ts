/**
 * Port of KFP `cross_loop_after_topology.py`: `.after()` across loop boundaries (a task in one
 * loop after a task in another, an inner loop's task after the outer loop's task, a top-level
 * task after a task in a loop, an outer-loop task after a task in its inner loop). Like KFP,
 * Kiln lifts each such dependency to the outermost group that is a sibling of the dependent.
 * Difference: KFP accepts `.after(task_inside_a_loop)` from outside that loop and lifts it; the
 * Kiln DSL refuses a reference to a task inside a loop from outside it ("use collected(...)"),
 * so the port waits for the LOOP instead (`.after(loopA)`), which is what KFP compiles it to.
 */
import { param, parallelFor, pipeline, python } from '@kiln/dsl';
const printOp = python({
  name: 'print-op',
  inputs: { message: param.string() },
  source: `
    def print_op(message):
        print(message)
  `,
});

export const crossLoopAfterTopology = pipeline({ name: 'my-pipeline' }, () => {
  const loopA = parallelFor([1, 2], () => {
    printOp({ message: 'one' });
  });
  parallelFor([1, 2], () => {
    printOp({ message: 'two' }).after(loopA);
  });

  parallelFor([1, 2], () => {
    const three = printOp({ message: 'three' });
    parallelFor([1, 2], () => {
      printOp({ message: 'four' }).after(three);
    });
  });

  const loopE = parallelFor([1, 2], () => {
    printOp({ message: 'five' });
  });
  printOp({ message: 'six' }).after(loopE);

  parallelFor([1, 2], () => {
    const loopG = parallelFor([1, 2], () => {
      printOp({ message: 'seven' });
    });
    printOp({ message: 'eight' }).after(loopG);
  });
});
