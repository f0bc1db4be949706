/** A confusion matrix as a table, cells shaded by their share of the row (classes, not inline styles). */
import { shortText } from '../components/JsonValue';
import type { ConfusionMatrixData } from './classification';

function shade(value: number, rowTotal: number): string {
  const share = rowTotal > 0 ? value / rowTotal : 0;
  return `heat-${Math.min(5, Math.floor(share * 6))}`;
}

export function ConfusionMatrix({ data }: { data: ConfusionMatrixData }) {
  return (
    <table className="confusion-matrix">
      <caption>Confusion matrix (rows: actual, columns: predicted)</caption>
      <thead>
        <tr>
          <td />
          {data.categories.map((c, i) => (
            <th key={i} scope="col">
              {shortText(c, 40)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {data.matrix.map((row, r) => {
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={r}>
              <th scope="row">{shortText(data.categories[r] ?? `#${r}`, 40)}</th>
              {row.map((value, c) => (
                <td key={c} className={shade(value, total)}>
                  {value}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
