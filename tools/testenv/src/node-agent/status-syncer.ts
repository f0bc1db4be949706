// Pushes a pod's status to the API server without piling up requests: changes
// while a push is in flight are coalesced into one more push of the latest
// state; failures are retried after a pause. Order is therefore preserved.
import type { Logger } from 'pino';
import { errorMessage, isNotFound, sleep } from './kube.js';

export class StatusSyncer {
  private dirty = false;
  private running: Promise<void> | undefined;
  private gone = false;

  constructor(
    private readonly push: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** The pod no longer exists: pushing more would only produce 404s. */
  get podGone(): boolean {
    return this.gone;
  }

  request(): void {
    this.dirty = true;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  /** Resolves once everything requested so far has been pushed (or the pod is gone). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.dirty && !this.gone) {
      this.dirty = false;
      try {
        await this.push();
        failures = 0;
      } catch (err) {
        if (isNotFound(err)) {
          this.gone = true;
          return;
        }
        failures++;
        this.log.warn({ err: errorMessage(err), failures }, 'pod status update failed; retrying');
        this.dirty = true;
        await sleep(Math.min(250 * 2 ** failures, 5000));
      }
    }
  }
}
