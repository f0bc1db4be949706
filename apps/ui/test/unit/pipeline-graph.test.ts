import { pipelineSpecSchema } from '@kiln/ir';
import { pipelineGraph } from '../../src/graph/pipeline-graph';
import { pipelineGraphDefaults, runGraphDefaults, type GraphModel } from '../../src/graph/model';
import { showcasePipeline } from '../fixtures/showcase-pipeline';
import trainingIr from '../fixtures/training.ir.json';

const training = pipelineSpecSchema.parse(trainingIr);

const byId = (graph: GraphModel, id: string) => {
  const node = graph.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id} in ${graph.nodes.map((n) => n.id).join(', ')}`);
  return node;
};
const edge = (graph: GraphModel, source: string, target: string) =>
  graph.edges.find((e) => e.source === source && e.target === target);

describe('the pipeline graph of the training example', () => {
  const graph = pipelineGraph(training, pipelineGraphDefaults);

  test('has a node per task and one box per condition branch, labelled with its condition', () => {
    expect(graph.nodes.map((n) => [n.id, n.kind, n.parentId ?? null])).toEqual([
      ['condition-1', 'condition', null],
      ['condition-1#b0', 'branch', 'condition-1'],
      ['deploy-model', 'task', 'condition-1#b0'],
      ['evaluate-model', 'task', null],
      ['load-data', 'task', null],
      ['train-model', 'task', null],
    ]);
    expect(byId(graph, 'condition-1#b0').label).toBe('if evaluate-model.accuracy >= $minAccuracy');
  });

  test('draws data edges between siblings, the condition group waiting for what its branch reads', () => {
    expect(graph.edges.map((e) => `${e.source} -> ${e.target} (${e.kind})`).sort()).toEqual([
      'evaluate-model -> condition-1 (data)',
      'load-data -> evaluate-model (data)',
      'load-data -> train-model (data)',
      'train-model -> condition-1 (data)',
      'train-model -> evaluate-model (data)',
    ]);
  });

  test('lists the run task ids inside each group', () => {
    expect(byId(graph, 'condition-1').members).toEqual(['deploy-model']);
    expect(byId(graph, 'deploy-model').runTaskId).toBe('deploy-model');
  });
});

describe('the pipeline graph of loops, branches, sub-pipelines and exit handlers', () => {
  test('an exit handler holds its body and its exit part, joined by an exit edge', () => {
    const graph = pipelineGraph(showcasePipeline, pipelineGraphDefaults);
    expect(byId(graph, 'exit-handler-1#body').parentId).toBe('exit-handler-1');
    expect(byId(graph, 'exit-handler-1#exit').label).toMatch(/exit/);
    expect(byId(graph, 'notify').parentId).toBe('exit-handler-1#exit');
    expect(edge(graph, 'exit-handler-1#body', 'exit-handler-1#exit')?.kind).toBe('exit');
  });

  test('on the pipeline page a loop shows its body, with the condition inside it', () => {
    const graph = pipelineGraph(showcasePipeline, pipelineGraphDefaults);
    const loop = byId(graph, 'fan-out');
    expect(loop).toMatchObject({ kind: 'loop', open: true, loopDepth: 0, detail: 'over prepare.items, 50 at a time' });
    expect(byId(graph, 'score-item')).toMatchObject({ parentId: 'fan-out', loopDepth: 1 });
    expect(byId(graph, 'keep')).toMatchObject({ parentId: 'condition-1#b0', loopDepth: 1 });
    expect(loop.members).toEqual(['score-item', 'keep']);
  });

  test('on the run page a loop is one node, whatever its body holds', () => {
    const graph = pipelineGraph(showcasePipeline, runGraphDefaults);
    expect(byId(graph, 'fan-out')).toMatchObject({ kind: 'loop', open: false, members: ['score-item', 'keep'] });
    expect(graph.nodes.some((n) => n.parentId === 'fan-out')).toBe(false);
    expect(edge(graph, 'fan-out', 'summarize')?.kind).toBe('data');
  });

  test('a toggled node opens or closes against its default', () => {
    const open = pipelineGraph(showcasePipeline, { ...runGraphDefaults, toggled: new Set(['fan-out']) });
    expect(byId(open, 'score-item').parentId).toBe('fan-out');
    const closed = pipelineGraph(showcasePipeline, { ...pipelineGraphDefaults, toggled: new Set(['fan-out']) });
    expect(byId(closed, 'fan-out').open).toBe(false);
  });

  test('a sub-pipeline starts closed, lists its inner tasks by path, and opens into them', () => {
    const closed = pipelineGraph(showcasePipeline, pipelineGraphDefaults);
    expect(byId(closed, 'validate-inner')).toMatchObject({
      kind: 'subPipeline',
      open: false,
      runTaskId: 'validate-inner',
      members: ['validate-inner/fetch', 'validate-inner/check'],
    });
    const open = pipelineGraph(showcasePipeline, { ...pipelineGraphDefaults, toggled: new Set(['validate-inner']) });
    expect(byId(open, 'validate-inner/check')).toMatchObject({ parentId: 'validate-inner', label: 'check' });
    expect(edge(open, 'validate-inner/fetch', 'validate-inner/check')?.kind).toBe('data');
  });

  test('an .after() ordering is drawn as an after edge, a fan-in as data', () => {
    const graph = pipelineGraph(showcasePipeline, pipelineGraphDefaults);
    expect(edge(graph, 'summarize', 'audit')?.kind).toBe('after');
    expect(edge(graph, 'fan-out', 'summarize')?.kind).toBe('data');
    expect(edge(graph, 'summarize', 'condition-2')?.kind).toBe('data');
  });

  test('an else branch is labelled else, and containers come before their children', () => {
    const graph = pipelineGraph(showcasePipeline, pipelineGraphDefaults);
    expect(byId(graph, 'condition-2#b1').label).toBe('else');
    const seen = new Set<string>();
    for (const node of graph.nodes) {
      if (node.parentId) expect(seen.has(node.parentId)).toBe(true);
      seen.add(node.id);
    }
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
  });
});
