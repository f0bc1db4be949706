/**
 * What a Temporal client reads about runs besides the status document: the run
 * with Temporal's own view of it, a row of a run listing, and one output
 * artifact. `@kiln/engine-client` answers these (its types are inferred from
 * here), the HTTP API serves them and `@kiln/api-contract` builds its run
 * resources from them, so every reader gets one shape.
 */
import { z } from 'zod';
import { artifactRefSchema, runStateSchema, runStatusDocumentSchema } from './status';

export const temporalExecutionSchema = z
  .object({
    status: z.string().describe("Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ..."),
    runId: z.string().describe("Temporal's run id of the workflow execution"),
    historyLength: z.number().int(),
    ui: z.string().optional().describe('Link to the run in the Temporal Web UI, when its address is known'),
  })
  .describe("Temporal's view of the run");

export const runViewSchema = runStatusDocumentSchema.extend({ temporal: temporalExecutionSchema });

export const runSummarySchema = z
  .object({
    runId: z.string(),
    pipeline: z.object({ name: z.string(), digest: z.string().optional() }),
    experiment: z.string().optional(),
    state: runStateSchema,
    temporalStatus: z.string().describe("Temporal's execution status"),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    ui: z.string().optional().describe('Link to the run in the Temporal Web UI, when its address is known'),
  })
  .meta({ id: 'RunSummary', description: 'One row of a run listing' });

export const runArtifactSchema = artifactRefSchema.extend({
  taskId: z.string(),
  iteration: z.array(z.number().int()).optional().describe('Loop indices, outermost first; absent outside loops'),
  output: z.string().describe("The output's name"),
});
