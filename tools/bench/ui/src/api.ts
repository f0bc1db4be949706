/** The few API calls the bench makes itself (the page makes the rest), answers parsed with the API contract's schemas. */
import { runPageSchema, runResourceSchema, startedRunSchema, uploadedVersionSchema } from '@kiln/api-contract';
import type { PipelineSpec } from '@kiln/ir';
import type { z } from 'zod';
import type { KilnDev } from './kiln-dev';

async function call<S extends z.ZodType>(
  dev: KilnDev,
  schema: S,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<z.infer<S>> {
  const response = await fetch(`${dev.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${dev.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${(await response.text()).slice(0, 2000)}`);
  return schema.parse(await response.json());
}

/** Stores the IR as a pipeline version; its name and version label. */
export async function uploadPipeline(dev: KilnDev, spec: PipelineSpec): Promise<{ name: string; version: string }> {
  const uploaded = await call(dev, uploadedVersionSchema, 'POST', '/pipelines', spec);
  return { name: uploaded.name, version: uploaded.version };
}

/**
 * Starts a run of the latest version of a stored pipeline; its run id. `cache: false` makes every step run (a loop
 * of the same no-op step would otherwise run it once and take the rest from the step cache).
 */
export async function startRun(dev: KilnDev, pipeline: string, options: { cache?: boolean } = {}): Promise<string> {
  const body = { pipeline: { name: pipeline }, params: {}, ...options };
  return (await call(dev, startedRunSchema, 'POST', '/runs', body)).runId;
}

/** A run's status document as the API serves it. */
export async function getRun(dev: KilnDev, runId: string): Promise<z.infer<typeof runResourceSchema>> {
  return call(dev, runResourceSchema, 'GET', `/runs/${encodeURIComponent(runId)}`);
}

/** One page of the runs list of a pipeline. */
export async function listRuns(
  dev: KilnDev,
  pipeline: string,
  pageSize: number,
  pageToken?: string,
): Promise<z.infer<typeof runPageSchema>> {
  const query = new URLSearchParams({ pipeline, pageSize: String(pageSize), ...(pageToken ? { pageToken } : {}) });
  return call(dev, runPageSchema, 'GET', `/runs?${query}`);
}

/** Waits until the run is in a final state (polling the API every `everyMs`); the final document. */
export async function waitForRunEnd(
  dev: KilnDev,
  runId: string,
  timeoutMs: number,
  everyMs = 2000,
): Promise<z.infer<typeof runResourceSchema>> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const run = await getRun(dev, runId);
    if (run.finishedAt !== undefined) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${run.state} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((wait) => setTimeout(wait, everyMs));
  }
}
