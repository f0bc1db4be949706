/**
 * `/pipelines`: pipeline IR and its versions, kept by the API (upload, list,
 * read by version or digest, delete).
 */
import { pipelineSpecSchema } from '@kiln/ir';
import { pipelineVersionSchema as storedPipelineVersionSchema } from '@kiln/store-layout';
import { z } from 'zod';
import { digest, pipelineName, versionLabel } from './fields';
import './ir-components';
import { defineRoute } from './route';

/** The media types a pipeline upload may have: the IR as JSON or YAML. */
export const irMediaTypes = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];

/** A stored pipeline version, served as the store keeps it (`@kiln/store-layout`'s record schema). */
export const pipelineVersionSchema = storedPipelineVersionSchema.meta({
  id: 'PipelineVersion',
  description: 'A stored pipeline version; versions are immutable',
});

export const pipelineSummarySchema = z
  .object({ name: z.string(), versions: z.number().int(), latest: pipelineVersionSchema })
  .meta({ id: 'PipelineSummary', description: 'A pipeline with its latest version' });

export const pipelineListSchema = z.object({ pipelines: z.array(pipelineSummarySchema) });

export const pipelineDetailSchema = z.object({
  name: z.string(),
  latest: pipelineVersionSchema,
  versions: z.array(pipelineVersionSchema).describe('Oldest first'),
});

export const uploadedVersionSchema = pipelineVersionSchema.extend({
  created: z.boolean().describe('false when the same IR already had this label (or, unlabelled, any label)'),
});

export const pipelineVersionWithSpecSchema = pipelineVersionSchema.extend({ spec: pipelineSpecSchema });

export const pipelineByDigestSchema = z.object({ name: z.string(), digest: z.string(), spec: pipelineSpecSchema });

export const uploadPipelineQuerySchema = z.strictObject({
  version: versionLabel
    .optional()
    .describe('Version label; default: the next number, or the existing version of the same IR'),
  description: z.string().max(1000).optional(),
});

/**
 * The refusal of a pipeline reference whose version and digest disagree (the
 * API resolving a run's pipeline and the client reading one say the same).
 */
export const versionDigestMismatch = (name: string, version: string, actual: string, expected: string) =>
  `pipeline ${name} version ${version} has digest ${actual}, not ${expected}`;

const nameParams = z.strictObject({ name: pipelineName });
const versionParams = z.strictObject({ name: pipelineName, version: versionLabel });
const deleted = z.undefined().describe('Deleted');

export const pipelineRoutes = {
  uploadPipeline: defineRoute({
    method: 'POST',
    path: '/pipelines',
    access: 'admin',
    tag: 'pipelines',
    summary: 'Upload a pipeline version (IR as JSON or YAML, or KFP v2 pipeline YAML)',
    description:
      'Validates the IR and stores it under its sha256 digest. Kubeflow Pipelines v2 YAML (as kfp.compiler writes it, with or without the Kubernetes platform document) is recognised and translated to IR first; what cannot be translated is a 422 naming each YAML path and KFP feature. Re-uploading the same IR is a no-op (200); a version label that already names other IR is a 409.',
    query: uploadPipelineQuerySchema,
    body: z
      .string()
      .describe(
        'The pipeline IR, JSON or YAML, or KFP v2 pipeline YAML (Content-Type application/json or application/yaml)',
      ),
    consumes: irMediaTypes,
    responses: { 200: uploadedVersionSchema, 201: uploadedVersionSchema },
    errors: [409],
  }),
  listPipelines: defineRoute({
    method: 'GET',
    path: '/pipelines',
    access: 'viewer',
    tag: 'pipelines',
    summary: 'List pipelines with their latest version',
    responses: { 200: pipelineListSchema },
  }),
  getPipeline: defineRoute({
    method: 'GET',
    path: '/pipelines/:name',
    access: 'viewer',
    tag: 'pipelines',
    summary: 'A pipeline and its versions',
    params: nameParams,
    responses: { 200: pipelineDetailSchema },
    errors: [404],
  }),
  getPipelineVersion: defineRoute({
    method: 'GET',
    path: '/pipelines/:name/versions/:version',
    access: 'viewer',
    tag: 'pipelines',
    summary: 'One version, with its IR',
    params: versionParams,
    responses: { 200: pipelineVersionWithSpecSchema },
    errors: [404],
  }),
  getPipelineByDigest: defineRoute({
    method: 'GET',
    path: '/pipelines/:name/digests/:digest',
    access: 'viewer',
    tag: 'pipelines',
    summary: 'IR by digest',
    params: z.strictObject({ name: pipelineName, digest }),
    responses: { 200: pipelineByDigestSchema },
    errors: [404],
  }),
  deletePipeline: defineRoute({
    method: 'DELETE',
    path: '/pipelines/:name',
    access: 'admin',
    tag: 'pipelines',
    summary: 'Delete a pipeline and all its versions (runs and their records stay)',
    params: nameParams,
    responses: { 204: deleted },
    errors: [404],
  }),
  deletePipelineVersion: defineRoute({
    method: 'DELETE',
    path: '/pipelines/:name/versions/:version',
    access: 'admin',
    tag: 'pipelines',
    summary: 'Delete one version',
    params: versionParams,
    responses: { 204: deleted },
    errors: [404],
  }),
};
