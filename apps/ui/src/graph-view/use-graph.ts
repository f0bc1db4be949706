/** A page's graph of a pipeline: the model for the current open/closed groups, and the toggle. */
import type { PipelineSpec } from '@kiln/ir';
import { useCallback, useMemo, useState } from 'react';
import type { GraphModel, GraphOptions } from '../graph/model';
import { pipelineGraph } from '../graph/pipeline-graph';

export function usePipelineGraph(
  spec: PipelineSpec | undefined,
  defaults: GraphOptions,
): { graph: GraphModel | undefined; toggle: (nodeId: string) => void } {
  const [toggled, setToggled] = useState<ReadonlySet<string>>(() => new Set());
  const graph = useMemo(
    () => (spec ? pipelineGraph(spec, { ...defaults, toggled }) : undefined),
    [spec, defaults, toggled],
  );
  const toggle = useCallback(
    (nodeId: string) =>
      setToggled((previous) => {
        const next = new Set(previous);
        if (!next.delete(nodeId)) next.add(nodeId);
        return next;
      }),
    [],
  );
  return { graph, toggle };
}
