/**
 * The activities the interpreter workflow calls, by name and signature. The
 * workflow imports this file for types only (`proxyActivities<KilnActivities>`);
 * executors implement `runStep` (`@kiln/local-executor`, `@kiln/k8s-activities`)
 * and share the store-backed rest (`createStoreActivities`, `@kiln/store-activities`).
 * Everything crosses Temporal's payload boundary, so every argument and result
 * is plain JSON.
 *
 * Retry contract, decided in one place (`failures.ts`):
 * - `runStep` throws what `stepFailure` makes of a `FailureClass`: `user` (non-zero
 *   exit, OOMKilled, step deadline) — the workflow retries those itself per the
 *   task's retry policy so every attempt gets its own number; `infrastructure`
 *   — Temporal retries the same attempt under the infrastructure policy;
 *   `configuration` — never retried.
 * - `runStep` must heartbeat at least every 10 s (the workflow sets a 30 s heartbeat
 *   timeout) and honour cancellation delivered through heartbeats: stop the step,
 *   clean up, then throw the `CancelledFailure`.
 * - The step's timeout arrives as `req.settings.timeoutSeconds`; the workflow also
 *   sets it as the activity's start-to-close and schedule-to-close timeout, so an
 *   executor that enforces it a little earlier reports a clean `KilnUserError`
 *   with reason `DeadlineExceeded`.
 * - The store-backed activities (`lookupCache`, `saveCache`, `importArtifact`,
 *   `saveRunRecord`, `resolveRunContext`) throw plain errors for transient
 *   problems (retried) and `ApplicationFailure.nonRetryable` otherwise.
 *
 * @example
 * ```ts
 * // in an executor package
 * import type { StepActivities } from '@kiln/engine-contract';
 * export function createMyExecutorActivities(deps: Deps): StepActivities {
 *   return { runStep: async (req) => ... };
 * }
 * // in a worker: one executor's steps plus the shared store activities
 * const activities: KilnActivities = { ...createStoreActivities({ store }), ...createMyExecutorActivities(deps) };
 * ```
 */
import type { ArtifactType, Component, JsonValue, ParamType, PipelineSpec } from '@kiln/ir';
import type { z } from 'zod';
import type { ArtifactRef, LegacyStepRequest, StepRequest, StepResult } from './contract';
import type { cachedStepSchema } from './schemas/step';
import type { RunStatusDocument } from './status';

/** What an executor implements: running steps. */
export interface StepActivities {
  /**
   * Runs one attempt of one container or python task. Requests from histories
   * recorded before `StepRequest.artifactRoot` arrive as {@link LegacyStepRequest}.
   */
  runStep(req: StepRequest | LegacyStepRequest): Promise<StepResult>;
}

/** What every executor needs next to its steps, backed by the artifact store (`@kiln/store-activities`). */
export interface StoreActivities {
  /** Brings an existing URI in as an artifact (importer components); older histories send a {@link LegacyImportArtifactRequest}. */
  importArtifact(req: ImportArtifactRequest | LegacyImportArtifactRequest): Promise<ArtifactRef>;
  /**
   * Computes the task's cache fingerprint and looks it up. Returns the fingerprint
   * always (the workflow passes it back to `saveCache`) and the cached result on a
   * fresh-enough hit.
   */
  lookupCache(req: CacheLookupRequest): Promise<CacheLookupResult>;
  /** Records a successful step under its fingerprint. */
  saveCache(req: CacheSaveRequest): Promise<void>;
  /** Saves the final run status document in the store (the run record). */
  saveRunRecord(doc: RunStatusDocument): Promise<void>;
  /** Once per run: where this run's outputs go and the pipeline version digest. */
  resolveRunContext(req: RunContextRequest): Promise<RunContext>;
}

/** Every activity the interpreter workflow calls. */
export type KilnActivities = StepActivities & StoreActivities;

/**
 * An importer task. Like a step, it names itself (run, task path, iteration,
 * output) and the run's `artifactRoot`; where a copy goes follows from these
 * (`importTargetUri` of `@kiln/store-layout`, the task's first attempt).
 */
export interface ImportArtifactRequest {
  runId: string;
  pipelineName: string;
  taskId: string;
  /** Loop indices from the outermost loop inward; empty outside loops. */
  iteration: number[];
  /** Base URI of the run's outputs (`RunContext.artifactRoot`). */
  artifactRoot: string;
  /** The importer's output name. */
  output: string;
  /** The URI to import, already resolved from the importer's binding. */
  uri: string;
  artifactType: ArtifactType;
  metadata: Record<string, JsonValue>;
  /** Copy the bytes into the run's outputs even if an import of the same URI exists. */
  reimport: boolean;
}

/** An import request as histories recorded before {@link ImportArtifactRequest} named its output: the workflow chose `targetUri`. */
export interface LegacyImportArtifactRequest {
  runId: string;
  taskId: string;
  uri: string;
  artifactType: ArtifactType;
  metadata: Record<string, JsonValue>;
  reimport: boolean;
  /** Where a copy would go, chosen by the workflow (executors may import in place instead). */
  targetUri: string;
}

/**
 * Everything the fingerprint covers (DESIGN.md section 4): the component's
 * implementation, resolved input parameters, input artifact CONTENT digests,
 * output names and types, and the user's extra cache key.
 */
export interface CacheLookupRequest {
  pipelineName: string;
  taskId: string;
  component: Component;
  inputs: {
    params: Record<string, JsonValue>;
    artifacts: Record<string, ArtifactRef | ArtifactRef[]>;
  };
  outputs: {
    params: Record<string, ParamType>;
    artifacts: Record<string, { type: ArtifactType }>;
  };
  key?: string;
  /** Entries older than this are misses; absent = no limit. */
  maxStalenessSeconds?: number;
}

export interface CacheLookupResult {
  /** `sha256:<hex>` */
  fingerprint: string;
  hit?: CachedStep;
}

export type CachedStep = z.infer<typeof cachedStepSchema>;

export interface CacheSaveRequest {
  fingerprint: string;
  runId: string;
  taskId: string;
  result: StepResult;
}

export interface RunContextRequest {
  runId: string;
  workflowId: string;
  spec: PipelineSpec;
  /** The run's `options.artifactRoot`, if the caller chose one. */
  artifactRoot?: string;
}

export interface RunContext {
  /** Base URI of this run's outputs, e.g. `file:///home/me/.local/share/kiln/artifacts`; no trailing slash. */
  artifactRoot: string;
  /** `sha256:<hex>` of the canonical IR (`specDigest`). */
  pipelineDigest: string;
}

/** Activity names, for workers that register activities by name. */
export const kilnActivityNames = [
  'runStep',
  'importArtifact',
  'lookupCache',
  'saveCache',
  'saveRunRecord',
  'resolveRunContext',
] as const satisfies readonly (keyof KilnActivities)[];
