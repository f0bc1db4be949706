/**
 * Waiting for a run's result without mistaking a failed read for the run's end. `handle.result()` long-polls
 * the run's history; under load the server can answer that poll with an error (DEADLINE_EXCEEDED from a slow
 * store, UNAVAILABLE past the client's own retries), which the client throws as a `ServiceError`. That says
 * nothing about the run, which goes on: taking it as the end stopped `kiln run` following mid-run (its
 * progress cut short, the run still RUNNING, the embedded server stopped under it).
 */
import { ServiceError, type WorkflowHandle } from '@temporalio/client';
import type { RunStatusDocument } from '@kiln/engine-contract';

/** The run's end: its final document, or what its result threw (a WorkflowFailedError when it failed). */
export type RunResult = { doc: RunStatusDocument } | { failure: unknown };

export interface RunResultOptions {
  /** Between two reads after a ServiceError. */
  retryMs?: number;
  /** How long reads may keep failing in a row before the last error is the answer. */
  patienceMs?: number;
  /** Called with what went wrong (the client's message and its gRPC cause) when a streak of failed reads starts. */
  onReadFailed?: (message: string) => void;
}

/**
 * The run's result, read again after each `ServiceError` until `patienceMs` of them in a row.
 *
 * @example
 * ```ts
 * const result = await awaitRunResult(handle, { onReadFailed: (why) => say(`kiln: ${why}; asking again`) });
 * if ('doc' in result) console.log(result.doc.state);
 * ```
 */
export async function awaitRunResult(
  handle: Pick<WorkflowHandle, 'result'>,
  { retryMs = 1000, patienceMs = 120_000, onReadFailed }: RunResultOptions = {},
): Promise<RunResult> {
  let failingSince: number | undefined;
  for (;;) {
    try {
      return { doc: (await handle.result()) as RunStatusDocument };
    } catch (error) {
      if (!(error instanceof ServiceError)) return { failure: error };
      if (failingSince === undefined) {
        failingSince = Date.now();
        onReadFailed?.(error.cause ? `${error.message}: ${error.cause.message}` : error.message);
      } else if (Date.now() - failingSince >= patienceMs) {
        return { failure: error };
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}
