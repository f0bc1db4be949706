/**
 * Kiln's typed search attributes, registered on the server as Keywords
 * (`tools/testenv` and `kiln run`'s embedded server do it at start).
 *
 * @example
 * ```ts
 * for await (const wf of client.workflow.list({ query: `KilnPipelineName = "training" AND KilnRunStatus = "FAILED"` })) {
 *   console.log(wf.workflowId);
 * }
 * ```
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const KilnPipelineName = defineSearchAttributeKey('KilnPipelineName', SearchAttributeType.KEYWORD);
export const KilnPipelineDigest = defineSearchAttributeKey('KilnPipelineDigest', SearchAttributeType.KEYWORD);
export const KilnExperiment = defineSearchAttributeKey('KilnExperiment', SearchAttributeType.KEYWORD);
export const KilnRunStatus = defineSearchAttributeKey('KilnRunStatus', SearchAttributeType.KEYWORD);

/** Name → type, for `temporal server start-dev --search-attribute` and `operatorService.addSearchAttributes`. */
export const kilnSearchAttributeTypes = {
  KilnPipelineName: 'Keyword',
  KilnPipelineDigest: 'Keyword',
  KilnExperiment: 'Keyword',
  KilnRunStatus: 'Keyword',
} as const;
