/**
 * Every KFP conformance port: the pipeline each file exports last (the top-level one) and the
 * hand-written expected structure in expected/<name>.ts.
 */
import type { AnyPipeline } from '@kiln/dsl';
import type { Expected } from './structure';
import { artifactsSimple as pArtifactsSimple } from './artifacts_simple';
import { expected as eArtifactsSimple } from './expected/artifacts_simple';
import { conditionalProducerAndConsumers as pConditionalProducerAndConsumers } from './conditional_producer_and_consumers';
import { expected as eConditionalProducerAndConsumers } from './expected/conditional_producer_and_consumers';
import { containerWithArtifactOutput as pContainerWithArtifactOutput } from './container_with_artifact_output';
import { expected as eContainerWithArtifactOutput } from './expected/container_with_artifact_output';
import { crossLoopAfterTopology as pCrossLoopAfterTopology } from './cross_loop_after_topology';
import { expected as eCrossLoopAfterTopology } from './expected/cross_loop_after_topology';
import { ifElifElseComplex as pIfElifElseComplex } from './if_elif_else_complex';
import { expected as eIfElifElseComplex } from './expected/if_elif_else_complex';
import { ifElifElseWithOneofParameters as pIfElifElseWithOneofParameters } from './if_elif_else_with_oneof_parameters';
import { expected as eIfElifElseWithOneofParameters } from './expected/if_elif_else_with_oneof_parameters';
import { ifElseWithOneofArtifacts as pIfElseWithOneofArtifacts } from './if_else_with_oneof_artifacts';
import { expected as eIfElseWithOneofArtifacts } from './expected/if_else_with_oneof_artifacts';
import { ifElseWithOneofParameters as pIfElseWithOneofParameters } from './if_else_with_oneof_parameters';
import { expected as eIfElseWithOneofParameters } from './expected/if_else_with_oneof_parameters';
import { nestedWithParameters as pNestedWithParameters } from './nested_with_parameters';
import { expected as eNestedWithParameters } from './expected/nested_with_parameters';
import { parametersComplex as pParametersComplex } from './parameters_complex';
import { expected as eParametersComplex } from './expected/parameters_complex';
import { parametersSimple as pParametersSimple } from './parameters_simple';
import { expected as eParametersSimple } from './expected/parameters_simple';
import { pipelineAsExitTask as pPipelineAsExitTask } from './pipeline_as_exit_task';
import { expected as ePipelineAsExitTask } from './expected/pipeline_as_exit_task';
import { pipelineInPipeline as pPipelineInPipeline } from './pipeline_in_pipeline';
import { expected as ePipelineInPipeline } from './expected/pipeline_in_pipeline';
import { pipelineInPipelineComplex as pPipelineInPipelineComplex } from './pipeline_in_pipeline_complex';
import { expected as ePipelineInPipelineComplex } from './expected/pipeline_in_pipeline_complex';
import { pipelineProducerConsumer as pPipelineProducerConsumer } from './pipeline_producer_consumer';
import { expected as ePipelineProducerConsumer } from './expected/pipeline_producer_consumer';
import { pipelineWithAfter as pPipelineWithAfter } from './pipeline_with_after';
import { expected as ePipelineWithAfter } from './expected/pipeline_with_after';
import { pipelineWithConcatPlaceholder as pPipelineWithConcatPlaceholder } from './pipeline_with_concat_placeholder';
import { expected as ePipelineWithConcatPlaceholder } from './expected/pipeline_with_concat_placeholder';
import { pipelineWithCondition as pPipelineWithCondition } from './pipeline_with_condition';
import { expected as ePipelineWithCondition } from './expected/pipeline_with_condition';
import { pipelineWithDynamicImporterMetadata as pPipelineWithDynamicImporterMetadata } from './pipeline_with_dynamic_importer_metadata';
import { expected as ePipelineWithDynamicImporterMetadata } from './expected/pipeline_with_dynamic_importer_metadata';
import { pipelineWithEnv as pPipelineWithEnv } from './pipeline_with_env';
import { expected as ePipelineWithEnv } from './expected/pipeline_with_env';
import { pipelineWithExitHandler as pPipelineWithExitHandler } from './pipeline_with_exit_handler';
import { expected as ePipelineWithExitHandler } from './expected/pipeline_with_exit_handler';
import { pipelineWithIfPlaceholder as pPipelineWithIfPlaceholder } from './pipeline_with_if_placeholder';
import { expected as ePipelineWithIfPlaceholder } from './expected/pipeline_with_if_placeholder';
import { pipelineWithImporter as pPipelineWithImporter } from './pipeline_with_importer';
import { expected as ePipelineWithImporter } from './expected/pipeline_with_importer';
import { pipelineWithLoops as pPipelineWithLoops } from './pipeline_with_loops';
import { expected as ePipelineWithLoops } from './expected/pipeline_with_loops';
import { pipelineWithLoopsAndConditions as pPipelineWithLoopsAndConditions } from './pipeline_with_loops_and_conditions';
import { expected as ePipelineWithLoopsAndConditions } from './expected/pipeline_with_loops_and_conditions';
import { pipelineWithMultipleExitHandlers as pPipelineWithMultipleExitHandlers } from './pipeline_with_multiple_exit_handlers';
import { expected as ePipelineWithMultipleExitHandlers } from './expected/pipeline_with_multiple_exit_handlers';
import { pipelineWithNestedConditions as pPipelineWithNestedConditions } from './pipeline_with_nested_conditions';
import { expected as ePipelineWithNestedConditions } from './expected/pipeline_with_nested_conditions';
import { pipelineWithNestedLoops as pPipelineWithNestedLoops } from './pipeline_with_nested_loops';
import { expected as ePipelineWithNestedLoops } from './expected/pipeline_with_nested_loops';
import { pipelineWithOutputs as pPipelineWithOutputs } from './pipeline_with_outputs';
import { expected as ePipelineWithOutputs } from './expected/pipeline_with_outputs';
import { pipelineWithParallelforParallelism as pPipelineWithParallelforParallelism } from './pipeline_with_parallelfor_parallelism';
import { expected as ePipelineWithParallelforParallelism } from './expected/pipeline_with_parallelfor_parallelism';
import { pipelineWithParallelforListArtifacts as pPipelineWithParallelforListArtifacts } from './pipeline_with_parallelfor_list_artifacts';
import { expected as ePipelineWithParallelforListArtifacts } from './expected/pipeline_with_parallelfor_list_artifacts';
import { pipelineWithParamsContainingFormat as pPipelineWithParamsContainingFormat } from './pipeline_with_params_containing_format';
import { expected as ePipelineWithParamsContainingFormat } from './expected/pipeline_with_params_containing_format';
import { pipelineWithResourceSpec as pPipelineWithResourceSpec } from './pipeline_with_resource_spec';
import { expected as ePipelineWithResourceSpec } from './expected/pipeline_with_resource_spec';
import { pipelineWithPlaceholders as pPipelineWithPlaceholders } from './pipeline_with_placeholders';
import { expected as ePipelineWithPlaceholders } from './expected/pipeline_with_placeholders';
import { pipelineWithRetry as pPipelineWithRetry } from './pipeline_with_retry';
import { expected as ePipelineWithRetry } from './expected/pipeline_with_retry';
import { pipelineWithReusedComponent as pPipelineWithReusedComponent } from './pipeline_with_reused_component';
import { expected as ePipelineWithReusedComponent } from './expected/pipeline_with_reused_component';
import { pipelineWithTaskFinalStatus as pPipelineWithTaskFinalStatus } from './pipeline_with_task_final_status';
import { expected as ePipelineWithTaskFinalStatus } from './expected/pipeline_with_task_final_status';
import { pipelineWithTaskUsingIgnoreUpstreamFailure as pPipelineWithTaskUsingIgnoreUpstreamFailure } from './pipeline_with_task_using_ignore_upstream_failure';
import { expected as ePipelineWithTaskUsingIgnoreUpstreamFailure } from './expected/pipeline_with_task_using_ignore_upstream_failure';
import { twoStepPipelineContainerized as pTwoStepPipelineContainerized } from './two_step_pipeline_containerized';
import { expected as eTwoStepPipelineContainerized } from './expected/two_step_pipeline_containerized';

export interface Port {
  /** File name in this folder (= the KFP test pipeline's name). */
  name: string;
  pipeline: AnyPipeline;
  expected: Expected;
}

export const ports: Port[] = [
  { name: 'artifacts_simple', pipeline: pArtifactsSimple, expected: eArtifactsSimple },
  {
    name: 'conditional_producer_and_consumers',
    pipeline: pConditionalProducerAndConsumers,
    expected: eConditionalProducerAndConsumers,
  },
  {
    name: 'container_with_artifact_output',
    pipeline: pContainerWithArtifactOutput,
    expected: eContainerWithArtifactOutput,
  },
  { name: 'cross_loop_after_topology', pipeline: pCrossLoopAfterTopology, expected: eCrossLoopAfterTopology },
  { name: 'if_elif_else_complex', pipeline: pIfElifElseComplex, expected: eIfElifElseComplex },
  {
    name: 'if_elif_else_with_oneof_parameters',
    pipeline: pIfElifElseWithOneofParameters,
    expected: eIfElifElseWithOneofParameters,
  },
  { name: 'if_else_with_oneof_artifacts', pipeline: pIfElseWithOneofArtifacts, expected: eIfElseWithOneofArtifacts },
  { name: 'if_else_with_oneof_parameters', pipeline: pIfElseWithOneofParameters, expected: eIfElseWithOneofParameters },
  { name: 'nested_with_parameters', pipeline: pNestedWithParameters, expected: eNestedWithParameters },
  { name: 'parameters_complex', pipeline: pParametersComplex, expected: eParametersComplex },
  { name: 'parameters_simple', pipeline: pParametersSimple, expected: eParametersSimple },
  { name: 'pipeline_as_exit_task', pipeline: pPipelineAsExitTask, expected: ePipelineAsExitTask },
  { name: 'pipeline_in_pipeline', pipeline: pPipelineInPipeline, expected: ePipelineInPipeline },
  { name: 'pipeline_in_pipeline_complex', pipeline: pPipelineInPipelineComplex, expected: ePipelineInPipelineComplex },
  { name: 'pipeline_producer_consumer', pipeline: pPipelineProducerConsumer, expected: ePipelineProducerConsumer },
  { name: 'pipeline_with_after', pipeline: pPipelineWithAfter, expected: ePipelineWithAfter },
  {
    name: 'pipeline_with_concat_placeholder',
    pipeline: pPipelineWithConcatPlaceholder,
    expected: ePipelineWithConcatPlaceholder,
  },
  { name: 'pipeline_with_condition', pipeline: pPipelineWithCondition, expected: ePipelineWithCondition },
  {
    name: 'pipeline_with_dynamic_importer_metadata',
    pipeline: pPipelineWithDynamicImporterMetadata,
    expected: ePipelineWithDynamicImporterMetadata,
  },
  { name: 'pipeline_with_env', pipeline: pPipelineWithEnv, expected: ePipelineWithEnv },
  { name: 'pipeline_with_exit_handler', pipeline: pPipelineWithExitHandler, expected: ePipelineWithExitHandler },
  { name: 'pipeline_with_if_placeholder', pipeline: pPipelineWithIfPlaceholder, expected: ePipelineWithIfPlaceholder },
  { name: 'pipeline_with_importer', pipeline: pPipelineWithImporter, expected: ePipelineWithImporter },
  { name: 'pipeline_with_loops', pipeline: pPipelineWithLoops, expected: ePipelineWithLoops },
  {
    name: 'pipeline_with_loops_and_conditions',
    pipeline: pPipelineWithLoopsAndConditions,
    expected: ePipelineWithLoopsAndConditions,
  },
  {
    name: 'pipeline_with_multiple_exit_handlers',
    pipeline: pPipelineWithMultipleExitHandlers,
    expected: ePipelineWithMultipleExitHandlers,
  },
  {
    name: 'pipeline_with_nested_conditions',
    pipeline: pPipelineWithNestedConditions,
    expected: ePipelineWithNestedConditions,
  },
  { name: 'pipeline_with_nested_loops', pipeline: pPipelineWithNestedLoops, expected: ePipelineWithNestedLoops },
  { name: 'pipeline_with_outputs', pipeline: pPipelineWithOutputs, expected: ePipelineWithOutputs },
  {
    name: 'pipeline_with_parallelfor_parallelism',
    pipeline: pPipelineWithParallelforParallelism,
    expected: ePipelineWithParallelforParallelism,
  },
  {
    name: 'pipeline_with_parallelfor_list_artifacts',
    pipeline: pPipelineWithParallelforListArtifacts,
    expected: ePipelineWithParallelforListArtifacts,
  },
  {
    name: 'pipeline_with_params_containing_format',
    pipeline: pPipelineWithParamsContainingFormat,
    expected: ePipelineWithParamsContainingFormat,
  },
  { name: 'pipeline_with_placeholders', pipeline: pPipelineWithPlaceholders, expected: ePipelineWithPlaceholders },
  { name: 'pipeline_with_resource_spec', pipeline: pPipelineWithResourceSpec, expected: ePipelineWithResourceSpec },
  { name: 'pipeline_with_retry', pipeline: pPipelineWithRetry, expected: ePipelineWithRetry },
  {
    name: 'pipeline_with_reused_component',
    pipeline: pPipelineWithReusedComponent,
    expected: ePipelineWithReusedComponent,
  },
  {
    name: 'pipeline_with_task_final_status',
    pipeline: pPipelineWithTaskFinalStatus,
    expected: ePipelineWithTaskFinalStatus,
  },
  {
    name: 'pipeline_with_task_using_ignore_upstream_failure',
    pipeline: pPipelineWithTaskUsingIgnoreUpstreamFailure,
    expected: ePipelineWithTaskUsingIgnoreUpstreamFailure,
  },
  {
    name: 'two_step_pipeline_containerized',
    pipeline: pTwoStepPipelineContainerized,
    expected: eTwoStepPipelineContainerized,
  },
];
