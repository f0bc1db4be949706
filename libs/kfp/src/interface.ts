/**
 * A KFP component's interface (`inputDefinitions`, `outputDefinitions`) as Kiln
 * inputs and outputs, plus the exact KFP type of each for the `kfp` block of an
 * executor-protocol container.
 */
import type { IoSpec, JsonValue, KfpIoType, KfpParameterType, ParamSpec } from '@kiln/ir';
import type { At } from './reader';
import { artifactTypeOf, isKfpParameterType, kilnValue, PARAMETER_TYPES, PRIMITIVE_TYPES } from './types';

export interface KfpInterface {
  inputs: Record<string, IoSpec>;
  outputs: Record<string, IoSpec>;
  kfpInputs: Record<string, KfpIoType>;
  kfpOutputs: Record<string, KfpIoType>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads a component's input and output definitions (`at` = the component spec). */
export function readInterface(component: At): KfpInterface {
  const result: KfpInterface = { inputs: {}, outputs: {}, kfpInputs: {}, kfpOutputs: {} };
  const inputs = component.child('inputDefinitions');
  inputs.only({ parameters: null, artifacts: null });
  for (const [name, at] of inputs.child('parameters').entries()) {
    const read = readParameter(at, 'input');
    if (read && checkName(at, name, result.inputs)) {
      result.inputs[name] = read.spec;
      result.kfpInputs[name] = { parameterType: read.type };
    }
  }
  for (const [name, at] of inputs.child('artifacts').entries()) {
    const read = readArtifact(at, 'input');
    if (read && checkName(at, name, result.inputs)) {
      result.inputs[name] = read.spec;
      result.kfpInputs[name] = read.type;
    }
  }
  const outputs = component.child('outputDefinitions');
  outputs.only({ parameters: null, artifacts: null });
  for (const [name, at] of outputs.child('parameters').entries()) {
    const read = readParameter(at, 'output');
    if (read && checkName(at, name, result.outputs)) {
      result.outputs[name] = { kind: 'param', type: read.spec.type };
      if (read.spec.description !== undefined) result.outputs[name].description = read.spec.description;
      result.kfpOutputs[name] = { parameterType: read.type };
    }
  }
  for (const [name, at] of outputs.child('artifacts').entries()) {
    const read = readArtifact(at, 'output');
    if (read && checkName(at, name, result.outputs)) {
      result.outputs[name] = read.spec;
      result.kfpOutputs[name] = read.type;
    }
  }
  return result;
}

function checkName(at: At, name: string, taken: Record<string, IoSpec>): boolean {
  if (!IDENTIFIER.test(name)) {
    return Boolean(
      at.refuse('input and output names', `"${name}" is not a Kiln input/output name (letters, digits, underscores)`),
    );
  }
  if (Object.prototype.hasOwnProperty.call(taken, name)) {
    return Boolean(
      at.refuse(
        'a parameter and an artifact with the same name',
        `"${name}" names both a parameter and an artifact; Kiln inputs and outputs share one namespace`,
      ),
    );
  }
  return true;
}

/** The KFP parameter type of a parameter definition (`parameterType`, or the deprecated `type`). */
export function parameterTypeOf(at: At): KfpParameterType | undefined {
  const modern = at.child('parameterType').string();
  if (modern !== undefined) {
    if (modern === 'TASK_CONFIG') {
      return at
        .child('parameterType')
        .refuse('dsl.TaskConfig', 'a TaskConfig input (task config passthrough) has no Kiln equivalent');
    }
    if (isKfpParameterType(modern)) return modern;
    return at.child('parameterType').refuse('parameter types', `unknown KFP parameter type "${modern}"`);
  }
  const legacy = at.child('type').string();
  const mapped = legacy === undefined ? undefined : PRIMITIVE_TYPES[legacy];
  if (mapped) return mapped;
  return at.refuse('parameter types', 'a parameter without a parameterType');
}

function readParameter(at: At, side: 'input' | 'output'): { spec: ParamSpec; type: KfpParameterType } | undefined {
  at.only(
    side === 'input'
      ? { parameterType: null, type: null, defaultValue: null, isOptional: null, description: null, literals: null }
      : { parameterType: null, type: null, description: null },
  );
  const type = parameterTypeOf(at);
  if (!type) return undefined;
  const kilnType = PARAMETER_TYPES[type];
  const spec: ParamSpec = { kind: 'param', type: kilnType };
  const defaultValue = at.child('defaultValue').value;
  if (defaultValue !== undefined && defaultValue !== null)
    spec.default = kilnValue(defaultValue as JsonValue, kilnType);
  // KFP marks every input with a default optional; Kiln needs `optional` only for inputs that may stay unbound.
  if (at.child('isOptional').boolean() && spec.default === undefined) spec.optional = true;
  if (type === 'TASK_FINAL_STATUS') spec.optional = true;
  const literals = at.child('literals').items();
  if (literals.length > 0) spec.enum = literals.map((item) => kilnValue(item.value as JsonValue, kilnType));
  const description = at.child('description').string();
  if (description) spec.description = description;
  return { spec, type };
}

function readArtifact(at: At, side: 'input' | 'output'): { spec: IoSpec; type: KfpIoType } | undefined {
  at.only(
    side === 'input'
      ? { artifactType: null, isArtifactList: null, isOptional: null, description: null }
      : {
          artifactType: null,
          isArtifactList: null,
          description: null,
          metadata: 'output artifact metadata in outputDefinitions',
          properties: 'output artifact properties (deprecated)',
          customProperties: 'output artifact custom properties (deprecated)',
        },
  );
  const typeAt = at.child('artifactType');
  typeAt.only({
    schemaTitle: null,
    schemaVersion: null,
    instanceSchema: 'artifact types given by instanceSchema',
    schemaUri: 'artifact types given by schemaUri (deprecated)',
  });
  const schemaTitle = typeAt.child('schemaTitle').string();
  if (!schemaTitle) return typeAt.refuse('artifact types', 'an artifact type without a schemaTitle');
  const schemaVersion = typeAt.child('schemaVersion').string() ?? '0.0.1';
  const list = at.child('isArtifactList').boolean() === true;
  const spec: IoSpec = { kind: 'artifact', type: artifactTypeOf(schemaTitle) };
  if (list) spec.list = true;
  if (side === 'input' && at.child('isOptional').boolean()) spec.optional = true;
  const description = at.child('description').string();
  if (description) spec.description = description;
  return { spec, type: { schemaTitle, schemaVersion, ...(list && { isArtifactList: true }) } };
}
