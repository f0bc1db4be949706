/** What the routes are built from: real clients, passed in (tests point them at the test servers). */
import type { ArtifactStore } from '@kiln/artifacts';
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Client } from '@temporalio/client';
import type { Role } from '@kiln/api-contract';
import type { PipelineRegistry } from './pipelines/registry';
import type { InputLimits } from '@kiln/ir';

/** What the API accepts (settings `limits.*` and `schedules.*`; docs/api.md lists them). */
export interface ApiLimits {
  /** Largest pipeline upload, bytes. */
  pipelineBytes: number;
  /** Largest run parameters object (serialized JSON), bytes. */
  paramsBytes: number;
  /** Nesting depth, YAML tokens and aliases, checked before a body or upload is parsed. */
  input: InputLimits;
  /** Shortest schedule interval, seconds. */
  minScheduleIntervalSeconds: number;
  /** Most runs one schedule backfill may start. */
  maxBackfillActions: number;
  /** Open run event streams in all (default `defaultEventStreams`, 256). */
  eventStreams?: number;
  /** Open run event streams of one token (default `defaultEventStreamsPerToken`, 32). */
  eventStreamsPerToken?: number;
}

export interface ApiDeps {
  client: Client;
  store: ArtifactStore;
  registry: PipelineRegistry;
  /** Task queue runs and schedules start on (the worker's). */
  taskQueue: string;
  limits: ApiLimits;
  /**
   * The least role that may start a run from inline IR (`spec` on `POST /runs`). Default `admin`,
   * the role that uploads pipelines: inline IR is new code for the worker to run, and an operator
   * runs only what an admin stored.
   */
  inlineSpecRole?: Role;
  /** Temporal Web UI base URL, for links. */
  temporalUiUrl?: string;
  /**
   * The cluster the Kubernetes executor runs pods in, for following a running
   * step's log live (`pods/log` get and `pods` get in `namespace`). Without it,
   * Kubernetes steps are followed through the store like local ones.
   */
  kube?: { kc: KubeConfig; core: CoreV1Api; namespace: string };
}
