/**
 * Step logs (checklist item 9): every container's log saved to the artifact
 * store before the pod is deleted (KFP loses them with the pod: #10036). While
 * the step runs its log streams through `followContainerLog` (`@kiln/kube`).
 */
import type { CoreV1Api } from '@kubernetes/client-node';
import type { ArtifactStore } from '@kiln/artifacts';
import { containerNames, readContainerLog, tailOf } from '@kiln/kube';
import { stepLogKey } from '@kiln/store-layout';

export interface SavedLogs {
  uri: string;
  /** The end of the main container's log, for failure details. */
  mainTail: string;
  /** The end of the whole log (launcher lines included). */
  tail: string;
}

/**
 * Saves every container's log (launcher or fetch, main, publish, in that order) as one
 * text object at the attempt's log key, and returns its URI and tails. The
 * main container's output is capped at `limitBytes` (its end is what matters
 * in a failure, so the cap keeps the tail).
 *
 * @example
 * ```ts
 * const { uri, mainTail } = await savePodLogs({ core, store, namespace, name, executionKey });
 * ```
 */
export async function savePodLogs(o: {
  core: CoreV1Api;
  store: ArtifactStore;
  namespace: string;
  name: string;
  executionKey: string;
  limitBytes?: number;
}): Promise<SavedLogs> {
  const read = (container: string, tail = false) =>
    readContainerLog(
      o.core,
      { namespace: o.namespace, name: o.name, container },
      tail ? { tailLines: 20_000, limitBytes: o.limitBytes ?? 8 * 1024 * 1024 } : {},
    );
  // Whichever layout the pod has (one `kiln-launcher`, or `kiln-fetch` and `kiln-publish`): a container the pod
  // does not have reads as empty.
  const [launcher, fetch, main, publish] = await Promise.all([
    read(containerNames.launcher),
    read(containerNames.fetch),
    read(containerNames.main, true),
    read(containerNames.publish),
  ]);
  const section = (title: string, text: string) =>
    text ? `===== ${title} =====\n${text.endsWith('\n') ? text : `${text}\n`}` : '';
  const all =
    section(`${containerNames.launcher} (inputs and outputs)`, launcher) +
    section(`${containerNames.fetch} (inputs)`, fetch) +
    section(containerNames.main, main) +
    section(`${containerNames.publish} (outputs)`, publish);
  const stat = await o.store.put(stepLogKey(o.executionKey), all);
  return { uri: stat.uri, mainTail: tailOf(main), tail: tailOf(all) };
}
