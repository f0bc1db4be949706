/**
 * Request pieces several routes share: names and ids as they may appear in
 * paths and queries, page tokens, run parameters, pipeline references. Every
 * refusal names what was expected, so a 422 says how to fix the request.
 */
import { executorKindSchema } from '@kiln/engine-contract/schemas';
import { jsonValueSchema } from '@kiln/ir';
import { z } from 'zod';
import './ir-components';

const dnsLabel = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';

/** A pipeline name: a DNS label, as the IR requires. */
export const pipelineName = z.string().regex(new RegExp(`^${dnsLabel}$`), {
  error: 'must be a pipeline name: lowercase letters, digits and dashes, at most 63 characters',
});

/** Version labels: short, URL- and key-safe. */
export const versionLabelPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export const versionLabel = z.string().regex(versionLabelPattern, {
  error: 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

/** `sha256:<hex>` of the canonical IR: a pipeline version's identity. */
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
  .regex(new RegExp(`^${dnsLabel}(/${dnsLabel})*$`), {
    error: 'must be a task id (a DNS label) or a sub-pipeline task path (labels joined by "/", sent as %2F)',
  });

export const scheduleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { error: 'must be 1-100 letters, digits, ".", "_" or "-"' });

/** An output's name in the IR. */
export const outputName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an output name' });

/** The `nextPageToken` of a previous page (opaque: base64url, a dot, a check). */
export const pageToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,4096}(\.[A-Za-z0-9_-]{1,64})?$/, { error: 'must be the nextPageToken of a previous page' });

/** Items per page, 1-1000, sent in the query string. */
export const pageSize = (byDefault: number) => z.coerce.number<number>().int().min(1).max(1000).default(byDefault);

/** Loop indices in a query string, outermost first: `0,2` → [0, 2]. */
export const iteration = z
  .string()
  .regex(/^\d{1,6}(,\d{1,6}){0,7}$/, { error: 'must be loop indices separated by commas, e.g. 0,2' })
  .transform((v) => v.split(',').map(Number));

/** JSON run parameters: any JSON object, checked against the IR's declarations separately. */
export const paramsObject = z.record(z.string(), jsonValueSchema).default({});

/** Which pipeline a run or schedule uses: a stored version, or the newest when only the name is given. */
export const pipelineRef = z.strictObject({
  name: pipelineName,
  version: versionLabel.optional(),
  digest: digest.optional(),
});

export const executor = executorKindSchema;

export const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2025-01-01T00:00:00Z' });
