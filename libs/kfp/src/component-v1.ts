/**
 * A KFP v1 `component.yaml` → a Kiln container component, following the rules
 * the KFP v2 SDK uses to load one: names are sanitized (`Input path` →
 * `input_path`), an input or output whose type is a parameter type (String,
 * Integer, Float, Bool, JsonObject, JsonArray...) is a parameter and anything
 * else an artifact. One deviation: an untyped input that the command uses as a
 * value (`inputValue`) is a string parameter (KFP would make it an artifact and
 * fail at run time).
 */
import type { Arg, ArtifactType, Component, IoSpec, JsonValue, KfpIoType, KfpParameterType, ParamType } from '@kiln/ir';
import { toDnsLabel } from './names';
import { At, isRecord } from './reader';

const PARAMETER_TYPES: Readonly<Record<string, { type: ParamType; kfp: KfpParameterType }>> = {
  integer: { type: 'int', kfp: 'NUMBER_INTEGER' },
  int: { type: 'int', kfp: 'NUMBER_INTEGER' },
  double: { type: 'float', kfp: 'NUMBER_DOUBLE' },
  float: { type: 'float', kfp: 'NUMBER_DOUBLE' },
  string: { type: 'string', kfp: 'STRING' },
  str: { type: 'string', kfp: 'STRING' },
  text: { type: 'string', kfp: 'STRING' },
  bool: { type: 'bool', kfp: 'BOOLEAN' },
  boolean: { type: 'bool', kfp: 'BOOLEAN' },
  dict: { type: 'object', kfp: 'STRUCT' },
  list: { type: 'list', kfp: 'LIST' },
  jsonobject: { type: 'object', kfp: 'STRUCT' },
  jsonarray: { type: 'list', kfp: 'LIST' },
};

const ARTIFACT_TYPES: Readonly<Record<string, { type: ArtifactType; title: string }>> = {
  artifact: { type: 'artifact', title: 'system.Artifact' },
  model: { type: 'model', title: 'system.Model' },
  dataset: { type: 'dataset', title: 'system.Dataset' },
  metrics: { type: 'metrics', title: 'system.Metrics' },
  classificationmetrics: { type: 'classificationMetrics', title: 'system.ClassificationMetrics' },
  slicedclassificationmetrics: { type: 'artifact', title: 'system.SlicedClassificationMetrics' },
  html: { type: 'html', title: 'system.HTML' },
  markdown: { type: 'markdown', title: 'system.Markdown' },
};

/** KFP's `sanitize_input_name`. */
export function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^_0-9a-z]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

interface Declared {
  spec: IoSpec;
  kfp: KfpIoType;
}

/** Translates the v1 component document at `doc`. */
export function translateV1Component(doc: At): Component | undefined {
  doc.only({ name: null, description: null, inputs: null, outputs: null, implementation: null, metadata: null });
  const impl = doc.child('implementation');
  impl.only({ container: null, graph: 'v1 graph components (implementation.graph)' });
  const container = impl.child('container');
  container.only({
    image: null,
    command: null,
    args: null,
    env: 'env in a v1 component (Kiln sets env per task: .env() / set_env_variable)',
    fileOutputs: 'v1 fileOutputs',
  });
  if (container.missing) return undefined;
  const usedAsValue = new Set<string>();
  collectValueInputs([container.child('command').value, container.child('args').value], usedAsValue);
  const inputs = declare(doc.child('inputs'), 'input', usedAsValue);
  const outputs = declare(doc.child('outputs'), 'output', usedAsValue);
  const image = container.child('image').string();
  const ctx: V1Context = { inputs, outputs };
  const command = v1Args(container.child('command'), ctx);
  const args = v1Args(container.child('args'), ctx);
  if (!image) return container.child('image').refuse('v1 components', 'a container without an image');
  if (!command || !args) return undefined;
  if (command.length === 0) {
    return container
      .child('command')
      .refuse("containers that run the image's entrypoint", 'the container has no command');
  }
  const component: Component = {
    name: toDnsLabel(doc.child('name').string() ?? 'component', 'component'),
    inputs: mapValues(inputs, (d) => d.spec),
    outputs: mapValues(outputs, (d) => d.spec),
    implementation: { type: 'container', image, command, ...(args.length > 0 && { args }) },
  };
  const description = doc.child('description').string();
  if (description) component.description = description;
  if (JSON.stringify([command, args]).includes('"executorInput"') && component.implementation.type === 'container') {
    component.implementation.kfp = {
      inputs: mapValues(inputs, (d) => d.kfp),
      outputs: mapValues(outputs, (d) => d.kfp),
    };
  }
  return component;
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/** Names of inputs the command uses as values (`{inputValue: x}`), raw (not yet sanitized). */
function collectValueInputs(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectValueInputs(v, out));
  else if (isRecord(value)) {
    if (typeof value['inputValue'] === 'string') out.add(sanitizeName(value['inputValue']));
    Object.values(value).forEach((v) => collectValueInputs(v, out));
  }
}

function declare(list: At, side: 'input' | 'output', usedAsValue: ReadonlySet<string>): Record<string, Declared> {
  const out: Record<string, Declared> = {};
  for (const item of list.items()) {
    item.only(
      side === 'input'
        ? { name: null, type: null, description: null, default: null, optional: null, annotations: null }
        : { name: null, type: null, description: null, annotations: null },
    );
    const raw = item.child('name').string() ?? '';
    const name = sanitizeName(raw);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || Object.prototype.hasOwnProperty.call(out, name)) {
      item
        .child('name')
        .report('v1 components', `"${raw}" gives no usable or a duplicate input/output name ("${name}")`);
      continue;
    }
    const declared = declareOne(item, side, name, usedAsValue);
    if (declared) out[name] = declared;
  }
  return out;
}

function declareOne(
  item: At,
  side: 'input' | 'output',
  name: string,
  usedAsValue: ReadonlySet<string>,
): Declared | undefined {
  const typeValue = item.child('type').value;
  const typeName = typeof typeValue === 'string' ? typeValue.replace(/\[.*\]$/, '') : undefined;
  const optional = side === 'input' && (item.child('optional').boolean() === true || !item.child('default').missing);
  const description = item.child('description').string();
  const common = { ...(description && { description }) };
  if (typeName === 'PipelineTaskFinalStatus') {
    return {
      spec: { kind: 'param', type: 'object', optional: true, ...common },
      kfp: { parameterType: 'TASK_FINAL_STATUS' },
    };
  }
  const parameter =
    typeName !== undefined && Object.prototype.hasOwnProperty.call(PARAMETER_TYPES, typeName.toLowerCase())
      ? PARAMETER_TYPES[typeName.toLowerCase()]
      : typeValue === undefined && side === 'input' && usedAsValue.has(name)
        ? PARAMETER_TYPES['string']
        : undefined;
  if (parameter) {
    const spec: IoSpec = { kind: 'param', type: parameter.type, ...common };
    if (side === 'input') {
      const fallback = item.child('default');
      if (!fallback.missing) {
        const value = v1Default(fallback, parameter.type);
        if (value === undefined) return undefined;
        spec.default = value;
      } else if (optional) spec.optional = true;
    }
    return { spec, kfp: { parameterType: parameter.kfp } };
  }
  const artifact =
    typeName !== undefined && Object.prototype.hasOwnProperty.call(ARTIFACT_TYPES, typeName.toLowerCase())
      ? ARTIFACT_TYPES[typeName.toLowerCase()]
      : undefined;
  const title = artifact?.title ?? (typeName && /^google\.[A-Za-z]+$/.test(typeName) ? typeName : 'system.Artifact');
  const spec: IoSpec = {
    kind: 'artifact',
    type: artifact?.type ?? 'artifact',
    ...(optional && { optional: true }),
    ...common,
  };
  return { spec, kfp: { schemaTitle: title, schemaVersion: '0.0.1' } };
}

/** v1 defaults are usually strings; KFP casts them by type. */
function v1Default(at: At, type: ParamType): JsonValue | undefined {
  const value = at.value;
  if (typeof value !== 'string') return value as JsonValue;
  switch (type) {
    case 'int':
      return /^-?\d+$/.test(value.trim())
        ? Number(value)
        : at.refuse('v1 components', `default "${value}" is not an integer`);
    case 'float':
      return Number.isFinite(Number(value)) && value.trim() !== ''
        ? Number(value)
        : at.refuse('v1 components', `default "${value}" is not a number`);
    case 'bool': {
      const lower = value.toLowerCase();
      if (['y', 'yes', 't', 'true', 'on', '1'].includes(lower)) return true;
      if (['n', 'no', 'f', 'false', 'off', '0'].includes(lower)) return false;
      return at.refuse('v1 components', `default "${value}" is not a boolean`);
    }
    case 'list':
    case 'object':
      try {
        return JSON.parse(value) as JsonValue;
      } catch {
        return at.refuse('v1 components', `default "${value}" is not JSON`);
      }
    default:
      return value;
  }
}

interface V1Context {
  inputs: Record<string, Declared>;
  outputs: Record<string, Declared>;
}

function v1Args(list: At, ctx: V1Context): Arg[] | undefined {
  const args = list.items().map((item) => v1Arg(item, item.value, ctx));
  return args.some((a) => a === undefined) ? undefined : (args as Arg[]);
}

function v1Arg(at: At, value: unknown, ctx: V1Context): Arg | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isRecord(value) || Object.keys(value).length !== 1) {
    return at.refuse('v1 placeholders', `expected a string or one placeholder, got ${JSON.stringify(value)}`);
  }
  const [key, arg] = Object.entries(value)[0] as [string, unknown];
  const list = (items: unknown): Arg[] | undefined => {
    const args = (Array.isArray(items) ? items : items === undefined ? [] : [items]).map((i) => v1Arg(at, i, ctx));
    return args.some((a) => a === undefined) ? undefined : (args as Arg[]);
  };
  switch (key) {
    case 'inputValue':
    case 'inputPath':
    case 'inputUri':
      return ioArg(at, key, String(arg), ctx);
    case 'outputPath':
    case 'outputUri':
      return ioArg(at, key, String(arg), ctx);
    case 'executorInput':
      return { kind: 'executorInput' };
    case 'concat': {
      const items = list(arg);
      return items && { kind: 'concat', items };
    }
    case 'if':
      return v1If(at, arg, ctx, list);
    default:
      return at.refuse('v1 placeholders', `unknown v1 placeholder "${key}"`);
  }
}

function v1If(at: At, arg: unknown, ctx: V1Context, list: (items: unknown) => Arg[] | undefined): Arg | undefined {
  const cond = isRecord(arg) && isRecord(arg['cond']) ? arg['cond'] : undefined;
  const present = cond && typeof cond['isPresent'] === 'string' ? sanitizeName(cond['isPresent']) : undefined;
  if (!isRecord(arg) || present === undefined) {
    return at.refuse('v1 if placeholders', 'only {if: {cond: {isPresent: <input>}, then, else}} has a Kiln equivalent');
  }
  if (!Object.prototype.hasOwnProperty.call(ctx.inputs, present)) {
    return at.refuse('v1 if placeholders', `isPresent names "${present}", which is not an input`);
  }
  const then = list(arg['then']);
  const otherwise = list(arg['else']);
  if (!then || !otherwise) return undefined;
  return { kind: 'ifPresent', input: present, then, ...(otherwise.length > 0 && { else: otherwise }) };
}

function ioArg(
  at: At,
  kind: 'inputValue' | 'inputPath' | 'inputUri' | 'outputPath' | 'outputUri',
  raw: string,
  ctx: V1Context,
): Arg | undefined {
  const name = sanitizeName(raw);
  const isInput = kind.startsWith('input');
  const declared = (isInput ? ctx.inputs : ctx.outputs)[name];
  if (!declared)
    return at.refuse('v1 placeholders', `{${kind}: ${raw}} names an undeclared ${isInput ? 'input' : 'output'}`);
  if (kind === 'inputValue' && declared.spec.kind === 'artifact') {
    return at.refuse(
      'v1 placeholders',
      `{inputValue: ${raw}}: "${name}" is an artifact (its type is not a parameter type)`,
    );
  }
  if ((kind === 'inputPath' || kind === 'inputUri') && declared.spec.kind === 'param') {
    return at.refuse(
      `v1 {${kind}} of a parameter`,
      `"${name}" is a ${declared.spec.type} parameter; Kiln passes parameters as values`,
    );
  }
  if (kind === 'outputUri' && declared.spec.kind === 'param') {
    return at.refuse('v1 {outputUri} of a parameter', `"${name}" is a parameter output; use outputPath`);
  }
  switch (kind) {
    case 'inputValue':
    case 'inputPath':
    case 'inputUri':
      return { kind, input: name };
    case 'outputPath':
    case 'outputUri':
      return { kind, output: name };
  }
}
