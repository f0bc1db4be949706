/** Every corpus expectation by pipeline name (the file name of pipelines/<name>.py). */
import type { Expectation } from '../expectation';
import { expectation as afterDisplayNames } from './after_display_names';
import { expectation as artifactTypes } from './artifact_types';
import { expectation as cachingOptions } from './caching_options';
import { expectation as componentContainer } from './component_container';
import { expectation as componentPython } from './component_python';
import { expectation as concatPlaceholder } from './concat_placeholder';
import { expectation as conditionIf } from './condition_if';
import { expectation as conditionNumeric } from './condition_numeric';
import { expectation as conditionOnParameter } from './condition_on_parameter';
import { expectation as containerArtifacts } from './container_artifacts';
import { expectation as containerComponent } from './container_component';
import { expectation as controlFlowMix } from './control_flow_mix';
import { expectation as envVariables } from './env_variables';
import { expectation as exitHandler } from './exit_handler';
import { expectation as exitHandlerFailure } from './exit_handler_failure';
import { expectation as fstringInputValues } from './fstring_input_values';
import { expectation as fstringPlaceholders } from './fstring_placeholders';
import { expectation as helloPython } from './hello_python';
import { expectation as identityPlaceholderValues } from './identity_placeholder_values';
import { expectation as identityPlaceholders } from './identity_placeholders';
import { expectation as ifElifElseOneof } from './if_elif_else_oneof';
import { expectation as ifPresentPlaceholder } from './if_present_placeholder';
import { expectation as ignoreUpstreamFailure } from './ignore_upstream_failure';
import { expectation as importer } from './importer';
import { expectation as importerDynamicMetadata } from './importer_dynamic_metadata';
import { expectation as importerParameter } from './importer_parameter';
import { expectation as inputOutputPath } from './input_output_path';
import { expectation as k8sCreatePvc } from './k8s_create_pvc';
import { expectation as k8sFieldPathEnv } from './k8s_field_path_env';
import { expectation as k8sPvcFromParameter } from './k8s_pvc_from_parameter';
import { expectation as k8sScheduling } from './k8s_scheduling';
import { expectation as k8sSecretsConfigMaps } from './k8s_secrets_config_maps';
import { expectation as k8sVolumes } from './k8s_volumes';
import { expectation as loopCollectedArtifacts } from './loop_collected_artifacts';
import { expectation as loopCollectedParameters } from './loop_collected_parameters';
import { expectation as loopConditionCollected } from './loop_condition_collected';
import { expectation as loopDictItems } from './loop_dict_items';
import { expectation as loopLiteral } from './loop_literal';
import { expectation as loopOverArtifacts } from './loop_over_artifacts';
import { expectation as loopOverOutput } from './loop_over_output';
import { expectation as loopParameterParallelism } from './loop_parameter_parallelism';
import { expectation as multipleExitHandlers } from './multiple_exit_handlers';
import { expectation as namedTupleOutputs } from './named_tuple_outputs';
import { expectation as nestedConditions } from './nested_conditions';
import { expectation as nestedLoops } from './nested_loops';
import { expectation as nestedLoopsCollected } from './nested_loops_collected';
import { expectation as nestedLoopsCollectedArtifacts } from './nested_loops_collected_artifacts';
import { expectation as nestedPipelines } from './nested_pipelines';
import { expectation as oneofArtifacts } from './oneof_artifacts';
import { expectation as oneofPipelineOutput } from './oneof_pipeline_output';
import { expectation as optionalInputs } from './optional_inputs';
import { expectation as parameterTypes } from './parameter_types';
import { expectation as pipPackages } from './pip_packages';
import { expectation as pipelineAsExitTask } from './pipeline_as_exit_task';
import { expectation as pipelineConfig } from './pipeline_config';
import { expectation as pipelineInLoop } from './pipeline_in_loop';
import { expectation as pipelineInPipeline } from './pipeline_in_pipeline';
import { expectation as pipelineWorkspace } from './pipeline_workspace';
import { expectation as resourcesAccelerators } from './resources_accelerators';
import { expectation as retryPolicies } from './retry_policies';
import { expectation as slicedMetrics } from './sliced_metrics';
import { expectation as trainingPipeline } from './training_pipeline';
import { expectation as useVenv } from './use_venv';
import { expectation as v1ComponentInPipeline } from './v1_component_in_pipeline';

export const expectations: Record<string, Expectation> = {
  after_display_names: afterDisplayNames,
  artifact_types: artifactTypes,
  caching_options: cachingOptions,
  component_container: componentContainer,
  component_python: componentPython,
  concat_placeholder: concatPlaceholder,
  condition_if: conditionIf,
  condition_numeric: conditionNumeric,
  condition_on_parameter: conditionOnParameter,
  container_artifacts: containerArtifacts,
  container_component: containerComponent,
  control_flow_mix: controlFlowMix,
  env_variables: envVariables,
  exit_handler: exitHandler,
  exit_handler_failure: exitHandlerFailure,
  fstring_input_values: fstringInputValues,
  fstring_placeholders: fstringPlaceholders,
  hello_python: helloPython,
  identity_placeholder_values: identityPlaceholderValues,
  identity_placeholders: identityPlaceholders,
  if_elif_else_oneof: ifElifElseOneof,
  if_present_placeholder: ifPresentPlaceholder,
  ignore_upstream_failure: ignoreUpstreamFailure,
  importer: importer,
  importer_dynamic_metadata: importerDynamicMetadata,
  importer_parameter: importerParameter,
  input_output_path: inputOutputPath,
  k8s_create_pvc: k8sCreatePvc,
  k8s_field_path_env: k8sFieldPathEnv,
  k8s_pvc_from_parameter: k8sPvcFromParameter,
  k8s_scheduling: k8sScheduling,
  k8s_secrets_config_maps: k8sSecretsConfigMaps,
  k8s_volumes: k8sVolumes,
  loop_collected_artifacts: loopCollectedArtifacts,
  loop_collected_parameters: loopCollectedParameters,
  loop_condition_collected: loopConditionCollected,
  loop_dict_items: loopDictItems,
  loop_literal: loopLiteral,
  loop_over_artifacts: loopOverArtifacts,
  loop_over_output: loopOverOutput,
  loop_parameter_parallelism: loopParameterParallelism,
  multiple_exit_handlers: multipleExitHandlers,
  named_tuple_outputs: namedTupleOutputs,
  nested_conditions: nestedConditions,
  nested_loops: nestedLoops,
  nested_loops_collected: nestedLoopsCollected,
  nested_loops_collected_artifacts: nestedLoopsCollectedArtifacts,
  nested_pipelines: nestedPipelines,
  oneof_artifacts: oneofArtifacts,
  oneof_pipeline_output: oneofPipelineOutput,
  optional_inputs: optionalInputs,
  parameter_types: parameterTypes,
  pip_packages: pipPackages,
  pipeline_as_exit_task: pipelineAsExitTask,
  pipeline_config: pipelineConfig,
  pipeline_in_loop: pipelineInLoop,
  pipeline_in_pipeline: pipelineInPipeline,
  pipeline_workspace: pipelineWorkspace,
  resources_accelerators: resourcesAccelerators,
  retry_policies: retryPolicies,
  sliced_metrics: slicedMetrics,
  training_pipeline: trainingPipeline,
  use_venv: useVenv,
  v1_component_in_pipeline: v1ComponentInPipeline,
};
