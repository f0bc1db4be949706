/** A ROC curve (false-positive rate against true-positive rate) from ClassificationMetrics metadata. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from './UPlotChart';

export function RocCurve({ fpr, tpr }: { fpr: readonly number[]; tpr: readonly number[] }) {
  const { options, data } = useMemo(() => {
    // uPlot wants x ascending.
    const points = fpr.map((x, i) => [x, tpr[i] ?? 0] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const chartOptions: Omit<uPlot.Options, 'width'> = {
      height: 260,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [{ label: 'false-positive rate' }, { label: 'true-positive rate' }],
      series: [{ label: 'FPR' }, { label: 'TPR', stroke: '#1f6feb', width: 2 }],
    };
    return {
      options: chartOptions,
      data: [points.map((p) => p[0]), points.map((p) => p[1])] satisfies uPlot.AlignedData,
    };
  }, [fpr, tpr]);
  return (
    <figure className="roc">
      <figcaption>ROC curve</figcaption>
      <UPlotChart options={options} data={data} label="ROC curve" />
    </figure>
  );
}
