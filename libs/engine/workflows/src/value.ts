/**
 * What a binding resolves to while a DAG runs, tagged with what it is: a
 * parameter value or an artifact. An object parameter that happens to have `uri`
 * and `type` (a config, a model card) stays a parameter; only the tag, set where
 * the value comes from, makes an artifact.
 *
 * Runs started before {@link TAGGED_VALUES_PATCH} told artifacts apart by their
 * shape when they reported pipeline outputs, and sent loop batch children
 * untagged scope parameters; they keep doing so, and children accept both.
 */
import type { JsonValue } from '@kiln/ir';
import type { ArtifactRef } from '@kiln/engine-contract';

/** Patch id: pipeline outputs are told apart by the tag, and loop batch children get tagged scope parameters. */
export const TAGGED_VALUES_PATCH = 'kiln-tagged-values';

/**
 * A value an input can take. An artifact value is one artifact, or a fan-in of
 * them (`collected`); a parameter value is any JSON, fan-ins of parameters included.
 * Over nested loops a fan-in is a list of lists, which `ArtifactRef[]` (like the
 * artifact inputs of the contract's `StepRequest`) does not spell out.
 */
export type Value = { kind: 'param'; value: JsonValue } | { kind: 'artifact'; value: ArtifactRef | ArtifactRef[] };

/** The kind of value an input or a scope parameter holds. */
export type ValueKind = Value['kind'];

/**
 * @example
 * ```ts
 * param({ uri: 's3://b/config.json', type: 'model' }); // a parameter, whatever it looks like
 * ```
 */
export function param(value: JsonValue): Value {
  return { kind: 'param', value };
}

export function artifact(value: ArtifactRef | ArtifactRef[]): Value {
  return { kind: 'artifact', value };
}

/**
 * The value of an input declared as an artifact: an artifact value, or a loop
 * item that is one (a loop over a fan-in of artifacts: loop items are plain JSON,
 * and the input's declaration says what it holds). `undefined` for anything else.
 *
 * @example
 * ```ts
 * artifactFor(param({ uri: 's3://b/m', type: 'model', metadata: {} })); // the item of a loop over models
 * ```
 */
export function artifactFor(value: Value): ArtifactRef | ArtifactRef[] | undefined {
  if (value.kind === 'artifact') return value.value;
  return isArtifactShaped(value.value) ? value.value : undefined;
}

/** Every value of a record tagged with the kind `kindOf` says its name has (an artifact only if it is shaped like one). */
export function tagAll(
  values: Record<string, JsonValue>,
  kindOf: (name: string) => ValueKind = () => 'param',
): Record<string, Value> {
  const tagged: Record<string, Value> = {};
  for (const [name, value] of Object.entries(values)) {
    tagged[name] = kindOf(name) === 'artifact' && isArtifactShaped(value) ? artifact(value) : param(value);
  }
  return tagged;
}

/** The values without their tags, as snapshots of runs before {@link TAGGED_VALUES_PATCH} carried them. */
export function untagAll(values: Record<string, Value>): Record<string, JsonValue> {
  const plain: Record<string, JsonValue> = {};
  for (const [name, tagged] of Object.entries(values)) plain[name] = tagged.value;
  return plain;
}

/**
 * Whether a value has an artifact's shape: an object with `uri` and `type`, or a
 * list of such (of lists, over nested loops). The tag, not this, says what a value
 * is: the shape is checked only where something else already says "artifact" (the
 * tag, an input's declaration) or, for runs before {@link TAGGED_VALUES_PATCH},
 * where the old code looked at it.
 */
export function isArtifactShaped(value: JsonValue): value is ArtifactRef | ArtifactRef[] {
  if (Array.isArray(value)) return value.every(isArtifactShaped);
  return value !== null && typeof value === 'object' && 'uri' in value && 'type' in value;
}
