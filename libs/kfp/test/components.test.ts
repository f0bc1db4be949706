/** KFP components → Kiln components: v1 component.yaml, a compiled v2 component, a pipeline as a component. */
import { stringify } from 'yaml';
import { KfpTranslationError, translateKfpComponent } from '../src';
import { basePipeline, yamlOf } from './support/kfp-docs';

describe('v1 component.yaml', () => {
  const v1 = {
    name: 'Train model',
    description: 'Trains it.',
    inputs: [
      { name: 'Training data', type: 'Dataset' },
      { name: 'Epochs', type: 'Integer', default: '3' },
      { name: 'Learning rate', type: 'Float', optional: true },
      { name: 'Tag' },
    ],
    outputs: [
      { name: 'Model', type: 'Model' },
      { name: 'Accuracy', type: 'Float' },
    ],
    implementation: {
      container: {
        image: 'ghcr.io/acme/train:1',
        command: ['train', { inputPath: 'Training data' }, { outputPath: 'Model' }],
        args: [
          '--epochs',
          { inputValue: 'Epochs' },
          { if: { cond: { isPresent: 'Learning rate' }, then: ['--lr', { inputValue: 'Learning rate' }] } },
          { concat: ['--tag=', { inputValue: 'Tag' }] },
          '--accuracy',
          { outputPath: 'Accuracy' },
        ],
      },
    },
  };

  test('names are sanitized, parameter types are parameters, the rest artifacts', () => {
    const { component, components } = translateKfpComponent(stringify(v1));
    expect(components).toEqual({});
    expect(component).toEqual({
      name: 'train-model',
      description: 'Trains it.',
      inputs: {
        training_data: { kind: 'artifact', type: 'dataset' },
        epochs: { kind: 'param', type: 'int', default: 3 },
        learning_rate: { kind: 'param', type: 'float', optional: true },
        tag: { kind: 'param', type: 'string' },
      },
      outputs: { model: { kind: 'artifact', type: 'model' }, accuracy: { kind: 'param', type: 'float' } },
      implementation: {
        type: 'container',
        image: 'ghcr.io/acme/train:1',
        command: ['train', { kind: 'inputPath', input: 'training_data' }, { kind: 'outputPath', output: 'model' }],
        args: [
          '--epochs',
          { kind: 'inputValue', input: 'epochs' },
          { kind: 'ifPresent', input: 'learning_rate', then: ['--lr', { kind: 'inputValue', input: 'learning_rate' }] },
          { kind: 'concat', items: ['--tag=', { kind: 'inputValue', input: 'tag' }] },
          '--accuracy',
          { kind: 'outputPath', output: 'accuracy' },
        ],
      },
    });
  });

  test('a v1 graph component is refused at its path', () => {
    const graph = { name: 'g', implementation: { graph: { tasks: {} } } };
    expect(() => translateKfpComponent(stringify(graph))).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({
            path: 'implementation.graph',
            feature: 'v1 graph components (implementation.graph)',
          }),
        ],
      }),
    );
  });
});

describe('v2 component YAML', () => {
  test('a compiled component is its one container, named after the pipeline', () => {
    const doc = basePipeline();
    delete doc.root.dag.tasks['consume'];
    doc.pipelineInfo = { name: 'produce' };
    const { component } = translateKfpComponent(yamlOf(doc));
    expect(component).toMatchObject({
      name: 'produce',
      inputs: { n: { kind: 'param', type: 'int' } },
      implementation: { type: 'container', image: 'alpine:3.20' },
    });
  });

  test('a pipeline loaded as a component is a dag component with the components it uses', () => {
    const { component, components } = translateKfpComponent(yamlOf(basePipeline()));
    expect(component.name).toBe('base');
    expect(component.implementation.type).toBe('dag');
    expect(Object.keys(components).sort()).toEqual(['consume', 'produce']);
  });

  test('env set on a compiled component is refused: Kiln sets env per task', () => {
    const doc = basePipeline();
    delete doc.root.dag.tasks['consume'];
    doc.pipelineInfo = { name: 'produce' };
    const container = doc.deploymentSpec.executors['exec-produce']?.['container'] as Record<string, unknown>;
    container['env'] = [{ name: 'A', value: 'b' }];
    expect(() => translateKfpComponent(yamlOf(doc))).toThrow(KfpTranslationError);
    expect(() => translateKfpComponent(yamlOf(doc))).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ path: 'deploymentSpec', feature: 'env and resources in a component YAML' }),
        ],
      }),
    );
  });
});
