/** Queries the interpreter workflow answers. Workflow-safe: clients and the workflow share these definitions. */
import { defineQuery } from '@temporalio/workflow';
import type { RunStatusDocument } from './status';

/**
 * The run status document (DESIGN.md section 4), live.
 *
 * @example
 * ```ts
 * const doc = await client.workflow.getHandle(workflowId).query(statusQuery);
 * console.log(doc.state, doc.tasks.map((t) => `${t.id}: ${t.state}`));
 * ```
 */
export const statusQuery = defineQuery<RunStatusDocument>('status');
