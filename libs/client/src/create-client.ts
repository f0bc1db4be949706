/** `createKilnClient`: one interface over the Kiln HTTP API or straight on Temporal. */
import { buildClient } from './build-client';
import type { KilnClient } from './client';
import { createApiTransport } from './http/api-transport';
import type { ApiConnection } from './http/request';
import { createTemporalTransport, type TemporalConnectionOptions } from './temporal/temporal-transport';

export type KilnClientOptions = { api: ApiConnection } | { temporal: TemporalConnectionOptions };

/**
 * Makes a client. Over the API (`{ api: { url, token } }`) everything works
 * and the server checks roles; straight on Temporal (`{ temporal: { address |
 * connection | client, namespace, taskQueue } }`) runs and schedules work,
 * while stored pipelines and step logs (kept in the API's artifact store)
 * throw `KilnApiError` with code `unsupported`.
 *
 * @example
 * ```ts
 * import { createKilnClient } from '@kiln/client';
 * import { training } from './training';
 *
 * const kiln = createKilnClient({ api: { url: process.env.KILN_API_URL!, token: process.env.KILN_API_TOKEN! } });
 * const run = await kiln.runs.start(training, { minAccuracy: 0.9 });   // typed against training's params
 * for await (const { changes } of run.watch()) for (const c of changes) console.log(c.id, c.to);
 * const doc = await run.result();                                       // throws KilnRunFailedError on failure
 *
 * const direct = createKilnClient({ temporal: { address: '127.0.0.1:7233', taskQueue: 'kiln' } });
 * await direct.runs.start(training, { minAccuracy: 0.8 });
 * await direct.close();
 * ```
 */
export function createKilnClient(options: KilnClientOptions): KilnClient {
  if ('api' in options) return buildClient(createApiTransport(options.api));
  return buildClient(createTemporalTransport(options.temporal));
}
