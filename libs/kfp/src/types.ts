/**
 * KFP's value types and Kiln's. Parameters map one to one (KFP's
 * `TASK_FINAL_STATUS` is an object in Kiln; the exact KFP type is kept in the
 * container's `kfp` block). Artifact schema titles map to Kiln's artifact types;
 * titles Kiln has no type for (`system.SlicedClassificationMetrics`,
 * `google.VertexModel`, user types) become the generic `artifact`.
 */
import {
  KFP_PARAMETER_TYPES,
  type ArtifactType,
  type JsonValue,
  type KfpParameterType,
  type ParamType,
} from '@kiln/ir';

/** KFP parameter type → Kiln parameter type (the table libs/ir checks `kfp` blocks with). */
export const PARAMETER_TYPES = KFP_PARAMETER_TYPES;

/** KFP's deprecated `type:` field (`PrimitiveType`), still read for old YAML. */
export const PRIMITIVE_TYPES: Readonly<Record<string, KfpParameterType>> = {
  INT: 'NUMBER_INTEGER',
  DOUBLE: 'NUMBER_DOUBLE',
  STRING: 'STRING',
};

export function isKfpParameterType(value: string): value is KfpParameterType {
  return Object.prototype.hasOwnProperty.call(PARAMETER_TYPES, value);
}

const ARTIFACT_TYPES: Readonly<Record<string, ArtifactType>> = {
  'system.Artifact': 'artifact',
  'system.Dataset': 'dataset',
  'system.Model': 'model',
  'system.Metrics': 'metrics',
  'system.ClassificationMetrics': 'classificationMetrics',
  'system.HTML': 'html',
  'system.Markdown': 'markdown',
};

/** The Kiln artifact type for a KFP schema title (the generic `artifact` when Kiln has none). */
export function artifactTypeOf(schemaTitle: string): ArtifactType {
  return Object.prototype.hasOwnProperty.call(ARTIFACT_TYPES, schemaTitle)
    ? (ARTIFACT_TYPES[schemaTitle] as ArtifactType)
    : 'artifact';
}

/**
 * A KFP value as the Kiln type expects it. Protobuf's `Value` has one number
 * type, so KFP writes an int default as `3.0`; YAML reads that as the number 3
 * already, but a JSON-ish writer may give a string for 64-bit integers.
 */
export function kilnValue(value: JsonValue, type: ParamType): JsonValue {
  if (type === 'int' && typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return value;
}
