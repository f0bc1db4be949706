// Kubernetes resource quantities ("500m", "2Gi", "1e3") as plain numbers.
// CPU is compared in cores, everything else in base units; the scheduler only
// needs ordering and sums, not exact decimal arithmetic.

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) throw new Error(`invalid quantity ${JSON.stringify(value)}`);
  const [, num = '0', suffix = ''] = match;
  const factor = binary[suffix] ?? decimal[suffix];
  if (factor === undefined) throw new Error(`invalid quantity suffix in ${JSON.stringify(value)}`);
  return Number(num) * factor;
}

export type ResourceList = Record<string, number>;

export function toResourceList(map: Record<string, string | number> | undefined): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(map ?? {})) out[name] = parseQuantity(q);
  return out;
}

export function addInto(target: ResourceList, add: ResourceList): ResourceList {
  for (const [name, v] of Object.entries(add)) target[name] = (target[name] ?? 0) + v;
  return target;
}

export function maxInto(target: ResourceList, other: ResourceList): ResourceList {
  for (const [name, v] of Object.entries(other)) target[name] = Math.max(target[name] ?? 0, v);
  return target;
}
