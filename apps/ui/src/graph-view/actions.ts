/** What a node's controls can do, handed down to React Flow's node components. */
import { createContext, useContext } from 'react';

export interface GraphActions {
  /** Open or close a loop or sub-pipeline. */
  readonly toggle: (nodeId: string) => void;
  /** Which node the side panel shows. */
  readonly selectedId?: string;
}

export const GraphActionsContext = createContext<GraphActions>({ toggle: () => undefined });

export const useGraphActions = () => useContext(GraphActionsContext);
