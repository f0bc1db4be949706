/**
 * kfp-kubernetes can take a secret's name (and other settings) from a pipeline
 * parameter or an upstream output at run time; Kiln's task settings are fixed
 * when the pipeline is compiled. A constant is read; anything else is refused.
 */
import type { JsonValue } from '@kiln/ir';
import type { At } from './reader';

/** The constant of an InputParameterSpec (`runtimeValue.constant`), or a refusal. */
export function constantParameter(at: At, feature: string): JsonValue | undefined {
  if (!at.child('componentInputParameter').missing || !at.child('taskOutputParameter').missing) {
    return at.refuse(
      `${feature} from a pipeline parameter or task output`,
      'Kiln task settings are fixed when the pipeline is compiled; pass a constant',
    );
  }
  at.only({ runtimeValue: null, parameterExpressionSelector: 'parameter expression selectors in platform settings' });
  const runtime = at.child('runtimeValue');
  runtime.only({ constant: null });
  const value = runtime.child('constant').value;
  if (value === undefined || value === null) return at.refuse(feature, 'expected a constant value');
  return value as JsonValue;
}

/** A name given both ways by kfp-kubernetes: the parameter (preferred) or the deprecated plain field. */
export function constantName(
  item: At,
  parameterField: string,
  legacyField: string,
  feature: string,
): string | undefined {
  const parameter = item.child(parameterField);
  if (!parameter.missing) {
    const value = constantParameter(parameter, feature);
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    return parameter.refuse(feature, `expected a name, got ${JSON.stringify(value)}`);
  }
  const legacy = item.child(legacyField).string();
  if (legacy) return legacy;
  return item.refuse(feature, 'no name given');
}
