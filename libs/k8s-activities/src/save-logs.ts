/**
 * Step logs (checklist item 9): every container's log saved to the artifact
 * store before the pod is deleted (KFP loses them with the pod: #10036). While
 * the step runs its log streams through `followContainerLog` (`@kiln/kube`).
 */
import { Writable } from 'node:stream';
import { Log, type CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ArtifactStore } from '@kiln/artifacts';
import { LogCap, defaultLogCapBytes } from '@kiln/launcher';
import { containerNames, readContainerLog, statusOf, tailOf } from '@kiln/kube';
import { stepLogKey } from '@kiln/store-layout';
import { withoutFrames } from './static-launcher';

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
 * main container's output is capped at `logCapBytes` as the local executor caps
 * a command's (`LogCap`: its first and last halves, with a marker of how many
 * bytes were dropped between them); it is streamed through the cap, so the
 * worker never holds more than the cap of it.
 *
 * @example
 * ```ts
 * const { uri, mainTail } = await savePodLogs({ kc, core, store, namespace, name, executionKey });
 * ```
 */
export async function savePodLogs(o: {
  kc: KubeConfig;
  core: CoreV1Api;
  store: ArtifactStore;
  namespace: string;
  name: string;
  executionKey: string;
  /** Default 16 MiB. */
  logCapBytes?: number;
  /** The containers the pod has, when known: the others are not asked for. */
  containers?: string[];
  /** The `kiln-launcher` container's log when the caller reads it anyway (it is not read again). */
  launcherLog?: Promise<string>;
}): Promise<SavedLogs> {
  const read = (container: string, limitBytes = 1024 * 1024) =>
    o.containers && !o.containers.includes(container)
      ? Promise.resolve('')
      : readContainerLog(o.core, { namespace: o.namespace, name: o.name, container }, { limitBytes });
  // Whichever layout the pod has (one `kiln-launcher`, or `kiln-fetch` and `kiln-publish`): a container the pod
  // does not have reads as empty.
  const [launcher, fetch, main, publish] = await Promise.all([
    o.launcherLog ?? read(containerNames.launcher),
    read(containerNames.fetch),
    readMainLog(o, o.logCapBytes ?? defaultLogCapBytes),
    read(containerNames.publish),
  ]);
  const section = (title: string, text: string) =>
    text ? `===== ${title} =====\n${text.endsWith('\n') ? text : `${text}\n`}` : '';
  const all =
    section(`${containerNames.launcher} (inputs and outputs)`, withoutFrames(launcher)) +
    section(`${containerNames.fetch} (inputs)`, fetch) +
    section(containerNames.main, main) +
    section(`${containerNames.publish} (outputs)`, publish);
  const stat = await o.store.put(stepLogKey(o.executionKey), all);
  return { uri: stat.uri, mainTail: tailOf(main), tail: tailOf(all) };
}

/**
 * The main container's log, capped: most logs are far below the cap, and one plain request (on the
 * client's kept connection) reads them whole; only a log longer than the cap is streamed through it.
 */
async function readMainLog(
  o: { kc: KubeConfig; core: CoreV1Api; namespace: string; name: string },
  capBytes: number,
): Promise<string> {
  const head = await readContainerLog(
    o.core,
    { namespace: o.namespace, name: o.name, container: containerNames.main },
    { limitBytes: capBytes + 1 },
  );
  if (Buffer.byteLength(head) <= capBytes) return head;
  return readCappedLog(o, capBytes);
}

/** How long the log stream may stay silent before what arrived is taken as all there is. */
const quietMs = 30_000;

/** The main container's whole log streamed through a {@link LogCap}: its head and tail, and a marker of what was dropped. */
async function readCappedLog(
  o: { kc: KubeConfig; namespace: string; name: string },
  capBytes: number,
): Promise<string> {
  const parts: Buffer[] = [];
  const cap = new LogCap((chunk) => parts.push(Buffer.from(chunk)), capBytes);
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;
  await new Promise<void>((resolvePromise, reject) => {
    // A response body that fails midway never ends the sink: silence for `quietMs` ends the read instead.
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        controller?.abort();
        resolvePromise();
      }, quietMs);
    };
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        quiet();
        cap.write(chunk);
        done();
      },
    });
    sink.on('finish', () => resolvePromise());
    sink.on('error', () => resolvePromise());
    quiet();
    new Log(o.kc).log(o.namespace, o.name, containerNames.main, sink, { follow: false }).then(
      (started) => {
        controller = started;
      },
      (error: unknown) => {
        // 400: the container never started; 404: the pod is gone. Nothing to read either way.
        const status = statusOf(error);
        if (status === 400 || status === 404) resolvePromise();
        else reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }).finally(() => clearTimeout(timer));
  cap.finish();
  return Buffer.concat(parts).toString('utf8');
}
