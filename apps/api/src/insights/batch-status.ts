/**
 * The status of a run's loop batches (`kilnLoopBatch` child workflows): a
 * batched loop's parent keeps only counts and its failed iterations, the
 * batches keep every iteration's entry. A closed batch never changes, so its
 * entries are kept in memory once read (bounded, least recently used first out).
 */
import { statusQuery, type TaskStatus } from '@kiln/engine-client';
import type { Client } from '@temporalio/client';

/** Closed batches kept; a batch holds up to `loopBatchSize` (default 100) iterations per task. */
const maxCachedBatches = 500;

export class BatchStatusReader {
  private readonly closed = new Map<string, TaskStatus[]>();

  constructor(private readonly client: Client) {}

  /** The entries of a batch that has closed (its id is in a summary's `childWorkflowIds`). */
  async closedBatch(workflowId: string): Promise<TaskStatus[]> {
    const cached = this.closed.get(workflowId);
    if (cached) {
      // Refresh its place in the LRU order.
      this.closed.delete(workflowId);
      this.closed.set(workflowId, cached);
      return cached;
    }
    const tasks = await this.query(workflowId);
    this.closed.set(workflowId, tasks);
    if (this.closed.size > maxCachedBatches) {
      const oldest = this.closed.keys().next().value;
      if (oldest !== undefined) this.closed.delete(oldest);
    }
    return tasks;
  }

  /**
   * The entries of the batches still running under `workflowId` (its pending
   * children, and theirs), read live, and whether the workflow itself is still
   * open. A batch that finishes is merged into its parent's summary, so these
   * are the iterations a summary does not count yet.
   */
  async liveBatches(workflowId: string): Promise<{ open: boolean; entries: TaskStatus[] }> {
    const description = await this.client.workflow.getHandle(workflowId).describe();
    return {
      open: description.status.name === 'RUNNING',
      entries: await this.pendingBatchEntries(description.raw.pendingChildren ?? [], 0),
    };
  }

  private async runningBatches(workflowId: string, depth: number): Promise<TaskStatus[]> {
    if (depth > 3) return [];
    const description = await this.client.workflow.getHandle(workflowId).describe();
    return this.pendingBatchEntries(description.raw.pendingChildren ?? [], depth);
  }

  private async pendingBatchEntries(
    children: readonly { workflowTypeName?: string | null; workflowId?: string | null }[],
    depth: number,
  ): Promise<TaskStatus[]> {
    const pending = children.filter((child) => child.workflowTypeName === 'kilnLoopBatch' && child.workflowId);
    const lists = await Promise.all(
      pending.map(async (child) => {
        const id = child.workflowId ?? '';
        const [own, nested] = await Promise.all([
          this.query(id).catch(() => []),
          this.runningBatches(id, depth + 1).catch(() => []),
        ]);
        return [...own, ...nested];
      }),
    );
    return lists.flat();
  }

  private async query(workflowId: string): Promise<TaskStatus[]> {
    const doc = await this.client.workflow.getHandle(workflowId).query(statusQuery);
    return doc.tasks;
  }
}
