/**
 * KFP group DAGs inlined as Kiln control flow, for cases the SDK-compiled corpus does not reach:
 * hand-written chains whose Elif negations do not match, outputs leaving an exit handler, and
 * artifact fan-in across nested loops.
 */
import { formatKfpProblem, KfpTranslationError, translateKfpPipeline } from '../src';
import { basePipeline, pathsAndFeatures, problemsOf, yamlOf, type Doc } from './support/kfp-docs';

const produceOut = { taskOutputParameter: { producerTask: 'produce', outputParameterKey: 'out' } };
const channel = (name: string) => ({ componentInputParameter: name });

/** A condition-N group over produce's output, holding one `consume`-like echo task named `id`. */
function conditionGroup(doc: Doc, n: number, cel: string, id: string): void {
  doc.components[`comp-condition-${n}`] = {
    inputDefinitions: { parameters: { 'pipelinechannel--produce-out': { parameterType: 'STRING' } } },
    dag: {
      tasks: {
        [id]: {
          taskInfo: { name: id },
          componentRef: { name: 'comp-echo' },
          cachingOptions: { enableCache: true },
          inputs: { parameters: { text: channel('pipelinechannel--produce-out') } },
        },
      },
    },
  };
}

function withEcho(doc: Doc): void {
  doc.components['comp-echo'] = {
    executorLabel: 'exec-echo',
    inputDefinitions: { parameters: { text: { parameterType: 'STRING' } } },
  };
  doc.deploymentSpec.executors['exec-echo'] = {
    container: { image: 'alpine', command: ['echo', "{{$.inputs.parameters['text']}}"] },
  };
}

describe('if / elif / else chains', () => {
  function chain(conditions: string[]): Doc {
    const doc = basePipeline();
    delete doc.root.dag.tasks['consume'];
    withEcho(doc);
    const tasks: Record<string, unknown> = {};
    conditions.forEach((cel, i) => {
      conditionGroup(doc, i + 2, cel, `echo-${i + 1}`);
      tasks[`condition-${i + 2}`] = {
        taskInfo: { name: `condition-${i + 2}` },
        componentRef: { name: `comp-condition-${i + 2}` },
        inputs: { parameters: { 'pipelinechannel--produce-out': channel('pipelinechannel--produce-out') } },
        triggerPolicy: { condition: cel },
      };
    });
    doc.components['comp-condition-branches-1'] = {
      inputDefinitions: { parameters: { 'pipelinechannel--produce-out': { parameterType: 'STRING' } } },
      dag: { tasks },
    };
    doc.root.dag.tasks['condition-branches-1'] = {
      taskInfo: { name: 'condition-branches-1' },
      componentRef: { name: 'comp-condition-branches-1' },
      dependentTasks: ['produce'],
      inputs: { parameters: { 'pipelinechannel--produce-out': produceOut } },
    };
    return doc;
  }
  const x = "inputs.parameter_values['pipelinechannel--produce-out']";

  test("KFP's negated prefixes are dropped and the last branch is the otherwise", () => {
    const spec = translateKfpPipeline(
      yamlOf(chain([`${x} == 'a'`, `!(${x} == 'a') && ${x} == 'b'`, `!(${x} == 'a') && !(${x} == 'b')`])),
    );
    const node = spec.root.tasks['condition-branches-1'];
    expect(node?.type === 'condition' && node.branches.map((b) => b.when ?? 'otherwise')).toEqual([
      { op: 'eq', left: { kind: 'output', task: 'produce', output: 'out' }, right: { kind: 'constant', value: 'a' } },
      { op: 'eq', left: { kind: 'output', task: 'produce', output: 'out' }, right: { kind: 'constant', value: 'b' } },
      'otherwise',
    ]);
  });

  test('branches whose negations do not match keep their full conditions', () => {
    const spec = translateKfpPipeline(yamlOf(chain([`${x} == 'a'`, `!(${x} == 'z') && ${x} == 'b'`])));
    const node = spec.root.tasks['condition-branches-1'];
    expect(node?.type === 'condition' && node.branches[1]?.when).toEqual({
      op: 'and',
      args: [
        {
          op: 'not',
          arg: {
            op: 'eq',
            left: { kind: 'output', task: 'produce', output: 'out' },
            right: { kind: 'constant', value: 'z' },
          },
        },
        { op: 'eq', left: { kind: 'output', task: 'produce', output: 'out' }, right: { kind: 'constant', value: 'b' } },
      ],
    });
  });
});

test('an output of a task inside an exit handler, used after it, is refused', () => {
  // produce runs inside exit-handler-1 (exit task: cleanup); consume reads produce's output from outside.
  const doc = basePipeline();
  doc.components['comp-exit-handler-1'] = {
    inputDefinitions: { parameters: { 'pipelinechannel--n': { parameterType: 'NUMBER_INTEGER' } } },
    dag: {
      outputs: {
        parameters: {
          'pipelinechannel--produce-out': {
            valueFromParameter: { producerSubtask: 'produce', outputParameterKey: 'out' },
          },
        },
      },
      tasks: {
        produce: {
          taskInfo: { name: 'produce' },
          componentRef: { name: 'comp-produce' },
          cachingOptions: { enableCache: true },
          inputs: { parameters: { n: channel('pipelinechannel--n') } },
        },
      },
    },
  };
  doc.root.dag.tasks = {
    'exit-handler-1': {
      taskInfo: { name: 'exit-handler-1' },
      componentRef: { name: 'comp-exit-handler-1' },
      inputs: { parameters: { 'pipelinechannel--n': channel('n') } },
    },
    cleanup: {
      taskInfo: { name: 'cleanup' },
      componentRef: { name: 'comp-produce' },
      cachingOptions: { enableCache: true },
      dependentTasks: ['exit-handler-1'],
      triggerPolicy: { strategy: 'ALL_UPSTREAM_TASKS_COMPLETED' },
      inputs: { parameters: { n: { runtimeValue: { constant: 1 } } } },
    },
    consume: {
      taskInfo: { name: 'consume' },
      componentRef: { name: 'comp-consume' },
      cachingOptions: { enableCache: true },
      dependentTasks: ['exit-handler-1', 'cleanup'],
      inputs: {
        parameters: {
          text: {
            taskOutputParameter: { producerTask: 'exit-handler-1', outputParameterKey: 'pipelinechannel--produce-out' },
          },
        },
        artifacts: { data: { taskOutputArtifact: { producerTask: 'cleanup', outputArtifactKey: 'data' } } },
      },
    },
  };
  expect(pathsAndFeatures(problemsOf(doc))).toEqual([
    ['root.dag.tasks.consume.inputs.parameters.text.taskOutputParameter', 'outputs of tasks inside dsl.ExitHandler'],
  ]);
});

test('problems carry the line of the value, and format as file:line: path: message [feature]', () => {
  const doc = basePipeline();
  (doc.root.dag.tasks['consume'] as Record<string, unknown>)['retryPolicy'] = { maxRetryCount: 1, backoffFactor: 0.1 };
  const text = yamlOf(doc);
  let problem;
  try {
    translateKfpPipeline(text, { source: 'p.yaml' });
  } catch (error) {
    if (error instanceof KfpTranslationError) problem = error.problems[0];
  }
  const line = text.split('\n').findIndex((l) => l.includes('backoffFactor')) + 1;
  expect(problem).toMatchObject({ line, document: 1 });
  expect(problem && formatKfpProblem(problem, 'p.yaml')).toBe(
    `p.yaml:${line}:${problem?.column}: root.dag.tasks.consume.retryPolicy.backoffFactor: a backoff factor of 0.1: Kiln backoff never shrinks (factor >= 1) [task.set_retry(backoff_factor=...)]`,
  );
});

describe('containers speaking the executor protocol', () => {
  test('{{$.outputs.output_file}} is executorOutputFile and marks the container as KFP protocol, with its types', () => {
    const doc = basePipeline();
    const container = doc.deploymentSpec.executors['exec-consume']?.['container'] as Record<string, unknown>;
    container['args'] = ["{{$.inputs.parameters['text']}}", '--meta={{$.outputs.output_file}}'];
    const spec = translateKfpPipeline(yamlOf(doc));
    expect(spec.components['consume']?.implementation).toEqual({
      type: 'container',
      image: 'alpine:3.20',
      command: ['cat', { kind: 'inputPath', input: 'data' }],
      args: [
        { kind: 'inputValue', input: 'text' },
        { kind: 'concat', items: ['--meta=', { kind: 'executorOutputFile' }] },
      ],
      kfp: {
        inputs: { text: { parameterType: 'STRING' }, data: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } },
        outputs: {},
      },
    });
  });

  test("a command that is not the SDK's pip bootstrap is kept, with no bootstrap record", () => {
    const doc = basePipeline();
    doc.deploymentSpec.executors['exec-consume'] = {
      container: {
        image: 'python:3.11',
        command: ['sh', '-c', 'pip install kfp && "$0" "$@"', 'python3', '-m', 'kfp.dsl.executor_main'],
        args: ['--executor_input', '{{$}}', '--function_to_execute', 'consume'],
      },
    };
    const implementation = translateKfpPipeline(yamlOf(doc)).components['consume']?.implementation;
    expect(implementation).toMatchObject({
      command: ['sh', '-c', 'pip install kfp && "$0" "$@"', 'python3', '-m', 'kfp.dsl.executor_main'],
      args: ['--executor_input', { kind: 'executorInput' }, '--function_to_execute', 'consume'],
    });
    expect(implementation?.type === 'container' && implementation.kfp).toEqual({
      inputs: { text: { parameterType: 'STRING' }, data: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } },
      outputs: {},
    });
  });

  test('an artifact metadata field placeholder is refused', () => {
    const doc = basePipeline();
    const container = doc.deploymentSpec.executors['exec-consume']?.['container'] as Record<string, unknown>;
    container['args'] = ["{{$.inputs.artifacts['data'].metadata['rows']}}"];
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['deploymentSpec.executors.exec-consume.container.args[0]', 'artifact metadata fields in placeholders'],
    ]);
  });
});
