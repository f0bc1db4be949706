/**
 * Small KFP documents written by hand for the tests, in the shape KFP's
 * compiler writes (see api/v2alpha1/pipeline_spec.proto): a base pipeline of two
 * container tasks, `produce` → `consume`, that each test changes in one place.
 */
import { stringify } from 'yaml';
import { KfpTranslationError, translateKfpPipeline, type KfpProblem } from '../../src';

export type Doc = Record<string, unknown> & {
  root: { dag: { tasks: Record<string, Record<string, unknown>> }; inputDefinitions?: Record<string, unknown> };
  components: Record<string, Record<string, unknown>>;
  deploymentSpec: { executors: Record<string, Record<string, unknown>> };
};

export function basePipeline(): Doc {
  return {
    pipelineInfo: { name: 'base' },
    schemaVersion: '2.1.0',
    sdkVersion: 'kfp-2.17.3',
    components: {
      'comp-produce': {
        executorLabel: 'exec-produce',
        inputDefinitions: { parameters: { n: { parameterType: 'NUMBER_INTEGER' } } },
        outputDefinitions: {
          parameters: { out: { parameterType: 'STRING' } },
          artifacts: { data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } },
        },
      },
      'comp-consume': {
        executorLabel: 'exec-consume',
        inputDefinitions: {
          parameters: { text: { parameterType: 'STRING' } },
          artifacts: { data: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } },
        },
      },
    },
    deploymentSpec: {
      executors: {
        'exec-produce': {
          container: {
            image: 'alpine:3.20',
            command: ['sh', '-c', 'echo "$0" > "$1"; echo data > "$2"'],
            args: [
              "{{$.inputs.parameters['n']}}",
              "{{$.outputs.parameters['out'].output_file}}",
              "{{$.outputs.artifacts['data'].path}}",
            ],
          },
        },
        'exec-consume': {
          container: {
            image: 'alpine:3.20',
            command: ['cat', "{{$.inputs.artifacts['data'].path}}"],
            args: ["{{$.inputs.parameters['text']}}"],
          },
        },
      },
    },
    root: {
      inputDefinitions: { parameters: { n: { parameterType: 'NUMBER_INTEGER', defaultValue: 2, isOptional: true } } },
      dag: {
        tasks: {
          produce: {
            taskInfo: { name: 'produce' },
            componentRef: { name: 'comp-produce' },
            cachingOptions: { enableCache: true },
            inputs: { parameters: { n: { componentInputParameter: 'n' } } },
          },
          consume: {
            taskInfo: { name: 'consume' },
            componentRef: { name: 'comp-consume' },
            cachingOptions: { enableCache: true },
            dependentTasks: ['produce'],
            inputs: {
              parameters: { text: { taskOutputParameter: { producerTask: 'produce', outputParameterKey: 'out' } } },
              artifacts: { data: { taskOutputArtifact: { producerTask: 'produce', outputArtifactKey: 'data' } } },
            },
          },
        },
      },
    },
  };
}

/** The YAML text KFP would write: the spec, then the platform document if there is one. */
export function yamlOf(doc: unknown, platform?: unknown): string {
  return platform === undefined ? stringify(doc) : `${stringify(doc)}---\n${stringify(platform)}`;
}

/** A platform document setting `config` on one executor. */
export function platformFor(executor: string, config: Record<string, unknown>): Record<string, unknown> {
  return { platforms: { kubernetes: { deploymentSpec: { executors: { [executor]: config } } } } };
}

/** The problems translating `doc` (and `platform`) reports; fails the test if it translates. */
export function problemsOf(doc: unknown, platform?: unknown): KfpProblem[] {
  try {
    translateKfpPipeline(yamlOf(doc, platform), { source: 'test.yaml' });
  } catch (error) {
    if (error instanceof KfpTranslationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the translation to be refused, but it succeeded');
}

/** Path and feature of each problem, for compact assertions. */
export function pathsAndFeatures(problems: readonly KfpProblem[]): [string, string][] {
  return problems.map((p) => [p.path, p.feature]);
}
