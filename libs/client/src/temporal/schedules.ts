/**
 * Schedules straight on Temporal: the request checked here as the API checks
 * it, the schedule made and read by `@kiln/engine-client`, the same code the
 * API uses, so a schedule made one way is listed and described the same way by the other.
 */
import { createKilnSchedule, describeKilnSchedule } from '@kiln/engine-client';
import { specDigest } from '@kiln/ir/node';
import type { Client } from '@temporalio/client';
import { checkRunParams } from '../check-params';
import { KilnApiError, unsupported } from '../errors';
import type { DurationInput, Schedule } from '../resources';
import type { ScheduleRequest } from '../transport';

const duration = (d: DurationInput) => (typeof d === 'number' ? `${d}s` : d);

export async function createSchedule(
  client: Client,
  taskQueue: string,
  req: ScheduleRequest,
  createdBy: string,
): Promise<Schedule> {
  if (!('spec' in req.source))
    throw unsupported(
      'a schedule of a stored pipeline',
      'straight on Temporal (pipelines are stored by the API); pass the pipeline or its IR',
    );
  if (!req.cron?.length && !req.interval)
    throw new KilnApiError(
      422,
      'invalid-request',
      'give "cron" (one or more cron expressions) or "interval" ({ every })',
    );
  const { spec } = req.source;
  checkRunParams(spec.pipeline.name, spec.params, req.params);
  const { source: _source, interval, catchupWindow, ...rest } = req;
  await createKilnSchedule(client, taskQueue, {
    ...rest,
    spec,
    pipeline: { name: spec.pipeline.name, digest: specDigest(spec) },
    ...(interval
      ? {
          interval: {
            every: duration(interval.every),
            ...(interval.offset !== undefined ? { offset: duration(interval.offset) } : {}),
          },
        }
      : {}),
    timezone: req.timezone ?? 'UTC',
    overlap: req.overlap ?? 'SKIP',
    catchupWindow: duration(catchupWindow),
    pauseOnFailure: req.pauseOnFailure ?? false,
    paused: req.paused ?? false,
    createdBy,
  });
  return describeKilnSchedule(client, req.id);
}
