/**
 * The launch request schema with any IR component (DAGs too), which needs the whole IR schema.
 * The in-pod launcher checks with `stepLaunchRequestSchema` first and loads this one only for a
 * request that one refuses, so both the requests accepted and the messages of a refusal are this
 * schema's.
 */
import { componentSchema } from '@kiln/ir';
import { launchRequestSchemaOf } from './execution-records';

/** One attempt of one step, fully resolved; what `executions/<executionKey>/pod-request.json` holds. */
export const launchRequestSchema = launchRequestSchemaOf(componentSchema);
