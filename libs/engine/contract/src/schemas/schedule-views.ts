/**
 * Kiln schedules as a Temporal client reads them back: Temporal's description
 * of the Schedule with what the `kiln` memo recorded. `@kiln/engine-client`
 * answers these (its types are inferred from here), so a schedule made through
 * the API or straight on Temporal reads the same either way.
 */
import { jsonValueSchema } from '@kiln/ir';
import { z } from 'zod';

export const scheduleOverlapSchema = z
  .enum(['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'])
  .describe('What to do when a scheduled run is due while the previous one still runs');

/**
 * The refusal of a schedule with neither cron expressions nor an interval:
 * the API's request schema, both client transports and the schedule helpers say the same.
 */
export const noScheduleTimesMessage = 'give "cron" (one or more cron expressions) or "interval" ({ every })';

export const scheduledPipelineSchema = z
  .object({ name: z.string(), version: z.string().optional(), digest: z.string() })
  .describe('The pipeline the schedule runs: resolved when it was created');

export const scheduleIntervalSchema = z.object({ every: z.string(), offset: z.string().optional() });

export const scheduleSchema = z
  .object({
    id: z.string(),
    pipeline: scheduledPipelineSchema.optional(),
    params: z.record(z.string(), jsonValueSchema).optional(),
    experiment: z.string().optional(),
    cron: z.array(z.string()).optional(),
    interval: scheduleIntervalSchema.optional(),
    timezone: z.string(),
    overlap: scheduleOverlapSchema,
    catchupWindowSeconds: z.number().int(),
    pauseOnFailure: z.boolean(),
    paused: z.boolean(),
    note: z.string().optional(),
    createdBy: z.string().optional(),
    recentRuns: z
      .array(z.object({ runId: z.string(), scheduledAt: z.string(), takenAt: z.string() }))
      .describe('Runs it started lately, oldest first'),
    runningRuns: z.array(z.string()),
    nextRunTimes: z.array(z.string()),
    actionsTaken: z.number().int(),
    actionsMissedCatchupWindow: z.number().int(),
    actionsSkippedOverlap: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Schedule', description: 'A schedule as Temporal describes it, with what Kiln recorded' });

export const scheduleSummarySchema = z
  .object({
    id: z.string(),
    pipeline: scheduledPipelineSchema.optional(),
    paused: z.boolean(),
    note: z.string().optional(),
    nextRunTimes: z.array(z.string()),
  })
  .meta({ id: 'ScheduleSummary', description: 'One row of a schedule listing' });
