/**
 * What Kiln cannot express is refused, never dropped: one unsupported KFP
 * feature per category, each reported with the YAML path of the value and the
 * KFP feature's name (and the line, since the translator got text).
 */
import { translateKfpPipeline } from '../src';
import { basePipeline, pathsAndFeatures, platformFor, problemsOf, yamlOf, type Doc } from './support/kfp-docs';

type Task = Record<string, unknown>;
const task = (doc: Doc, name: string): Task => doc.root.dag.tasks[name] as Task;
const container = (doc: Doc, executor: string): Record<string, unknown> =>
  doc.deploymentSpec.executors[executor]?.['container'] as Record<string, unknown>;

test('the base document translates (so each refusal below comes from its one change)', () => {
  const spec = translateKfpPipeline(yamlOf(basePipeline()));
  expect(Object.keys(spec.root.tasks).sort()).toEqual(['consume', 'produce']);
});

describe('structure', () => {
  test('a task whose componentRef names no component', () => {
    const doc = basePipeline();
    task(doc, 'consume')['componentRef'] = { name: 'comp-missing' };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([['root.dag.tasks.consume.componentRef', 'componentRef']]);
  });

  test('an unknown field anywhere is refused by name', () => {
    const doc = basePipeline();
    task(doc, 'produce')['futureField'] = { on: true };
    const [problem] = problemsOf(doc);
    expect(problem).toMatchObject({ path: 'root.dag.tasks.produce.futureField', feature: 'futureField' });
    expect(problem?.message).toContain('unknown KFP field');
  });

  test('a resolver executor', () => {
    const doc = basePipeline();
    doc.deploymentSpec.executors['exec-consume'] = { resolver: { outputArtifactQueries: { a: { filter: 'x' } } } };
    expect(pathsAndFeatures(problemsOf(doc))).toContainEqual([
      'deploymentSpec.executors.exec-consume.resolver',
      'dsl resolver nodes (ResolverSpec)',
    ]);
  });

  test('pipeline input artifacts', () => {
    const doc = basePipeline();
    doc.root.inputDefinitions = {
      artifacts: { raw: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } },
    };
    expect(pathsAndFeatures(problemsOf(doc))).toContainEqual([
      'root.inputDefinitions.artifacts.raw',
      'pipeline input artifacts',
    ]);
  });

  test('a trigger condition on a component task (KFP only puts them on condition groups)', () => {
    const doc = basePipeline();
    task(doc, 'consume')['triggerPolicy'] = { condition: "inputs.parameter_values['text'] == 'x'" };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([['root.dag.tasks.consume.triggerPolicy.condition', 'dsl.If']]);
  });
});

describe('input bindings', () => {
  test('an identity placeholder passed as an input value', () => {
    const doc = basePipeline();
    (task(doc, 'consume')['inputs'] as { parameters: Record<string, unknown> }).parameters['text'] = {
      runtimeValue: { constant: '{{$.pipeline_job_name}}' },
    };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['root.dag.tasks.consume.inputs.parameters.text.runtimeValue', '{{$.pipeline_job_name}} as an input value'],
    ]);
  });

  test('an f-string of pipeline channels in a constant', () => {
    const doc = basePipeline();
    (task(doc, 'consume')['inputs'] as { parameters: Record<string, unknown> }).parameters['text'] = {
      runtimeValue: { constant: "n is {{$.inputs.parameters['pipelinechannel--n']}}" },
    };
    expect(pathsAndFeatures(problemsOf(doc))).toContainEqual([
      'root.dag.tasks.consume.inputs.parameters.text.runtimeValue',
      'pipeline channels inside a constant (f-string input values)',
    ]);
  });

  test('a final status outside an exit handler', () => {
    const doc = basePipeline();
    (task(doc, 'consume')['inputs'] as { parameters: Record<string, unknown> }).parameters['text'] = {
      taskFinalStatus: { producerTask: 'produce' },
    };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['root.dag.tasks.consume.inputs.parameters.text.taskFinalStatus', 'dsl.PipelineTaskFinalStatus'],
    ]);
  });
});

describe('conditions', () => {
  test('the condition pipeline itself translates (a string comparison)', () => {
    const spec = translateKfpPipeline(
      yamlOf(conditionPipeline("inputs.parameter_values['pipelinechannel--produce-out'] == 'go'")),
    );
    expect(spec.root.tasks['condition-1']).toMatchObject({
      type: 'condition',
      dependsOn: ['produce'],
      branches: [
        {
          when: {
            op: 'eq',
            left: { kind: 'output', task: 'produce', output: 'out' },
            right: { kind: 'constant', value: 'go' },
          },
        },
      ],
    });
  });

  test('CEL outside the subset KFP writes, with its position', () => {
    const doc = conditionPipeline("size(inputs.parameter_values['pipelinechannel--produce-out']) > 3");
    const [problem] = problemsOf(doc);
    expect(problem).toMatchObject({
      path: 'root.dag.tasks.condition-1.triggerPolicy.condition',
      feature: 'dsl.If conditions',
    });
    expect(problem?.message).toContain('not in the CEL subset');
    expect(problem?.line).toBeGreaterThan(1);
  });

  test('a cast Kiln would have to evaluate (int() of a string)', () => {
    const doc = conditionPipeline("int(inputs.parameter_values['pipelinechannel--produce-out']) > 3");
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['root.dag.tasks.condition-1.triggerPolicy.condition', 'dsl.If conditions'],
    ]);
  });
});

/** produce, then a condition group on its string output holding consume. */
function conditionPipeline(cel: string): Doc {
  const doc = basePipeline();
  const consume = task(doc, 'consume');
  delete doc.root.dag.tasks['consume'];
  doc.root.dag.tasks['condition-1'] = {
    taskInfo: { name: 'condition-1' },
    componentRef: { name: 'comp-condition-1' },
    dependentTasks: ['produce'],
    inputs: {
      parameters: {
        'pipelinechannel--produce-out': { taskOutputParameter: { producerTask: 'produce', outputParameterKey: 'out' } },
      },
      artifacts: {
        'pipelinechannel--produce-data': { taskOutputArtifact: { producerTask: 'produce', outputArtifactKey: 'data' } },
      },
    },
    triggerPolicy: { condition: cel },
  };
  doc.components['comp-condition-1'] = {
    inputDefinitions: {
      parameters: { 'pipelinechannel--produce-out': { parameterType: 'STRING' } },
      artifacts: {
        'pipelinechannel--produce-data': {
          artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
        },
      },
    },
    dag: {
      tasks: {
        consume: {
          ...consume,
          dependentTasks: [],
          inputs: {
            parameters: { text: { componentInputParameter: 'pipelinechannel--produce-out' } },
            artifacts: { data: { componentInputArtifact: 'pipelinechannel--produce-data' } },
          },
        },
      },
    },
  };
  return doc;
}

describe('task settings', () => {
  test('a retry backoff factor below 1', () => {
    const doc = basePipeline();
    task(doc, 'consume')['retryPolicy'] = { maxRetryCount: 2, backoffFactor: 0.5 };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['root.dag.tasks.consume.retryPolicy.backoffFactor', 'task.set_retry(backoff_factor=...)'],
    ]);
  });

  test('an accelerator type that is not a resource name (a Vertex AI accelerator)', () => {
    const doc = basePipeline();
    container(doc, 'exec-consume')['resources'] = {
      accelerator: { resourceType: 'NVIDIA_TESLA_T4', resourceCount: '1' },
    };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      [
        'deploymentSpec.executors.exec-consume.container.resources.accelerator.resourceType',
        'task.set_accelerator_type',
      ],
    ]);
  });

  test('resources from a pipeline parameter', () => {
    const doc = basePipeline();
    container(doc, 'exec-consume')['resources'] = {
      resourceCpuLimit: "{{$.inputs.parameters['pipelinechannel--cpu']}}",
    };
    expect(pathsAndFeatures(problemsOf(doc))).toContainEqual([
      'deploymentSpec.executors.exec-consume.container.resources.resourceCpuLimit',
      'resources from pipeline parameters',
    ]);
  });

  test('a container lifecycle hook', () => {
    const doc = basePipeline();
    container(doc, 'exec-consume')['lifecycle'] = { preCacheCheck: { command: ['true'] } };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['deploymentSpec.executors.exec-consume.container.lifecycle', 'container lifecycle hooks (preCacheCheck)'],
    ]);
  });
});

describe('placeholders and importers', () => {
  test('a placeholder Kiln has no equivalent for', () => {
    const doc = basePipeline();
    container(doc, 'exec-consume')['args'] = ['--created={{$.pipeline_job_create_time_utc}}'];
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['deploymentSpec.executors.exec-consume.container.args[0]', 'dsl.PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER'],
    ]);
  });

  test('importer metadata taken from a pipeline parameter', () => {
    const doc = basePipeline();
    doc.components['comp-consume'] = {
      executorLabel: 'exec-consume',
      inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } },
      outputDefinitions: {
        artifacts: { artifact: { artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' } } },
      },
    };
    doc.deploymentSpec.executors['exec-consume'] = {
      importer: {
        artifactUri: { runtimeParameter: 'uri' },
        typeSchema: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
        metadata: { owner: "{{$.inputs.parameters['metadata']}}" },
      },
    };
    task(doc, 'consume')['inputs'] = { parameters: { uri: { runtimeValue: { constant: 'gs://b/x' } } } };
    expect(pathsAndFeatures(problemsOf(doc))).toEqual([
      ['deploymentSpec.executors.exec-consume.importer.metadata', 'dsl.importer metadata from pipeline values'],
    ]);
  });
});

describe('the Kubernetes platform spec', () => {
  test('environment from a field path', () => {
    const platform = platformFor('exec-consume', { fieldPathAsEnv: [{ name: 'POD', fieldPath: 'metadata.name' }] });
    const [problem] = problemsOf(basePipeline(), platform);
    expect(problem).toMatchObject({
      path: 'platforms.kubernetes.deploymentSpec.executors.exec-consume.fieldPathAsEnv',
      feature: 'kubernetes.use_field_path_as_env',
      document: 2,
    });
  });

  test('an optional secret', () => {
    const platform = platformFor('exec-consume', {
      secretAsVolume: [{ secretNameParameter: { runtimeValue: { constant: 's' } }, mountPath: '/s', optional: true }],
    });
    expect(pathsAndFeatures(problemsOf(basePipeline(), platform))).toEqual([
      [
        'platforms.kubernetes.deploymentSpec.executors.exec-consume.secretAsVolume[0].optional',
        'kubernetes.use_secret_as_volume(optional=True)',
      ],
    ]);
  });

  test('a secret name from a pipeline parameter', () => {
    const platform = platformFor('exec-consume', {
      secretAsEnv: [{ secretNameParameter: { componentInputParameter: 'secret' }, keyToEnv: [] }],
    });
    expect(pathsAndFeatures(problemsOf(basePipeline(), platform))).toEqual([
      [
        'platforms.kubernetes.deploymentSpec.executors.exec-consume.secretAsEnv[0].secretNameParameter',
        'kubernetes.use_secret_as_env from a pipeline parameter or task output',
      ],
    ]);
  });

  test('a PVC sub-path and a security context', () => {
    const platform = platformFor('exec-consume', {
      pvcMount: [{ pvcNameParameter: { runtimeValue: { constant: 'data' } }, mountPath: '/data', subPath: 'a' }],
      securityContext: { runAsUser: 1000 },
    });
    expect(pathsAndFeatures(problemsOf(basePipeline(), platform)).sort()).toEqual([
      [
        'platforms.kubernetes.deploymentSpec.executors.exec-consume.pvcMount[0].subPath',
        'kubernetes.mount_pvc(sub_path=...)',
      ],
      ['platforms.kubernetes.deploymentSpec.executors.exec-consume.securityContext', 'kubernetes.set_security_context'],
    ]);
  });

  test('pipeline workspaces', () => {
    const platform = { platforms: { kubernetes: { pipelineConfig: { workspace: { size: '1Gi' } } } } };
    expect(pathsAndFeatures(problemsOf(basePipeline(), platform))).toEqual([
      ['platforms.kubernetes.pipelineConfig.workspace', 'dsl.PipelineConfig(workspace=...) (pipeline workspaces)'],
    ]);
  });
});

test('every problem is reported in one error, not just the first', () => {
  const doc = basePipeline();
  task(doc, 'consume')['retryPolicy'] = { maxRetryCount: 2, backoffFactor: 0.5 };
  container(doc, 'exec-produce')['lifecycle'] = { preCacheCheck: { command: ['true'] } };
  expect(problemsOf(doc)).toHaveLength(2);
});
