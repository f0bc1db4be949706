/**
 * The graph the pages draw, before layout: what the IR says (tasks, groups,
 * edges), independent of React Flow and ELK. Pure data, so the transforms that
 * build it are unit-tested without a browser.
 */

/**
 * - `task`: a component task.
 * - `subPipeline`: a task whose component is a pipeline; a container when open.
 * - `condition`: an if/elif/else group, holding one `branch` per case.
 * - `loop`: a parallelFor; a container of its body when open, one node with counts when closed.
 * - `exitHandler`: holds an `exitBody` and an `exitTasks` part; the exit part runs whatever happens.
 */
export type GraphNodeKind = 'task' | 'subPipeline' | 'condition' | 'branch' | 'loop' | 'exitHandler' | 'exitPart';

export interface GraphNode {
  /** Unique in the graph: the IR id behind the enclosing sub-pipeline tasks (`inner/print`), `#b0`/`#body`/`#exit` for parts. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** The node's name: the IR id, a branch's condition, a part's role. */
  readonly label: string;
  /** A second line: component, display name, loop items. */
  readonly detail?: string;
  /** The enclosing container, if any. */
  readonly parentId?: string;
  /** Tasks and sub-pipelines: the task id in the run status document (`outer/inner` inside sub-pipelines). */
  readonly runTaskId?: string;
  /** Groups: the run task ids of every task inside, at any depth (open or closed). */
  readonly members?: readonly string[];
  /** Loops and sub-pipelines can open and close. */
  readonly open?: boolean;
  /**
   * How many loops enclose this node (0: none). Its run entries carry that many
   * loop indices; a loop's own index is `iteration[loopDepth]` of its body's entries.
   */
  readonly loopDepth: number;
  /** Branches: which condition and which case, to tell taken from not taken. */
  readonly branch?: { readonly condition: string; readonly index: number };
}

/**
 * - `data`: the target reads an output of the source (or of a task inside it).
 * - `after`: an ordering-only dependency (`.after()`).
 * - `exit`: from an exit handler's body to its exit tasks.
 */
export type GraphEdgeKind = 'data' | 'after' | 'exit';

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly kind: GraphEdgeKind;
}

/** Nodes come parents first, so a renderer can add containers before their children. */
export interface GraphModel {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Which groups are open. A node is open when its kind's default says so, unless its id is in `toggled`. */
export interface GraphOptions {
  readonly loopsOpen: boolean;
  readonly subPipelinesOpen: boolean;
  readonly toggled?: ReadonlySet<string>;
}

/** The pipeline page: loops show their body (the template); sub-pipelines start closed. */
export const pipelineGraphDefaults: GraphOptions = { loopsOpen: true, subPipelinesOpen: false };

/** The run page: a loop is one node with counts, never one node per iteration. */
export const runGraphDefaults: GraphOptions = { loopsOpen: false, subPipelinesOpen: false };
