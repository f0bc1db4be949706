/**
 * The API's settings. Temporal and store settings use the same variables as
 * the worker, so one environment configures both.
 */
import { z } from 'zod';
import { roleSchema } from '@kiln/api-contract';
import { apiTokensSchema } from '../auth/tokens';
import { defaultEventStreams, defaultEventStreamsPerToken } from '../insights/stream-slots';
import {
  boolean,
  inputLimitSources,
  inputLimitsSchema,
  integer,
  logLevel,
  storeUrl,
  temporalSchema,
  temporalSources,
  text,
} from '@kiln/config';
import type { SettingSource } from '@kiln/config';

const MiB = 1024 * 1024;

export const apiConfigSchema = z
  .strictObject({
    temporal: temporalSchema.default(() => temporalSchema.parse({})),
    store: z.strictObject({ url: storeUrl.optional() }).default({}),
    server: z
      .strictObject({ host: text.default('127.0.0.1'), port: integer(0, 65535).default(8080) })
      .default({ host: '127.0.0.1', port: 8080 }),
    auth: z
      .strictObject({
        tokens: apiTokensSchema.optional(),
        /** No authentication at all: for `kiln dev` on a laptop only. */
        disabled: boolean.default(false),
        /** The least role that may start a run from inline IR (`spec` on `POST /runs`); default admin, who uploads pipelines. */
        inlineSpecRole: roleSchema.default('admin'),
      })
      .default({ disabled: false, inlineSpecRole: 'admin' }),
    limits: z
      .strictObject({
        /** Largest pipeline IR upload (JSON or YAML), bytes. */
        pipelineBytes: integer(1024, 100 * MiB).default(5 * MiB),
        /** Largest run parameters object (serialized JSON), bytes. */
        paramsBytes: integer(64, 10 * MiB).default(256 * 1024),
        /** Nesting depth, YAML tokens and aliases, checked before a body or upload is parsed. */
        input: inputLimitsSchema,
        /** Open run event streams (`GET /runs/:runId/events`) in all, and of one token. */
        eventStreams: integer(1, 100_000).default(defaultEventStreams),
        eventStreamsPerToken: integer(1, 100_000).default(defaultEventStreamsPerToken),
      })
      .prefault({}),
    schedules: z
      .strictObject({
        /** Shortest `interval.every` a schedule may have, seconds. */
        minIntervalSeconds: integer(1, 86_400).default(60),
        /** Most runs one backfill may start. */
        maxBackfillActions: integer(1, 1_000_000).default(1000),
      })
      .prefault({}),
    /**
     * The Kubernetes executor's cluster, for following running steps' logs live.
     * Set `namespace` to turn it on; `kubeconfig` unset = `$KUBECONFIG`, then `~/.kube/config`, then in-cluster (client-node's `loadFromDefault`).
     */
    kubernetes: z.strictObject({ namespace: text.optional(), kubeconfig: text.optional() }).default({}),
    /** Base URL of the Temporal Web UI, for links in run resources. */
    temporalUiUrl: z.url({ error: 'expected a URL like http://localhost:8233' }).optional(),
    log: z.strictObject({ level: logLevel.default('info') }).default({ level: 'info' }),
    /** The web UI's built files (apps/ui/dist), served under /ui/ with its Content-Security-Policy. */
    ui: z.strictObject({ dir: text.optional() }).default({}),
  })
  .refine((c) => c.auth.disabled || (c.auth.tokens?.length ?? 0) > 0, {
    error: 'required: at least one name:role:sha256 token (or KILN_API_AUTH_DISABLED=true for local development)',
    path: ['auth', 'tokens'],
  });

/** The validated settings, with the store URL defaulted from the same environment (`defaultStoreUrl`). */
export type ApiConfig = Omit<z.output<typeof apiConfigSchema>, 'store'> & { store: { url: string } };

export const apiSettingSources: readonly SettingSource[] = [
  ...temporalSources,
  { path: 'store.url', env: 'KILN_ARTIFACTS' },
  { path: 'server.host', env: 'KILN_API_HOST' },
  { path: 'server.port', env: 'KILN_API_PORT' },
  { path: 'auth.tokens', env: 'KILN_API_TOKENS' },
  { path: 'auth.disabled', env: 'KILN_API_AUTH_DISABLED' },
  { path: 'auth.inlineSpecRole', env: 'KILN_API_INLINE_SPEC_ROLE' },
  { path: 'limits.pipelineBytes', env: 'KILN_API_MAX_PIPELINE_BYTES' },
  { path: 'limits.paramsBytes', env: 'KILN_API_MAX_PARAMS_BYTES' },
  ...inputLimitSources('limits.input'),
  { path: 'limits.eventStreams', env: 'KILN_API_MAX_EVENT_STREAMS' },
  { path: 'limits.eventStreamsPerToken', env: 'KILN_API_MAX_EVENT_STREAMS_PER_TOKEN' },
  { path: 'schedules.minIntervalSeconds', env: 'KILN_API_SCHEDULE_MIN_INTERVAL_SECONDS' },
  { path: 'schedules.maxBackfillActions', env: 'KILN_API_MAX_BACKFILL_ACTIONS' },
  { path: 'temporalUiUrl', env: 'KILN_TEMPORAL_UI_URL' },
  { path: 'ui.dir', env: 'KILN_UI_DIR' },
  { path: 'kubernetes.namespace', env: 'KILN_K8S_NAMESPACE' },
  { path: 'kubernetes.kubeconfig', env: 'KILN_KUBECONFIG' },
  { path: 'log.level', env: 'KILN_LOG_LEVEL' },
  { path: 'store.accessKey', env: 'KILN_S3_ACCESS_KEY', secret: true, envOnly: true },
  { path: 'store.secretKey', env: 'KILN_S3_SECRET_KEY', secret: true, envOnly: true },
];
