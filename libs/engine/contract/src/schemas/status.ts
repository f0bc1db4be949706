/**
 * The run status document (DESIGN.md section 4) as zod schemas: the one
 * definition behind the TypeScript types (`../status.ts` infers them), the run
 * records read back from the store, the API's run resource and its OpenAPI
 * document, and what the typed client and the web UI parse.
 */
import { artifactTypeSchema, jsonValueSchema } from '@kiln/ir';
import { z } from 'zod';

const jsonRecord = z.record(z.string(), jsonValueSchema);

export const executorKindSchema = z.enum(['local', 'kubernetes']).describe('Which executor runs steps');

export const artifactRefSchema = z
  .object({
    uri: z
      .string()
      .describe('Where the bytes live: `file:///...` or `s3://bucket/key`. A directory artifact is a prefix.'),
    type: artifactTypeSchema,
    digest: z
      .string()
      .optional()
      .describe(
        '`sha256:<hex>` of the content (for a directory: of its sorted listing of relative path + file digest)',
      ),
    metadata: jsonRecord,
  })
  .meta({ id: 'ArtifactRef', description: 'An artifact as the engine passes it between tasks' });

export const runStateSchema = z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
export const taskStateSchema = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'cached', 'cancelled']);

export const podRefSchema = z.object({ namespace: z.string(), name: z.string() });

export const taskOutputsSchema = z
  .object({
    params: jsonRecord,
    artifacts: z.record(z.string(), artifactRefSchema),
  })
  .meta({ id: 'TaskOutputs', description: 'Outputs of a task as the engine passes them downstream' });

/**
 * One attempt of a task, as it happened: the workflow's attempt number (a retry
 * after a user failure is a new attempt), how many times an executor ran it
 * (infrastructure retries and executions lost with a worker are tries of the
 * same attempt), its times and how it ended.
 */
export const attemptRecordSchema = z
  .object({
    attempt: z.number().int().min(1),
    tries: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Executions of this attempt, when the executor reports them (infrastructure retries included)'),
    state: taskStateSchema,
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    failureClass: z
      .enum(['user', 'infrastructure', 'configuration', 'timeout', 'cancelled'])
      .optional()
      .describe('How the attempt failed, in the engine failure vocabulary'),
    reason: z.string().optional().describe('Short and stable: NonZeroExit, OOMKilled, Evicted, DeadlineExceeded, ...'),
    exitCode: z.number().int().optional(),
    error: z.string().optional(),
    pod: podRefSchema.optional(),
    logUri: z.string().optional().describe("The attempt's saved log in the artifact store"),
  })
  .meta({ id: 'AttemptRecord', description: 'One attempt of a task as it happened' });

export const taskStatusSchema = z
  .object({
    id: z
      .string()
      .describe(
        "The task's id in the run: its IR id at the pipeline's root; inside a sub-pipeline, behind the ids of the " +
          'enclosing sub-pipeline tasks (`inner-pipeline/print-op1`). With `iteration` it names one task instance.',
      ),
    name: z.string().describe("The component's name"),
    displayName: z.string(),
    iteration: z
      .array(z.number().int())
      .optional()
      .describe('Loop indices from the outermost loop inward; absent outside loops'),
    state: taskStateSchema,
    attempts: z
      .number()
      .int()
      .describe('Attempts started so far (user-failure retries; infrastructure retries of one attempt do not count)'),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    cached: z.boolean(),
    executor: executorKindSchema,
    pod: podRefSchema.optional(),
    exitCode: z.number().int().optional(),
    error: z.string().optional(),
    reason: z
      .string()
      .optional()
      .describe('Why a task was skipped (condition false, upstream failed, failFast, cancelled run)'),
    attemptHistory: z
      .array(attemptRecordSchema)
      .optional()
      .describe(
        'Every attempt of a step, oldest first (absent for runs recorded before it, and for tasks that ran none)',
      ),
    outputs: taskOutputsSchema,
    batched: z
      .object({
        total: z.number().int(),
        counts: z.partialRecord(taskStateSchema, z.number().int()),
        childWorkflowIds: z.array(z.string()),
      })
      .optional()
      .describe(
        'Only on the summary entry of a loop body task run in child-workflow batches (loops above the batch ' +
          'threshold): how many iterations ended in each state. Failed and cancelled iterations still get their own entries.',
      ),
  })
  .meta({ id: 'TaskStatus', description: 'One task instance of a run' });

export const runStatusDocumentSchema = z
  .object({
    runId: z.string(),
    workflowId: z.string(),
    pipeline: z.object({ name: z.string(), digest: z.string() }),
    params: jsonRecord,
    state: runStateSchema,
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    error: z.string().optional(),
    experiment: z.string().optional(),
    notes: z
      .array(z.string())
      .optional()
      .describe(
        "Where the run does not do what the pipeline asked, and why: e.g. a loop's parallelism capped by the run's limit",
      ),
    tasks: z.array(taskStatusSchema),
    outputs: taskOutputsSchema.optional().describe("The pipeline's outputs, once it succeeded"),
  })
  .meta({
    id: 'RunStatusDocument',
    description: "A run's status: what the `status` query answers, `kiln run --json` prints and the API serves",
  });
