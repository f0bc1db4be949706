/** Telling KFP YAML apart from Kiln IR and anything else, without translating it. */
import { stringify } from 'yaml';
import { detectKfp } from '../src';
import { basePipeline, platformFor, yamlOf } from './support/kfp-docs';

describe('detectKfp', () => {
  test('a PipelineSpec is a pipeline', () => {
    expect(detectKfp(yamlOf(basePipeline()))).toBe('pipeline');
  });

  test('a PipelineSpec followed by a platform spec is a pipeline with its platform', () => {
    expect(detectKfp(yamlOf(basePipeline(), platformFor('exec-consume', { imagePullPolicy: 'Always' })))).toBe(
      'pipeline+platform',
    );
  });

  test('a PipelineSpec named after its one task, passing its inputs through, is a compiled component', () => {
    const doc = basePipeline();
    delete doc.root.dag.tasks['consume'];
    doc['pipelineInfo'] = { name: 'produce' };
    expect(detectKfp(yamlOf(doc))).toBe('component');
  });

  test('a pipeline of one task under its own name is a pipeline', () => {
    const doc = basePipeline();
    delete doc.root.dag.tasks['consume'];
    expect(detectKfp(yamlOf(doc))).toBe('pipeline');
  });

  test('a v1 component.yaml', () => {
    const v1 = {
      name: 'Echo',
      inputs: [{ name: 'text' }],
      implementation: { container: { image: 'alpine', command: ['echo'] } },
    };
    expect(detectKfp(stringify(v1))).toBe('component-v1');
  });

  test('parsed documents work as well as text', () => {
    expect(detectKfp([basePipeline()])).toBe('pipeline');
  });

  test.each([
    ['Kiln IR', stringify({ schemaVersion: '1.0', pipeline: { name: 'x' }, root: { tasks: {} } })],
    ['other YAML', 'a: 1\n'],
    ['text that is not YAML', 'key: [unclosed\n'],
    ['a KFP v1 (Argo) workflow', stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' })],
  ])('%s is not KFP', (_what, text) => {
    expect(detectKfp(text)).toBeUndefined();
  });
});
