/**
 * What an attempt's records hold (the launcher protocol's stored half): the
 * launch request staged for a pod, the executor-output record of a success and
 * the in-pod launcher's account of a failure. The launcher's `LaunchRequest`
 * and `ExecutorOutput` types are inferred from these.
 *
 * Imports only the IR's leaf schemas (`@kiln/ir/light`), so the in-pod launcher
 * can check a request without loading the rest of the IR: `launchRequestSchema`
 * (any component, DAGs too) is built in `launch-request.ts` with the same
 * {@link launchRequestSchemaOf}.
 */
import { artifactTypeSchema, jsonValueSchema, paramTypeSchema, stepComponentSchema } from '@kiln/ir/light';
import { z } from 'zod';

const jsonRecord = z.record(z.string(), jsonValueSchema);

/** An input or output artifact as the launcher sees it. */
export const launchArtifactSchema = z.object({
  uri: z.string(),
  type: artifactTypeSchema,
  digest: z.string().optional().describe('`sha256:<hex>`, as recorded when it was written'),
  metadata: jsonRecord,
});

/** The run, task, loop position and attempt of a step: what the identity placeholders (`runId`, `taskId`...) resolve to. */
export const stepIdentitySchema = z.object({
  runId: z.string(),
  pipelineName: z.string(),
  taskId: z.string(),
  iteration: z.array(z.number().int()).describe('Loop indices, outermost first; empty outside loops'),
  attempt: z.number().int().describe('1-based'),
});

/**
 * One attempt of one step, fully resolved, with its component checked by `componentSchema`:
 * what `executions/<executionKey>/pod-request.json` holds.
 *
 * @example
 * ```ts
 * const stepRequestSchema = launchRequestSchemaOf(stepComponentSchema);
 * ```
 */
export function launchRequestSchemaOf<C extends z.ZodType>(componentSchema: C) {
  return z.object({
    executionKey: z
      .string()
      .describe('Identity of the attempt; its executor-output record and log live under `executions/<executionKey>/`'),
    component: componentSchema,
    inputs: z.object({
      params: jsonRecord,
      artifacts: z.record(z.string(), z.union([launchArtifactSchema, z.array(launchArtifactSchema)])),
    }),
    outputs: z.object({
      params: z.record(z.string(), paramTypeSchema),
      artifacts: z.record(z.string(), z.object({ uri: z.string(), type: artifactTypeSchema })),
    }),
    identity: stepIdentitySchema.optional(),
    env: z.record(z.string(), z.string()).optional().describe('Extra environment variables for the command'),
    timeoutSeconds: z
      .number()
      .optional()
      .describe('Kill the command after this long and fail with reason `DeadlineExceeded`'),
  });
}

/**
 * A launch request whose component is one a step runs (`stepComponentSchema`: container, python,
 * importer): accepts exactly the requests `launchRequestSchema` accepts that hold no DAG component,
 * without loading the IR's DAG and pipeline schemas. A request it refuses may still be one
 * `launchRequestSchema` takes (or refuses with its own messages): check with that one then.
 */
export const stepLaunchRequestSchema = launchRequestSchemaOf(stepComponentSchema);

/** What `executions/<executionKey>/executor-output.json` holds: a successful attempt's outputs. */
export const executorOutputSchema = z.object({
  executionKey: z.string(),
  exitCode: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string(),
  logUri: z.string(),
  outputs: z.object({
    params: jsonRecord,
    artifacts: z.record(z.string(), launchArtifactSchema),
  }),
  metrics: z
    .record(z.string(), jsonRecord)
    .describe('Metadata of each metrics / classificationMetrics output, by name'),
});

/** How the launcher classifies a step that did not succeed. */
export const launchFailureTypeSchema = z.enum(['user', 'infrastructure', 'configuration', 'cancelled']);

/** What `executions/<executionKey>/launcher-failure.json` holds: a failed step, as plain JSON. */
export const launcherFailureSchema = z.object({
  failureType: launchFailureTypeSchema,
  reason: z.string(),
  message: z.string(),
  exitCode: z.number().int().optional(),
  logTail: z.string().optional(),
  logUri: z.string().optional(),
});
