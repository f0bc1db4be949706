/** Request pieces shared by several routes. */
import { z } from 'zod';
import { versionPattern } from './pipelines/registry';

/** A pipeline name: a DNS label, as the IR requires. */
export const pipelineName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: 'must be a pipeline name: lowercase letters, digits and dashes, at most 63 characters',
});
export const versionLabel = z
  .string()
  .regex(versionPattern, { error: 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit' });
export const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'must be sha256:<64 hex digits>' });
/** Values that go into Temporal visibility queries: no quotes or operators can get in. */
export const queryValue = z
  .string()
  .regex(/^[A-Za-z0-9._:@/-]{1,200}$/, { error: 'must be 1-200 letters, digits or . _ : @ / -' });
/** Workflow ids of runs (Kiln's run ids). */
export const runId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,255}$/, { error: 'must be a run id (letters, digits, . _ : -)' });
/** A task id, or inside a sub-pipeline its path (`outer/inner`; `/` is sent URL-encoded as `%2F`). */
export const taskId = z
  .string()
  .max(1024)
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, {
    error: 'must be a task id (a DNS label) or a sub-pipeline task path (labels joined by "/", sent as %2F)',
  });
export const scheduleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { error: 'must be 1-100 letters, digits, ".", "_" or "-"' });

/** Which pipeline a run or schedule uses: a stored version, or the newest when only the name is given. */
export const pipelineRef = z.strictObject({
  name: pipelineName,
  version: versionLabel.optional(),
  digest: digest.optional(),
});

/**
 * Any JSON value. Registered under an id so the OpenAPI document gets one
 * component for this recursive schema instead of a dangling reference.
 */
export const jsonValue = z.json().meta({ id: 'JsonValue', description: 'Any JSON value' });

/** JSON parameters: any JSON object (checked against the IR's declarations separately). */
export const paramsObject = z.record(z.string(), jsonValue).default({});

/** The error body, for the OpenAPI document. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
