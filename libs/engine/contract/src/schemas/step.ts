/** What a step produced, as zod schemas: executors' results and the step cache's entries are read back with them. */
import { jsonValueSchema } from '@kiln/ir';
import { z } from 'zod';
import { artifactRefSchema, executorKindSchema, podRefSchema } from './status';

export const stepResultSchema = z.object({
  exitCode: z.number().int(),
  outputs: z.object({
    params: z.record(z.string(), jsonValueSchema),
    artifacts: z.record(z.string(), artifactRefSchema),
  }),
  startedAt: z.string(),
  finishedAt: z.string(),
  logUri: z.string().optional().describe("The step's saved logs in the artifact store"),
  tries: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Executions this attempt took, counting ones lost with a worker (when the executor knows)'),
  executor: executorKindSchema,
  pod: podRefSchema.optional(),
});

export const cachedStepSchema = z.object({
  result: stepResultSchema.describe("The step result as saved, outputs pointing at the original run's artifacts"),
  runId: z.string().describe('The run that produced it'),
  createdAt: z.string().describe('ISO-8601 time the entry was written'),
});
