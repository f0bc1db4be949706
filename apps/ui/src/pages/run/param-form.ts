/**
 * The re-run form's fields, from the IR's parameter declarations: a number
 * field for int and float, a checkbox for bool, a text field for string, a
 * select for an enum, JSON for lists and objects. What the user typed is read
 * back into typed values and checked with the IR's own parameter check, so the
 * form refuses what the API would refuse, before sending.
 */
import { checkParamValues, type JsonValue, type ParamSpec, type ParamProblem } from '@kiln/ir';

export type ParamInput = 'number' | 'checkbox' | 'text' | 'json' | 'select';

export interface ParamField {
  readonly name: string;
  readonly spec: ParamSpec;
  readonly input: ParamInput;
  /** For a select: each allowed value, as JSON text (also the option's value). */
  readonly options: readonly string[];
}

/** What the form holds for each parameter: text, or a checkbox's state. */
export type ParamFormValues = Readonly<Record<string, string | boolean>>;

function inputOf(spec: ParamSpec): ParamInput {
  if (spec.enum?.length) return 'select';
  if (spec.type === 'bool') return 'checkbox';
  if (spec.type === 'int' || spec.type === 'float') return 'number';
  if (spec.type === 'string') return 'text';
  return 'json';
}

/** One field per declared parameter, in declaration order. */
export function paramFields(declared: Readonly<Record<string, ParamSpec>>): ParamField[] {
  return Object.entries(declared).map(([name, spec]) => ({
    name,
    spec,
    input: inputOf(spec),
    options: (spec.enum ?? []).map((value) => JSON.stringify(value)),
  }));
}

/** How a value shows in its field: a string as it is, numbers as digits, JSON pretty-printed, a select's option as JSON. */
function fieldText(field: ParamField, value: JsonValue | undefined): string | boolean {
  if (field.input === 'checkbox') return value === true;
  if (value === undefined) return '';
  if (field.input === 'select') return JSON.stringify(value);
  if (field.input === 'text' && typeof value === 'string') return value;
  if (field.input === 'number' && typeof value === 'number') return String(value);
  return JSON.stringify(value, null, 2);
}

/**
 * The form prefilled with the run's parameters (a parameter the run lacks shows its default).
 *
 * @example
 * ```ts
 * initialParamValues(paramFields(spec.params), run.params); // { minAccuracy: '0.999', dataUrl: 'sklearn:breast_cancer' }
 * ```
 */
export function initialParamValues(
  fields: readonly ParamField[],
  params: Readonly<Record<string, JsonValue>>,
): Record<string, string | boolean> {
  return Object.fromEntries(
    fields.map((field) => [
      field.name,
      fieldText(field, Object.hasOwn(params, field.name) ? params[field.name] : field.spec.default),
    ]),
  );
}

type Read = { ok: true; value: JsonValue | undefined } | { ok: false; message: string };

function readField(field: ParamField, raw: string | boolean | undefined): Read {
  if (field.input === 'checkbox') return { ok: true, value: raw === true };
  const text = typeof raw === 'string' ? raw : '';
  // An empty field leaves the parameter out: its default applies, or the check says it is required.
  if (text.trim() === '' && field.spec.type !== 'string') return { ok: true, value: undefined };
  if (field.input === 'text') return { ok: true, value: text };
  if (field.input === 'number') {
    const value = Number(text);
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: `must be a number, got "${text}"` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { ok: false, message: `is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * The typed parameters of the form, or what is wrong with each bad one
 * (`checkParamValues` of `@kiln/ir`: types, enums, required values).
 *
 * @example
 * ```ts
 * readParamValues(fields, { minAccuracy: '0.9' }); // { params: { minAccuracy: 0.9 }, problems: [] }
 * readParamValues(fields, { minAccuracy: 'high' }).problems; // [{ param: 'minAccuracy', message: 'must be a number, got "high"' }]
 * ```
 */
export function readParamValues(
  fields: readonly ParamField[],
  values: ParamFormValues,
): { params: Record<string, JsonValue>; problems: ParamProblem[] } {
  const params: Record<string, JsonValue> = {};
  const problems: ParamProblem[] = [];
  for (const field of fields) {
    const read = readField(field, values[field.name]);
    if (!read.ok) problems.push({ param: field.name, message: read.message });
    else if (read.value !== undefined) params[field.name] = read.value;
  }
  if (problems.length > 0) return { params, problems };
  const declared = Object.fromEntries(fields.map((field) => [field.name, field.spec]));
  return { params, problems: checkParamValues(declared, params).problems };
}
