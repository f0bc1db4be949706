/**
 * When a schedule fires, as Temporal computes it (cron, intervals, time zone,
 * startAt/endAt, all of Temporal's own rules): for refusing a schedule that
 * never fires, and a backfill that would start more runs than allowed.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';

type MatchingTimes = temporal.api.workflowservice.v1.IListScheduleMatchingTimesResponse;

/** Temporal answers at most this many times per `ListScheduleMatchingTimes` call. */
const serverPageLimit = 1000;

/**
 * How many runs schedule `id` would start in [start, end), counting no further
 * than `atMost + 1` (so a one-year backfill of a 1-second interval costs two
 * calls, not thirty million times).
 *
 * @example
 * ```ts
 * const runs = await countScheduleActions(client, 'nightly', new Date('2026-01-01'), new Date('2026-02-01'), 1000);
 * if (runs > 1000) throw new Error('too many');
 * ```
 */
export async function countScheduleActions(
  client: Client,
  id: string,
  start: Date,
  end: Date,
  atMost: number,
): Promise<number> {
  let count = 0;
  let from = start.getTime();
  while (from < end.getTime() && count <= atMost) {
    const call: Promise<MatchingTimes> = client.workflowService.listScheduleMatchingTimes({
      namespace: client.options.namespace,
      scheduleId: id,
      startTime: msToTs(from),
      endTime: msToTs(end.getTime()),
    });
    const response = await call;
    const times = response.startTime ?? [];
    count += times.length;
    const last = times[times.length - 1];
    if (times.length < serverPageLimit || !last) break;
    from = tsToMs(last) + 1;
  }
  return count;
}
