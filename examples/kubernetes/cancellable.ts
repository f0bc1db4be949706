/**
 * A pipeline to cancel: one step that sleeps, guarded by an exit handler that
 * reports the final status it is given. Cancelling the run deletes the
 * sleeping step's pod, then runs `report` in a pod of its own.
 *
 * ```sh
 * TEMPORAL_ADDRESS=... bin/kiln run examples/kubernetes/cancellable.ts --executor kubernetes --param seconds=600
 * # Ctrl-C (or `kiln runs cancel <run>`) cancels: report logs "run ended: CANCELLED"
 * ```
 */
import { exitHandler, param, pipeline } from '@kiln/dsl';
import { nap, report } from './components';

export const kubernetesCancellable = pipeline(
  {
    name: 'kubernetes-cancellable',
    params: { seconds: param.int({ default: 600 }) },
    settings: { executor: 'kubernetes' },
  },
  (p) => {
    exitHandler(
      (status) => report({ status }),
      () => {
        nap({ seconds: p.seconds });
      },
    );
  },
);
