/**
 * A container's `kfp` block must describe exactly the component's interface:
 * the launcher writes KFP's `executor_input` from it, so a name it lacks, or a
 * parameter it calls an artifact, would reach the program wrong at run time.
 */
import type { PathSegment } from './json-path';
import type { Report } from './resolve';
import type { Component, IoSpec, KfpExecutor, KfpIoType, KfpParameterType, ParamType } from './schema';
import { ownValue } from './walk';

/** The Kiln parameter type each KFP parameter type carries. */
export const KFP_PARAMETER_TYPES: Readonly<Record<KfpParameterType, ParamType>> = {
  STRING: 'string',
  NUMBER_INTEGER: 'int',
  NUMBER_DOUBLE: 'float',
  BOOLEAN: 'bool',
  LIST: 'list',
  STRUCT: 'object',
  TASK_FINAL_STATUS: 'object',
};

/** Reports every way `kfp` and the component's inputs/outputs disagree. */
export function checkKfpExecutor(
  component: Component,
  kfp: KfpExecutor,
  commandLength: number,
  path: PathSegment[],
  report: Report,
): void {
  for (const side of ['inputs', 'outputs'] as const) {
    const declared = component[side];
    const described = kfp[side];
    for (const [name, spec] of Object.entries(declared)) {
      const type = ownValue(described, name);
      if (!type) {
        report(
          'kfp-interface-mismatch',
          [...path, side],
          `component "${component.name}": ${side === 'inputs' ? 'input' : 'output'} "${name}" has no KFP type in kfp.${side}`,
        );
      } else {
        const problem = mismatch(spec, type);
        if (problem) {
          report(
            'kfp-interface-mismatch',
            [...path, side, name],
            `component "${component.name}", ${side === 'inputs' ? 'input' : 'output'} "${name}": ${problem}`,
          );
        }
      }
    }
    for (const name of Object.keys(described)) {
      if (!ownValue(declared, name)) {
        report(
          'kfp-interface-mismatch',
          [...path, side, name],
          `component "${component.name}" has no ${side === 'inputs' ? 'input' : 'output'} "${name}" for kfp.${side} to describe`,
        );
      }
    }
  }
  const prefix = kfp.pythonBootstrap?.commandPrefix;
  if (prefix !== undefined && prefix >= commandLength) {
    report(
      'kfp-interface-mismatch',
      [...path, 'pythonBootstrap', 'commandPrefix'],
      `component "${component.name}": the bootstrap takes ${prefix} command elements but the command has only ${commandLength}, leaving nothing to run`,
    );
  }
}

function mismatch(spec: IoSpec, type: KfpIoType): string | undefined {
  if ('parameterType' in type) {
    if (spec.kind !== 'param') return `${describe(spec)} is described as KFP parameter type ${type.parameterType}`;
    const expected = KFP_PARAMETER_TYPES[type.parameterType];
    return spec.type === expected
      ? undefined
      : `${describe(spec)} is described as KFP ${type.parameterType} (${article(expected)} ${expected})`;
  }
  if (spec.kind !== 'artifact') return `${describe(spec)} is described as KFP artifact ${type.schemaTitle}`;
  if (Boolean(spec.list) !== Boolean(type.isArtifactList)) {
    return spec.list
      ? `a list of artifacts is described as one KFP artifact (isArtifactList is not set)`
      : `one artifact is described as a KFP artifact list`;
  }
  return undefined;
}

function describe(spec: IoSpec): string {
  return `${article(spec.type)} ${spec.type} ${spec.kind === 'param' ? 'parameter' : 'artifact'}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
