/**
 * Validation: the schema first (shape, field types, unknown fields), then the
 * meaning (references, scopes, types, cycles). Every problem is returned, not
 * just the first; semantic checks only run on a document of the right shape,
 * since they need to know what each field is.
 */
import { InvalidSpecError, type IrError, type IrErrorCode, type ValidationResult } from './errors';
import { jsonPath, type PathSegment } from './json-path';
import { canonicalJson } from './canonical';
import { addDependency, resolveBinding, type DependencyMap, type Report, type ResolveContext } from './resolve';
import {
  IR_LATEST_SCHEMA_VERSION,
  pipelineSpecSchema,
  type Arg,
  type Binding,
  type Component,
  type Dag,
  type Expr,
  type IoSpec,
  type ItemTypeSpec,
  type JsonValue,
  type Operand,
  type ParamSpec,
  type PipelineSpec,
  type TaskNode,
} from './schema';
import { inputLimits, valueDepthProblem, type InputLimits } from './input-limits';
import { checkKfpExecutor } from './kfp-executor';
import { schemaErrors } from './schema-issues';
import { constantType, describeType, ioValueType, isAssignable, type ValueType } from './value-types';
import { isSupportedVersion, parseVersion, usesKfpProtocol, versionAtLeast } from './version';
import { childDags, componentScope, ownValue, rootScope, walkDag, type DagScope, type NodeVisit } from './walk';

export interface ValidateOptions {
  /** The nesting depth limit (`maxDepth`), checked first (default {@link DEFAULT_INPUT_LIMITS}). */
  limits?: Partial<InputLimits>;
}

/**
 * Checks that `input` is a valid pipeline IR document and returns it typed, or
 * every error found, each with a code and a JSON path.
 *
 * @example
 * ```ts
 * const result = validateSpec(JSON.parse(text));
 * if (!result.ok) for (const e of result.errors) console.error(`${e.path}: ${e.message} [${e.code}]`);
 * ```
 */
export function validateSpec(input: unknown, options: ValidateOptions = {}): ValidationResult<PipelineSpec> {
  // Before anything recursive (the scan below, zod): a value nested thousands deep would overflow the stack.
  const tooDeep = valueDepthProblem(input, inputLimits(options.limits).maxDepth);
  if (tooDeep) return { ok: false, errors: [{ code: 'input-limit', path: tooDeep.path, message: tooDeep.message }] };
  const shapeErrors = scanRaw(input);
  if (shapeErrors.length > 0) return { ok: false, errors: shapeErrors };

  const versionError = checkVersion(input);
  if (versionError) return { ok: false, errors: [versionError] };

  const parsed = pipelineSpecSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: schemaErrors(parsed.error.issues) };

  const errors = semanticErrors(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, spec: parsed.data };
}

/** {@link validateSpec}, throwing an {@link InvalidSpecError} that lists every error. */
export function assertValidSpec(input: unknown): PipelineSpec {
  const result = validateSpec(input);
  if (!result.ok) throw new InvalidSpecError(result.errors);
  return result.spec;
}

/**
 * Things zod cannot say well: object graphs that loop back on themselves (no
 * JSON text produces them, but a caller's object can), and `__proto__` keys,
 * which zod's record parsing would silently drop.
 */
function scanRaw(input: unknown): IrError[] {
  const errors: IrError[] = [];
  const onStack = new Set<object>();
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (value === null || typeof value !== 'object') return;
    if (onStack.has(value)) {
      errors.push({
        code: 'schema',
        path: jsonPath(path),
        message: 'the value contains itself: IR must be a tree of JSON values',
      });
      return;
    }
    onStack.add(value);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else {
      for (const key of Object.keys(value)) {
        if (key === '__proto__') {
          errors.push({
            code: 'schema',
            path: jsonPath([...path, key]),
            message: '"__proto__" is reserved and cannot be used as a key',
          });
        } else visit((value as Record<string, unknown>)[key], [...path, key]);
      }
    }
    onStack.delete(value);
  };
  visit(input, []);
  return errors;
}

function checkVersion(input: unknown): IrError | undefined {
  if (input === null || typeof input !== 'object' || !('schemaVersion' in input)) return undefined;
  const version = input.schemaVersion;
  if (typeof version !== 'string' || !parseVersion(version) || isSupportedVersion(version)) return undefined;
  return {
    code: 'unsupported-version',
    path: '$.schemaVersion',
    message: `IR schema version ${version} is not supported: this Kiln reads ${IR_LATEST_SCHEMA_VERSION} (and older ${IR_LATEST_SCHEMA_VERSION.split('.')[0]}.x); upgrade Kiln or compile with a matching version`,
  };
}

// ---------------------------------------------------------------------------------------------

class Checker {
  readonly errors: IrError[] = [];
  readonly report: Report = (code, path, message) => this.errors.push({ code, path: jsonPath(path), message });

  constructor(readonly spec: PipelineSpec) {}

  run(): IrError[] {
    const { spec } = this;
    for (const [name, param] of Object.entries(spec.params))
      this.checkParamSpec(param, ['params', name], `parameter "${name}"`);
    for (const [name, component] of Object.entries(spec.components)) this.checkComponent(name, component);
    this.checkComponentCycles();
    const scope = rootScope(spec);
    this.checkScope(scope);
    const ctx: ResolveContext = { spec, report: this.report };
    for (const [name, binding] of Object.entries(spec.outputs)) {
      resolveBinding(ctx, { scope, frames: [] }, binding, ['outputs', name]);
    }
    return this.errors;
  }

  checkParamSpec(param: ParamSpec | IoSpec, path: PathSegment[], what: string): void {
    if (param.kind !== 'param') return;
    if (param.items && param.type !== 'list') {
      this.report(
        'type-mismatch',
        [...path, 'items'],
        `${what} is a ${param.type}: only a list parameter has an "items" type`,
      );
    }
    const expected: ValueType = { kind: 'param', type: param.type };
    for (const [i, value] of (param.enum ?? []).entries()) {
      if (!isAssignable(constantType(value), expected)) {
        this.report(
          'enum-violation',
          [...path, 'enum', i],
          `${what}: enum value ${JSON.stringify(value)} is not a ${param.type}`,
        );
      }
    }
    if (param.default === undefined) return;
    const actual = constantType(param.default);
    if (!isAssignable(actual, expected)) {
      this.report(
        'default-type-mismatch',
        [...path, 'default'],
        `${what} is a ${param.type} but its default ${JSON.stringify(param.default)} is a ${describeType(actual).replace(' parameter', '')}`,
      );
    } else if (param.default !== null) {
      this.checkEnum(param, param.default, [...path, 'default'], `${what}: default`);
      if (param.items && Array.isArray(param.default))
        this.checkItems(param.items, param.default, [...path, 'default'], what);
    }
  }

  /** Every element of a list default has the declared `items` type (nested lists too). */
  checkItems(items: ItemTypeSpec, values: JsonValue[], path: PathSegment[], what: string): void {
    values.forEach((value, i) => {
      const actual = constantType(value);
      if (value !== null && !isAssignable(actual, { kind: 'param', type: items.type })) {
        this.report(
          'default-type-mismatch',
          [...path, i],
          `${what}: element ${i} of the default is a ${describeType(actual).replace(' parameter', '')}, not a ${items.type}`,
        );
      } else if (items.items && Array.isArray(value)) this.checkItems(items.items, value, [...path, i], what);
    });
  }

  checkEnum(param: ParamSpec | IoSpec, value: unknown, path: PathSegment[], what: string): void {
    if (param.kind !== 'param' || !param.enum) return;
    const text = canonicalJson(value);
    if (!param.enum.some((allowed) => canonicalJson(allowed) === text)) {
      this.report(
        'enum-violation',
        path,
        `${what} ${JSON.stringify(value)} is not one of ${param.enum.map((v) => JSON.stringify(v)).join(', ')}`,
      );
    }
  }

  checkComponent(name: string, component: Component): void {
    const base: PathSegment[] = ['components', name];
    for (const [input, spec] of Object.entries(component.inputs))
      this.checkParamSpec(spec, [...base, 'inputs', input], `component "${name}" input "${input}"`);
    const impl = component.implementation;
    const implPath = [...base, 'implementation'];
    switch (impl.type) {
      case 'container':
        impl.command.forEach((arg, i) => this.checkArg(component, arg, [...implPath, 'command', i]));
        impl.args?.forEach((arg, i) => this.checkArg(component, arg, [...implPath, 'args', i]));
        if (impl.kfp) checkKfpExecutor(component, impl.kfp, impl.command.length, [...implPath, 'kfp'], this.report);
        if (usesKfpProtocol(component) && !versionAtLeast(this.spec.schemaVersion, '1.1')) {
          this.report(
            'version-too-old',
            implPath,
            `component "${name}" speaks KFP's executor protocol (kfp block or executorInput/executorOutputFile placeholders), which needs schemaVersion 1.1; the spec says ${this.spec.schemaVersion}`,
          );
        }
        return;
      case 'python':
        return;
      case 'importer': {
        const uri = impl.uri;
        if (uri.kind === 'constant' && typeof uri.value !== 'string') {
          this.report(
            'type-mismatch',
            [...implPath, 'uri', 'value'],
            `importer "${name}": the URI must be a string, got ${JSON.stringify(uri.value)}`,
          );
        } else if (uri.kind === 'param') {
          const input = ownValue(component.inputs, uri.name);
          if (!input)
            this.report(
              'unknown-param',
              [...implPath, 'uri', 'name'],
              `importer "${name}" has no input "${uri.name}" to take the URI from`,
            );
          else if (input.kind !== 'param' || input.type !== 'string') {
            this.report(
              'type-mismatch',
              [...implPath, 'uri', 'name'],
              `importer "${name}": the URI input "${uri.name}" must be a string parameter, not a ${describeType(ioValueType(input))}`,
            );
          }
        }
        return;
      }
      case 'dag': {
        const scope = componentScope(this.spec, name) as DagScope;
        this.checkScope(scope);
        const ctx: ResolveContext = { spec: this.spec, report: this.report };
        for (const [output, binding] of Object.entries(impl.outputs)) {
          const at = [...implPath, 'outputs', output];
          const declared = ownValue(component.outputs, output);
          if (!declared)
            this.report(
              'unknown-output',
              at,
              `sub-pipeline "${name}" binds output "${output}" but does not declare it in "outputs"`,
            );
          const actual = resolveBinding(ctx, { scope, frames: [] }, binding, at);
          if (declared && actual)
            this.checkAssignable(actual, declared, binding, at, `sub-pipeline "${name}", output "${output}"`);
        }
        for (const output of Object.keys(component.outputs)) {
          if (!ownValue(impl.outputs, output)) {
            this.report(
              'missing-output',
              [...implPath, 'outputs'],
              `sub-pipeline "${name}" declares output "${output}" but does not bind it to a task output`,
            );
          }
        }
        return;
      }
    }
  }

  checkArg(component: Component, arg: Arg, path: PathSegment[]): void {
    if (typeof arg === 'string') return;
    const inputs = component.inputs;
    switch (arg.kind) {
      case 'runId':
      case 'pipelineName':
      case 'taskId':
      case 'iteration':
      case 'attempt':
      case 'executorInput':
      case 'executorOutputFile':
        return;
      case 'concat':
        arg.items.forEach((item, i) => this.checkArg(component, item, [...path, 'items', i]));
        return;
      case 'ifPresent':
        if (!ownValue(inputs, arg.input))
          this.report(
            'placeholder-unknown-input',
            [...path, 'input'],
            `component "${component.name}" has no input "${arg.input}"`,
          );
        arg.then.forEach((item, i) => this.checkArg(component, item, [...path, 'then', i]));
        arg.else?.forEach((item, i) => this.checkArg(component, item, [...path, 'else', i]));
        return;
      case 'inputValue':
      case 'inputPath':
      case 'inputUri':
      case 'inputMetadata': {
        const input = ownValue(inputs, arg.input);
        if (!input) {
          this.report(
            'placeholder-unknown-input',
            [...path, 'input'],
            `component "${component.name}" has no input "${arg.input}"`,
          );
        } else if (arg.kind === 'inputValue' && input.kind === 'artifact') {
          this.report(
            'placeholder-kind-mismatch',
            path,
            `input "${arg.input}" is an artifact: use inputPath, inputUri or inputMetadata, not inputValue`,
          );
        } else if (arg.kind !== 'inputValue' && input.kind === 'param') {
          this.report(
            'placeholder-kind-mismatch',
            path,
            `input "${arg.input}" is a parameter: use inputValue, not ${arg.kind}`,
          );
        }
        return;
      }
      case 'outputPath':
      case 'outputUri':
      case 'outputMetadata': {
        const output = ownValue(component.outputs, arg.output);
        if (!output) {
          this.report(
            'placeholder-unknown-output',
            [...path, 'output'],
            `component "${component.name}" has no output "${arg.output}"`,
          );
        } else if (arg.kind !== 'outputPath' && output.kind === 'param') {
          // A parameter output is written to a file (outputPath); it has no URI or metadata.
          this.report(
            'placeholder-kind-mismatch',
            path,
            `output "${arg.output}" is a parameter: use outputPath, not ${arg.kind}`,
          );
        }
        return;
      }
    }
  }

  /** Sub-pipelines that use themselves would expand forever. */
  checkComponentCycles(): void {
    const uses = new Map<string, string[]>();
    for (const [name, component] of Object.entries(this.spec.components)) {
      if (component.implementation.type !== 'dag') continue;
      const used: string[] = [];
      for (const visit of walkDag(component.implementation.dag))
        if (visit.node.type === 'task') used.push(visit.node.component);
      uses.set(name, used);
    }
    for (const cycle of findCycles([...uses.keys()], (name) => uses.get(name) ?? [])) {
      this.report(
        'component-cycle',
        ['components', cycle[0] as string, 'implementation', 'dag'],
        `sub-pipeline components use each other in a circle: ${[...cycle, cycle[0]].join(' → ')}`,
      );
    }
  }

  checkScope(scope: DagScope): void {
    const ctx: ResolveContext = { spec: this.spec, report: this.report, deps: new Map() };
    const deps = ctx.deps as DependencyMap;
    const seen = new Map<string, readonly PathSegment[]>();
    const dags: { dag: Dag; path: readonly PathSegment[] }[] = [{ dag: scope.dag, path: scope.path }];
    for (const visit of walkDag(scope.dag, scope.path)) {
      const first = seen.get(visit.id);
      if (first) {
        this.report(
          'duplicate-task-id',
          visit.path,
          `task id "${visit.id}" is already used at ${jsonPath(first)}; ids must be unique across the ${scope.component ? `sub-pipeline "${scope.component}"` : 'pipeline'}, nested groups included`,
        );
      } else seen.set(visit.id, visit.path);
      for (const child of childDags(visit.node)) dags.push({ dag: child.dag, path: [...visit.path, ...child.path] });
      this.checkDependsOn(scope, visit, deps);
      this.checkNode(ctx, scope, visit);
    }
    for (const { dag, path } of dags) this.checkCycles(dag, path, deps.get(dag));
  }

  checkDependsOn(scope: DagScope, visit: NodeVisit, deps: DependencyMap): void {
    visit.node.dependsOn.forEach((dep, i) => {
      const path = [...visit.path, 'dependsOn', i];
      if (ownValue(visit.dag.tasks, dep)) {
        addDependency(deps, visit.dag, visit.id, dep);
        return;
      }
      const elsewhere = scope.nodes.get(dep);
      this.report(
        'dependency-not-sibling',
        path,
        elsewhere
          ? `"${visit.id}" depends on "${dep}", which is not in the same DAG (it is at ${jsonPath(elsewhere.path)}): dependsOn names siblings; data bindings reach outer DAGs`
          : `"${visit.id}" depends on "${dep}", which does not exist`,
      );
    });
  }

  checkNode(ctx: ResolveContext, scope: DagScope, visit: NodeVisit): void {
    const node = visit.node;
    if (node.type === 'task') return this.checkTask(ctx, scope, visit, node);
    if (node.type === 'loop') {
      const type = resolveBinding(ctx, { scope, frames: visit.scopes, nodeId: visit.id }, node.items, [
        ...visit.path,
        'items',
      ]);
      const isList =
        type &&
        ((type.kind === 'param' && (type.type === 'list' || type.type === 'any')) ||
          (type.kind === 'artifact' && type.list));
      if (type && !isList) {
        this.report(
          'type-mismatch',
          [...visit.path, 'items'],
          `loop "${visit.id}": items must be a list, got ${describeType(type)}`,
        );
      }
      return;
    }
    if (node.type === 'condition') {
      const site = { scope, frames: visit.scopes, nodeId: visit.id };
      node.branches.forEach((branch, i) => {
        const at = [...visit.path, 'branches', i];
        if (!branch.when && i < node.branches.length - 1) {
          this.report(
            'otherwise-not-last',
            at,
            `condition "${visit.id}": branch ${i} has no "when" (it is the otherwise branch), so it must be the last branch`,
          );
        }
        if (branch.when) this.checkExpr(ctx, site, branch.when, [...at, 'when'], visit.id);
      });
    }
  }

  checkExpr(
    ctx: ResolveContext,
    site: Parameters<typeof resolveBinding>[1],
    expr: Expr,
    path: PathSegment[],
    id: string,
  ): void {
    if ('args' in expr) return expr.args.forEach((arg, i) => this.checkExpr(ctx, site, arg, [...path, 'args', i], id));
    if ('arg' in expr) return this.checkExpr(ctx, site, expr.arg, [...path, 'arg'], id);
    const operand = (o: Operand, side: 'left' | 'right'): ValueType | undefined => {
      const type = resolveBinding(ctx, site, o, [...path, side]);
      if (type?.kind === 'artifact') {
        this.report(
          'type-mismatch',
          [...path, side],
          `condition "${id}": conditions compare parameters, not artifacts (got ${describeType(type)})`,
        );
        return undefined;
      }
      return type;
    };
    const left = operand(expr.left, 'left');
    const right = operand(expr.right, 'right');
    if (left?.kind !== 'param' || right?.kind !== 'param') return;
    const numeric = (t: string) => t === 'int' || t === 'float' || t === 'any';
    if (expr.op === 'in') {
      if (right.type !== 'list' && right.type !== 'any') {
        this.report(
          'type-mismatch',
          [...path, 'right'],
          `condition "${id}": the right side of "in" must be a list, got ${describeType(right)}`,
        );
      }
      return;
    }
    const comparable =
      left.type === 'any' ||
      right.type === 'any' ||
      left.type === right.type ||
      (numeric(left.type) && numeric(right.type));
    const ordered = expr.op === 'eq' || expr.op === 'ne' || left.type === 'string' || numeric(left.type);
    if (!comparable || !ordered) {
      this.report(
        'type-mismatch',
        path,
        `condition "${id}": cannot apply "${expr.op}" to ${describeType(left)} and ${describeType(right)}`,
      );
    }
  }

  checkTask(ctx: ResolveContext, scope: DagScope, visit: NodeVisit, task: TaskNode): void {
    const component = ownValue(this.spec.components, task.component);
    if (!component) {
      const names = Object.keys(this.spec.components);
      this.report(
        'unknown-component',
        [...visit.path, 'component'],
        `task "${visit.id}" uses component "${task.component}", which is not defined${names.length ? ` (defined: ${names.join(', ')})` : ''}`,
      );
    }
    const site = { scope, frames: visit.scopes, nodeId: visit.id };
    for (const [name, binding] of Object.entries(task.inputs)) {
      const path = [...visit.path, 'inputs', name];
      const declared = component && ownValue(component.inputs, name);
      if (component && !declared) {
        const names = Object.keys(component.inputs);
        this.report(
          'unknown-input',
          path,
          `component "${task.component}" has no input "${name}"${names.length ? `; its inputs are: ${names.join(', ')}` : ''}`,
        );
      }
      const actual = resolveBinding(ctx, site, binding, path);
      if (!declared || !actual) continue;
      const what = `task "${visit.id}", input "${name}"`;
      if (
        this.checkAssignable(actual, declared, binding, path, what) &&
        binding.kind === 'constant' &&
        binding.value !== null
      ) {
        this.checkEnum(declared, binding.value, [...path, 'value'], `${what}: value`);
      }
    }
    if (!component) return;
    for (const [name, declared] of Object.entries(component.inputs)) {
      const required = !declared.optional && (declared.kind === 'artifact' || declared.default === undefined);
      if (required && !ownValue(task.inputs, name)) {
        this.report(
          'missing-input',
          [...visit.path, 'inputs'],
          `task "${visit.id}": component "${task.component}" requires input "${name}" (${describeType(ioValueType(declared))}), which is not bound and has no default`,
        );
      }
    }
  }

  /** Reports a type mismatch; returns whether the types fit. */
  checkAssignable(actual: ValueType, declared: IoSpec, binding: Binding, path: PathSegment[], what: string): boolean {
    const expected = ioValueType(declared);
    if (isAssignable(actual, expected)) return true;
    const hint =
      binding.kind === 'collected' && expected.kind === 'artifact' && !expected.list
        ? ' (collected gives a list: declare the input with list: true)'
        : binding.kind !== 'collected' && expected.kind === 'artifact' && expected.list && actual.kind === 'artifact'
          ? ' (a list input takes a collected binding)'
          : '';
    this.report(
      'type-mismatch',
      path,
      `${what}: expected ${describeType(expected)}, got ${describeType(actual)}${hint}`,
    );
    return false;
  }

  checkCycles(dag: Dag, path: readonly PathSegment[], edges: Map<string, Set<string>> | undefined): void {
    if (!edges) return;
    const ids = Object.keys(dag.tasks);
    for (const cycle of findCycles(ids, (id) => [...(edges.get(id) ?? [])])) {
      const message =
        cycle.length === 1
          ? `"${cycle[0]}" depends on itself`
          : `tasks depend on each other in a circle: ${[...cycle, cycle[0]].join(' → ')} (through dependsOn or data bindings)`;
      this.report('cycle', [...path, 'tasks', cycle[0] as string], message);
    }
  }
}

/**
 * The distinct cycles of a directed graph (each reported once, starting from
 * its smallest reachable entry), without recursion so long chains cannot
 * overflow the stack.
 */
export function findCycles(nodes: readonly string[], edgesOf: (node: string) => readonly string[]): string[][] {
  const known = new Set(nodes);
  const out = new Map<string, string[]>(nodes.map((n) => [n, edgesOf(n).filter((m) => known.has(m))]));
  // Peel off nodes whose dependencies are all settled (Kahn); what is left is a cycle or waits on one.
  const remaining = new Set(nodes);
  const pending = new Map(nodes.map((n) => [n, (out.get(n) as string[]).length]));
  const incoming = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const n of nodes) for (const m of out.get(n) as string[]) incoming.get(m)?.push(n);
  const ready = nodes.filter((n) => pending.get(n) === 0);
  while (ready.length > 0) {
    const n = ready.pop() as string;
    remaining.delete(n);
    for (const m of incoming.get(n) as string[]) {
      const left = (pending.get(m) as number) - 1;
      pending.set(m, left);
      if (left === 0) ready.push(m);
    }
  }
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of [...remaining].sort()) {
    if (done.has(start)) continue;
    const order: string[] = [];
    const position = new Map<string, number>();
    let current: string | undefined = start;
    while (current !== undefined && !position.has(current) && !done.has(current)) {
      position.set(current, order.length);
      order.push(current);
      current = (out.get(current) as string[]).filter((m) => remaining.has(m)).sort()[0];
    }
    if (current !== undefined && position.has(current)) cycles.push(order.slice(position.get(current)));
    for (const n of order) done.add(n);
  }
  return cycles;
}

function semanticErrors(spec: PipelineSpec): IrError[] {
  return new Checker(spec).run();
}

export type { IrErrorCode };
