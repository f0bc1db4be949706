/**
 * A uPlot chart in a React component. uPlot is small (about 20 kB gzip), draws on
 * a canvas, and sets styles only through the DOM's style properties and its
 * stylesheet file, so it runs under the UI's CSP.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';

export function UPlotChart({
  options,
  data,
  label,
}: {
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = new uPlot({ ...options, width: Math.max(280, element.clientWidth) }, data, element);
    return () => chart.destroy();
  }, [options, data]);
  return <div ref={ref} className="chart" role="img" aria-label={label} />;
}
