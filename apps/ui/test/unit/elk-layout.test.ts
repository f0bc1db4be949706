/**
 * The graph → ELK → boxes round trip, with the real ELK (its bundled build, in
 * Node; the page runs the same engine in a worker). Timings are logged, never
 * asserted: the browser test measures the page, tools/bench is for numbers.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import { graphSize, readElkLayout, toElkGraph, type Box } from '../../src/graph/elk-graph';
import { pipelineGraphDefaults, type GraphModel } from '../../src/graph/model';
import { pipelineGraph } from '../../src/graph/pipeline-graph';
import { showcasePipeline } from '../fixtures/showcase-pipeline';
import { widePipeline } from '../fixtures/wide-pipeline';

async function layout(graph: GraphModel) {
  return readElkLayout(await new ELK().layout(toElkGraph(graph)));
}

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('every node gets a box inside its container, and siblings do not overlap', async () => {
  const graph = pipelineGraph(showcasePipeline, { ...pipelineGraphDefaults, subPipelinesOpen: true });
  const { boxes } = await layout(graph);
  expect([...boxes.keys()].sort()).toEqual(graph.nodes.map((n) => n.id).sort());
  for (const node of graph.nodes) {
    const box = boxes.get(node.id);
    const parent = node.parentId ? boxes.get(node.parentId) : undefined;
    if (!box || !parent) continue;
    // Child positions are relative to the container, as React Flow takes them.
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(parent.width);
    expect(box.y + box.height).toBeLessThanOrEqual(parent.height);
  }
  for (const a of graph.nodes) {
    for (const b of graph.nodes) {
      if (a.id >= b.id || a.parentId !== b.parentId) continue;
      const [boxA, boxB] = [boxes.get(a.id), boxes.get(b.id)];
      if (boxA && boxB)
        expect({ pair: [a.id, b.id], overlap: overlaps(boxA, boxB) }).toEqual({ pair: [a.id, b.id], overlap: false });
    }
  }
});

test('a data edge runs downwards: the consumer sits below what it reads', async () => {
  const graph = pipelineGraph(showcasePipeline, pipelineGraphDefaults);
  const { boxes } = await layout(graph);
  const prepare = boxes.get('prepare');
  const loop = boxes.get('fan-out');
  expect(prepare && loop && loop.y > prepare.y + prepare.height).toBe(true);
});

test('a 1,000-task pipeline is laid out with the linear-time options', async () => {
  const graph = pipelineGraph(widePipeline(25, 40), pipelineGraphDefaults);
  expect(graphSize(graph)).toBe('huge');
  const started = Date.now();
  const { boxes, height } = await layout(graph);
  console.log(`ELK in Node: 1,000 tasks, ${graph.edges.length} edges laid out in ${Date.now() - started} ms`);
  expect(boxes.size).toBe(1000);
  // 25 stages, one layer each.
  expect(new Set([...boxes.values()].map((b) => b.y)).size).toBe(25);
  expect(height).toBeGreaterThan(25 * 56);
});
