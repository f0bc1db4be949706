/** What a run's records hold: the run record (`record.json`) and the API's origin note (`origin.json`). */
import { runStatusDocumentSchema } from '@kiln/engine-contract/schemas';
import { z } from 'zod';

/** What `runs/<pipeline>/<runId>/record.json` holds: the run status document as the run ended. */
export const runRecordSchema = runStatusDocumentSchema;

/** What `runs/<pipeline>/<runId>/origin.json` holds: what the API knows about a run that the workflow does not. */
export const runOriginSchema = z.object({
  startedBy: z.string().describe('The token name that started the run'),
  pipelineVersion: z.string().optional().describe('The stored version the run was started from, if any'),
  pipelineDigest: z.string().describe('`sha256:<hex>` of the IR the run was started with'),
  retryOf: z.string().optional().describe('The run this one retries'),
});

export type RunOrigin = z.infer<typeof runOriginSchema>;
