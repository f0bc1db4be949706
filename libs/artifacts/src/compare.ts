/** Compares strings by Unicode code point, so orderings do not depend on UTF-16 surrogates or locale. */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const cx = (x[i] as string).codePointAt(0) as number;
    const cy = (y[i] as string).codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
  return x.length - y.length;
}
