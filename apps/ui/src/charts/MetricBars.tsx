/** One metric across several runs, as bars: the experiment comparison's chart per metric. */
import uPlot from 'uplot';
import { useMemo } from 'react';
import { UPlotChart } from './UPlotChart';

const bars = uPlot.paths.bars?.({ size: [0.6, 80] });

export function MetricBars({
  metric,
  runs,
}: {
  metric: string;
  runs: readonly { label: string; value: number | undefined }[];
}) {
  const { options, data } = useMemo(() => {
    const xs = runs.map((_, i) => i);
    const ys = runs.map((r) => r.value ?? null);
    const chartOptions: Omit<uPlot.Options, 'width'> = {
      height: 200,
      legend: { show: false },
      scales: { x: { time: false, range: [-0.5, runs.length - 0.5] } },
      axes: [
        {
          values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (runs[t]?.label ?? '') : '')),
          splits: () => xs,
        },
        {},
      ],
      series: [{}, { label: metric, stroke: '#1f6feb', fill: '#1f6feb55', ...(bars ? { paths: bars } : {}) }],
    };
    return { options: chartOptions, data: [xs, ys] satisfies uPlot.AlignedData };
  }, [metric, runs]);
  return (
    <figure className="metric-chart">
      <figcaption>{metric}</figcaption>
      <UPlotChart options={options} data={data} label={`${metric} per run`} />
    </figure>
  );
}
