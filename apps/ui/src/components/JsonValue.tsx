/**
 * A value from a pipeline (parameter, output, metadata) as text. Long strings
 * are cut, so a 100 kB parameter cannot stretch the page or stall it; nothing
 * is ever interpreted as markup or followed as a link.
 */
import type { JsonValue as Value } from '@kiln/ir';

/** Characters shown of a long value. */
export const maxShown = 500;

export function shortText(text: string, max = maxShown): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

export function JsonValue({ value }: { value: Value | undefined }) {
  if (value === undefined) return <span className="muted">—</span>;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return <span className={typeof value === 'string' ? 'value-string' : 'value-json'}>{shortText(text)}</span>;
}

/** A name → value table, for parameters and metadata. */
export function ValueTable({ values, caption }: { values: Readonly<Record<string, Value>>; caption: string }) {
  const entries = Object.entries(values);
  if (!entries.length) return <p className="muted">No {caption.toLowerCase()}.</p>;
  return (
    <table className="values">
      <caption>{caption}</caption>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{shortText(name, 80)}</th>
            <td>
              <JsonValue value={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
