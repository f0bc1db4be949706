/**
 * The pipeline's graph from its IR: component tasks, condition groups with one
 * box per branch, loops, exit handlers (body and exit part), sub-pipelines
 * (open or closed), and the edges between siblings, data and `.after()` told
 * apart. Closed groups are one node each, whatever they hold: a run's graph
 * never grows with a loop's item count.
 */
import {
  componentScope,
  rootScope,
  type ConditionNode,
  type Dag,
  type DagScope,
  type ExitHandlerNode,
  type LoopNode,
  type Node,
  type PipelineSpec,
  type TaskNode,
} from '@kiln/ir';
import { dataDependencies, type DataDependencies } from './dependencies';
import { describeExpr, describeLoopItems } from './describe';
import type { GraphEdge, GraphModel, GraphNode, GraphOptions } from './model';

/** Sub-pipelines nest at most this deep (the validator refuses cycles; this is a guard, not a rule). */
const maxSubPipelineDepth = 32;

/** Where a DAG's nodes go: their container, the run-id prefix of their scope, the scope's data edges. */
interface Place {
  readonly parentId?: string;
  /** `outer/` inside sub-pipeline `outer`, '' at the root. */
  readonly prefix: string;
  readonly deps: DataDependencies;
  readonly loopDepth: number;
  readonly depth: number;
}

class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];

  constructor(
    private readonly spec: PipelineSpec,
    private readonly options: GraphOptions,
  ) {}

  private isOpen(id: string, byDefault: boolean): boolean {
    return this.options.toggled?.has(id) ? !byDefault : byDefault;
  }

  /** Adds a DAG's nodes and the edges between them; returns the run task ids inside it. */
  dag(dag: Dag, place: Place): string[] {
    const members: string[] = [];
    for (const [id, node] of Object.entries(dag.tasks)) members.push(...this.node(id, node, place));
    this.siblingEdges(dag, place);
    return members;
  }

  private node(id: string, node: Node, place: Place): string[] {
    switch (node.type) {
      case 'task':
        return this.task(id, node, place);
      case 'condition':
        return this.condition(id, node, place);
      case 'loop':
        return this.loop(id, node, place);
      case 'exitHandler':
        return this.exitHandler(id, node, place);
    }
  }

  private base(id: string, place: Place): Pick<GraphNode, 'id' | 'loopDepth'> & { parentId?: string } {
    return {
      id: `${place.prefix}${id}`,
      loopDepth: place.loopDepth,
      ...(place.parentId ? { parentId: place.parentId } : {}),
    };
  }

  private task(id: string, node: TaskNode, place: Place): string[] {
    const component = this.spec.components[node.component];
    const names = [node.component !== id ? node.component : undefined, node.settings.displayName].filter(Boolean);
    const named = names.length ? names.join(' · ') : undefined;
    const runTaskId = `${place.prefix}${id}`;
    const scope = component?.implementation.type === 'dag' ? componentScope(this.spec, node.component) : undefined;
    if (scope && place.depth < maxSubPipelineDepth) return this.subPipeline(id, place, scope, named);
    // With nothing else to say, what kind of step it is (container, python, importer).
    const detail = named ?? component?.implementation.type;
    this.nodes.push({ ...this.base(id, place), kind: 'task', label: id, runTaskId, ...(detail ? { detail } : {}) });
    return [runTaskId];
  }

  private subPipeline(id: string, place: Place, scope: DagScope, detail: string | undefined): string[] {
    const self = this.base(id, place);
    const open = this.isOpen(self.id, this.options.subPipelinesOpen);
    const index = this.nodes.length;
    const graphNode: GraphNode = { ...self, kind: 'subPipeline', label: id, runTaskId: self.id, open };
    this.nodes.push(graphNode);
    const inner: Place = {
      prefix: `${self.id}/`,
      deps: dataDependencies(scope),
      loopDepth: place.loopDepth,
      depth: place.depth + 1,
      ...(open ? { parentId: self.id } : {}),
    };
    const members = open
      ? this.dag(scope.dag, inner)
      : new SubtreeScan(this.spec).dag(scope.dag, inner.prefix, inner.depth);
    this.nodes[index] = { ...graphNode, members, ...(detail ? { detail } : {}) };
    return [self.id, ...members];
  }

  private condition(id: string, node: ConditionNode, place: Place): string[] {
    const self = this.base(id, place);
    const index = this.nodes.length;
    this.nodes.push({ ...self, kind: 'condition', label: id });
    const members: string[] = [];
    node.branches.forEach((branch, i) => {
      const branchId = `${self.id}#b${i}`;
      const keyword = branch.when ? (i === 0 ? 'if' : 'elif') : 'else';
      const label = branch.when ? `${keyword} ${describeExpr(branch.when)}` : keyword;
      const branchIndex = this.nodes.length;
      this.nodes.push({
        id: branchId,
        kind: 'branch',
        label,
        parentId: self.id,
        loopDepth: place.loopDepth,
        branch: { condition: id, index: i },
      });
      const inside = this.dag(branch.dag, { ...place, parentId: branchId });
      this.nodes[branchIndex] = { ...(this.nodes[branchIndex] as GraphNode), members: inside };
      members.push(...inside);
    });
    this.nodes[index] = { ...(this.nodes[index] as GraphNode), members };
    return members;
  }

  private loop(id: string, node: LoopNode, place: Place): string[] {
    const self = this.base(id, place);
    const open = this.isOpen(self.id, this.options.loopsOpen);
    const detail = describeLoopItems(node.items, node.parallelism);
    const index = this.nodes.length;
    this.nodes.push({ ...self, kind: 'loop', label: id, detail, open });
    const members = open
      ? this.dag(node.body, { ...place, parentId: self.id, loopDepth: place.loopDepth + 1 })
      : new SubtreeScan(this.spec).dag(node.body, place.prefix, place.depth);
    this.nodes[index] = { ...(this.nodes[index] as GraphNode), members };
    return members;
  }

  private exitHandler(id: string, node: ExitHandlerNode, place: Place): string[] {
    const self = this.base(id, place);
    const index = this.nodes.length;
    this.nodes.push({ ...self, kind: 'exitHandler', label: id });
    const parts = [
      { id: `${self.id}#body`, label: 'body', dag: node.body },
      { id: `${self.id}#exit`, label: 'exit (runs whatever happens)', dag: node.exit },
    ];
    const members: string[] = [];
    for (const part of parts) {
      const partIndex = this.nodes.length;
      this.nodes.push({
        id: part.id,
        kind: 'exitPart',
        label: part.label,
        parentId: self.id,
        loopDepth: place.loopDepth,
      });
      const inside = this.dag(part.dag, { ...place, parentId: part.id });
      this.nodes[partIndex] = { ...(this.nodes[partIndex] as GraphNode), members: inside };
      members.push(...inside);
    }
    this.edges.push({ id: `${self.id}#finally`, source: `${self.id}#body`, target: `${self.id}#exit`, kind: 'exit' });
    this.nodes[index] = { ...(this.nodes[index] as GraphNode), members };
    return members;
  }

  /** One edge per sibling dependency: `data` when a binding reads it, else `after`. */
  private siblingEdges(dag: Dag, place: Place): void {
    const data = place.deps.get(dag);
    for (const [id, node] of Object.entries(dag.tasks)) {
      const reads = data?.get(id) ?? new Set<string>();
      const sources = new Set([...node.dependsOn, ...reads]);
      for (const source of sources) {
        if (!Object.prototype.hasOwnProperty.call(dag.tasks, source)) continue;
        const from = `${place.prefix}${source}`;
        const to = `${place.prefix}${id}`;
        this.edges.push({ id: `${from}->${to}`, source: from, target: to, kind: reads.has(source) ? 'data' : 'after' });
      }
    }
  }
}

/** The run task ids inside a closed group, without adding nodes. */
class SubtreeScan {
  constructor(private readonly spec: PipelineSpec) {}

  dag(dag: Dag, prefix: string, depth: number): string[] {
    const found: string[] = [];
    for (const [id, node] of Object.entries(dag.tasks)) found.push(...this.node(id, node, prefix, depth));
    return found;
  }

  private node(id: string, node: Node, prefix: string, depth: number): string[] {
    switch (node.type) {
      case 'task': {
        const scope = componentScope(this.spec, node.component);
        const self = `${prefix}${id}`;
        if (!scope || depth >= maxSubPipelineDepth) return [self];
        return [self, ...this.dag(scope.dag, `${self}/`, depth + 1)];
      }
      case 'condition':
        return node.branches.flatMap((branch) => this.dag(branch.dag, prefix, depth));
      case 'loop':
        return this.dag(node.body, prefix, depth);
      case 'exitHandler':
        return [...this.dag(node.body, prefix, depth), ...this.dag(node.exit, prefix, depth)];
    }
  }
}

/**
 * @example
 * ```ts
 * const graph = pipelineGraph(spec, pipelineGraphDefaults);
 * graph.nodes.map((n) => n.id); // ['load-data', 'train-model', 'condition-1', 'condition-1#b0', 'condition-1#b0/deploy'...]
 * ```
 */
export function pipelineGraph(spec: PipelineSpec, options: GraphOptions): GraphModel {
  const builder = new GraphBuilder(spec, options);
  const scope = rootScope(spec);
  builder.dag(spec.root, { prefix: '', deps: dataDependencies(scope), loopDepth: 0, depth: 0 });
  return { nodes: builder.nodes, edges: builder.edges };
}
