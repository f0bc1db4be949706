/**
 * The run status document (DESIGN.md section 4): what the `status` query answers,
 * what `kiln run --json` prints, what the API serves and what `saveRunRecord` stores.
 * The types are inferred from the schemas in `./schemas/status.ts`, the one
 * definition; this file imports them as types only, so workflow code that uses
 * these types carries no zod.
 */
import type { z } from 'zod';
import type {
  attemptRecordSchema,
  runStateSchema,
  runStatusDocumentSchema,
  taskOutputsSchema,
  taskStateSchema,
  taskStatusSchema,
} from './schemas/status';

export type RunState = z.infer<typeof runStateSchema>;
export type TaskState = z.infer<typeof taskStateSchema>;
/** Outputs of a task as the engine passes them downstream. */
export type TaskOutputs = z.infer<typeof taskOutputsSchema>;
/** One attempt of a task as it happened. */
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;
/** One task instance of a run; see the schema for every field's meaning. */
export type TaskStatus = z.infer<typeof taskStatusSchema>;
export type RunStatusDocument = z.infer<typeof runStatusDocumentSchema>;
