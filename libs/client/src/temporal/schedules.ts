/**
 * Schedules straight on Temporal: the request checked by the API's own request
 * schema (the same defaults and refusals as the API), the schedule made and
 * read by `@kiln/engine-client`, the same code the API uses, so a schedule
 * made one way is listed and described the same way by the other.
 */
import { createScheduleBodySchema, type Schedule } from '@kiln/api-contract';
import { createKilnSchedule, describeKilnSchedule } from '@kiln/engine-client';
import { specDigest } from '@kiln/ir/node';
import type { Client } from '@temporalio/client';
import { checkRequest } from '../check-request';
import { checkRunParams } from '../check-params';
import { unsupported } from '../errors';
import type { ScheduleRequest } from '../transport';
import { isoTime } from '../iso-time';

export async function createSchedule(
  client: Client,
  taskQueue: string,
  req: ScheduleRequest,
  createdBy: string,
): Promise<Schedule> {
  const { source, startAt, endAt, ...settings } = req;
  if (!('spec' in source))
    throw unsupported(
      'a schedule of a stored pipeline',
      'straight on Temporal (pipelines are stored by the API); pass the pipeline or its IR',
    );
  const { spec } = source;
  const name = spec.pipeline.name;
  const { pipeline: _ref, ...body } = checkRequest(createScheduleBodySchema, {
    ...settings,
    pipeline: { name },
    ...(startAt ? { startAt: isoTime(startAt) } : {}),
    ...(endAt ? { endAt: isoTime(endAt) } : {}),
  });
  checkRunParams(name, spec.params, body.params);
  await createKilnSchedule(client, taskQueue, {
    ...body,
    spec,
    pipeline: { name, digest: specDigest(spec) },
    createdBy,
  });
  return describeKilnSchedule(client, req.id);
}
