/** What the routes are built from: real clients, passed in (tests point them at the test servers). */
import type { ArtifactStore } from '@kiln/artifacts';
import type { Client } from '@temporalio/client';
import type { PipelineRegistry } from './pipelines/registry';

export interface ApiDeps {
  client: Client;
  store: ArtifactStore;
  registry: PipelineRegistry;
  /** Task queue runs and schedules start on (the worker's). */
  taskQueue: string;
  limits: { pipelineBytes: number; paramsBytes: number };
  /** Temporal Web UI base URL, for links. */
  temporalUiUrl?: string;
}
