/**
 * Listing runs through Temporal visibility: a query on Kiln's search
 * attributes (pipeline, digest, experiment) and the execution status, one page
 * at a time with Temporal's own page token (opaque to clients, base64url).
 * The query and the rows are `@kiln/engine/client`'s, shared with the client.
 */
import { listKilnRuns, type KilnRunSummary, type RunListFilter } from '@kiln/engine-client';
import type { ApiDeps } from '../deps';

export interface RunFilters extends RunListFilter {
  pageSize: number;
  pageToken?: string;
}

export type RunSummary = KilnRunSummary;

/**
 * @example
 * ```ts
 * const page = await listRuns(deps, { pipeline: 'training', status: 'FAILED', pageSize: 20 });
 * const next = page.nextPageToken && await listRuns(deps, { pipeline: 'training', status: 'FAILED', pageSize: 20, pageToken: page.nextPageToken });
 * ```
 */
export async function listRuns(
  deps: ApiDeps,
  filters: RunFilters,
): Promise<{ runs: RunSummary[]; nextPageToken?: string }> {
  const page = await listKilnRuns(deps.client, filters, deps.temporalUiUrl);
  return { runs: page.items, ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
}
