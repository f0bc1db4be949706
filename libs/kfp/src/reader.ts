/**
 * Walking a KFP document with its path in hand. Every value is read through an
 * {@link At}: it knows where it is, reports a wrong type as a problem at that
 * place, and {@link At.only} turns each field the translator does not map into
 * a refusal naming the field and its KFP feature — so an unknown or unmapped
 * field can never be skipped by accident.
 */
import type { KfpProblem } from './errors';
import { formatPath, type KfpSource, type YamlPath } from './source';

/**
 * Collects problems while translation goes on, so one run reports them all.
 * A value reached along several routes (a group input used by many tasks) is
 * reported once.
 */
export class Problems {
  readonly list: KfpProblem[] = [];
  private readonly seen = new Set<string>();
  constructor(readonly source: KfpSource) {}

  add(document: number, path: YamlPath, feature: string, message: string): void {
    const key = JSON.stringify([document, path, feature, message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const pos = this.source.locate(document, path);
    this.list.push({
      path: formatPath(path),
      feature,
      message,
      document,
      ...(pos && { line: pos.line, column: pos.column }),
    });
  }
}

/** For {@link At.only}: `null` = a field the caller reads, a string = the KFP feature it would need. */
export type FieldPolicy = Readonly<Record<string, string | null>>;

/** A value in a KFP document, with its path. */
export class At {
  constructor(
    readonly value: unknown,
    readonly path: YamlPath,
    readonly problems: Problems,
    readonly document = 1,
  ) {}

  get missing(): boolean {
    return this.value === undefined || this.value === null;
  }

  child(key: string | number): At {
    const value =
      typeof key === 'number'
        ? Array.isArray(this.value)
          ? this.value[key]
          : undefined
        : isRecord(this.value) && Object.prototype.hasOwnProperty.call(this.value, key)
          ? this.value[key]
          : undefined;
    return new At(value, [...this.path, key], this.problems, this.document);
  }

  /** Reports a problem at this value. */
  report(feature: string, message: string): void {
    this.problems.add(this.document, this.path, feature, message);
  }

  /** Reports and returns undefined, for `return at.refuse(...)`. */
  refuse(feature: string, message: string): undefined {
    this.report(feature, message);
    return undefined;
  }

  /** The value as a map (reports anything else that is present). */
  record(): Record<string, unknown> | undefined {
    if (this.missing) return undefined;
    if (isRecord(this.value)) return this.value;
    return this.refuse('KFP document', `expected a map, got ${describe(this.value)}`);
  }

  /** The entries of a map, each as an {@link At}. */
  entries(): [string, At][] {
    const record = this.record();
    return record ? Object.keys(record).map((key) => [key, this.child(key)]) : [];
  }

  /** The elements of a list, each as an {@link At}. */
  items(): At[] {
    if (this.missing) return [];
    if (!Array.isArray(this.value)) {
      this.report('KFP document', `expected a list, got ${describe(this.value)}`);
      return [];
    }
    return this.value.map((_, i) => this.child(i));
  }

  string(): string | undefined {
    if (this.missing) return undefined;
    if (typeof this.value === 'string') return this.value;
    return this.refuse('KFP document', `expected a string, got ${describe(this.value)}`);
  }

  number(): number | undefined {
    if (this.missing) return undefined;
    if (typeof this.value === 'number') return this.value;
    // Protobuf's JSON form writes 64-bit integers as strings.
    if (typeof this.value === 'string' && /^-?\d+(\.\d+)?$/.test(this.value)) return Number(this.value);
    return this.refuse('KFP document', `expected a number, got ${describe(this.value)}`);
  }

  boolean(): boolean | undefined {
    if (this.missing) return undefined;
    if (typeof this.value === 'boolean') return this.value;
    return this.refuse('KFP document', `expected true or false, got ${describe(this.value)}`);
  }

  /**
   * Refuses every present field that `policy` does not mark as read (`null`):
   * fields with a feature name are KFP features Kiln cannot express; any other
   * field is unknown to this translator. Empty values (`{}`, `[]`, `""`,
   * `false`, `0`) are protobuf defaults and mean "not set".
   */
  only(policy: FieldPolicy): void {
    const record = this.record();
    if (!record) return;
    for (const [key, value] of Object.entries(record)) {
      const feature = Object.prototype.hasOwnProperty.call(policy, key) ? policy[key] : undefined;
      if (feature === null || isUnset(value)) continue;
      const at = this.child(key);
      if (feature === undefined) {
        at.report(key, `unknown KFP field "${key}": this translator does not know what it means, so it refuses it`);
      } else {
        at.report(feature, `${feature} cannot be expressed in Kiln IR`);
      }
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Protobuf leaves default values out of its JSON; a hand-written or older YAML may spell them out. */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}
