/** `resolveRunContext`: where a run's outputs go, and its pipeline version digest. */
import type { ArtifactStore } from '@kiln/artifacts';
import type { RunContext, RunContextRequest } from '@kiln/engine-contract';
import { specDigest } from '@kiln/ir/node';

/** The run's own `artifactRoot` if it chose one, else the store's URL; no trailing slash. */
export async function resolveRunContext(store: ArtifactStore, req: RunContextRequest): Promise<RunContext> {
  return {
    artifactRoot: (req.artifactRoot ?? store.url).replace(/\/+$/, ''),
    pipelineDigest: specDigest(req.spec),
  };
}
