/**
 * The graph canvas as its own chunk (React Flow and the node views), and the hook pages that
 * show it use: it loads the chunk and starts ELK's worker when the page mounts, while the page
 * still reads the run or the IR to draw, so the graph waits for the slower of the two, not for
 * both in a row. It is deliberately not `React.lazy` in a Suspense boundary: React holds back
 * content that replaces a Suspense fallback for up to 300 ms, which every graph would pay.
 */
import { createElement, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { warmLayoutEngine } from '../graph/layout';
import type { GraphCanvasProps } from './GraphCanvas';

type Canvas = ComponentType<GraphCanvasProps>;

let loaded: Canvas | undefined;
let loading: Promise<Canvas> | undefined;

function loadGraphCanvas(): Promise<Canvas> {
  loading ??= import('./GraphCanvas').then((module) => (loaded = module.default));
  return loading;
}

/**
 * The canvas component once its code is loaded (at once if an earlier page loaded it), else
 * undefined; a failed load is thrown on render, to the page's error boundary.
 */
function useGraphCanvas(): Canvas | undefined {
  const [canvas, setCanvas] = useState<Canvas | undefined>(() => loaded);
  const [failure, setFailure] = useState<unknown>();
  useEffect(() => {
    warmLayoutEngine();
    if (canvas) return;
    let current = true;
    loadGraphCanvas().then(
      (component) => current && setCanvas(() => component),
      (error: unknown) => {
        loading = undefined; // the next page tries again
        if (current) setFailure(error);
      },
    );
    return () => {
      current = false;
    };
  }, [canvas]);
  if (failure) throw failure;
  return canvas;
}

/**
 * Starts loading the canvas and ELK's worker from a page's outer component, before it has what
 * it will draw (the component that draws calls {@link useGraphCanvas}).
 *
 * @example
 * ```tsx
 * usePreloadedGraph();
 * ```
 */
export function usePreloadedGraph(): void {
  useEffect(() => {
    warmLayoutEngine();
    // A failure here is reported by useGraphCanvas, which loads again.
    loadGraphCanvas().catch(() => (loading = undefined));
  }, []);
}

/**
 * The graph canvas once its code is there, `fallback` until then. The component is the one
 * module-level `GraphCanvas` whichever page asks, so its identity never changes between renders.
 *
 * @example
 * ```tsx
 * <GraphCanvasWhenLoaded graph={graph} label="Graph of run r1" onToggle={toggle} fallback={<Loading what="the graph" />} />
 * ```
 */
export function GraphCanvasWhenLoaded({ fallback, ...props }: GraphCanvasProps & { fallback: ReactNode }): ReactNode {
  const canvas = useGraphCanvas();
  return canvas ? createElement(canvas, props) : fallback;
}
