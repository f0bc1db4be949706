/**
 * The short UI bench (CI runs it as bench-ui:test): the shipped JS within the
 * budget the build enforces, and every section of the bench, at small sizes,
 * against a real `kiln dev` on KILN_TESTENV's Temporal in Debian's Chromium.
 * Only sanity is asserted (pages shown, clicks answered, one request per page of
 * runs), never timing: the numbers are the full bench's, in tools/bench/results/ui.md.
 */
import { join } from 'node:path';
import { runBench, type BenchResults } from './src/bench';
import { measureJs, overBudget } from './src/js-size';
import { workspaceRoot } from './src/paths';
import { renderReport } from './src/report';

test('every .js file the UI ships, gzipped, is within the budget the build enforces', () => {
  const sizes = measureJs(join(workspaceRoot(), 'apps/ui/dist'));
  expect(sizes.files.length).toBeGreaterThan(3);
  expect(sizes.initialFiles.length).toBeGreaterThan(0);
  expect(sizes.initialGzipBytes).toBeLessThan(sizes.totalGzipBytes);
  // Our count of the files on disk agrees with the build's own within 1%.
  expect(Math.abs(sizes.totalGzipBytes - sizes.build.totalGzipBytes)).toBeLessThan(sizes.build.totalGzipBytes / 100);
  expect(overBudget(sizes)).toEqual([]);
});

describe('the short bench against kiln dev', () => {
  let results: BenchResults;

  beforeAll(async () => {
    results = await runBench({
      temporal: 'testenv',
      repetitions: 1,
      compareTemporalUi: false,
      // The loop section is left to the full bench: in CI, with every other suite on the same 2 cores, its
      // iterations panel once took over 60 s to answer (cause not found yet). The run page's loop panel is
      // still checked against a real kiln dev by apps/ui's kiln-dev.test.ts.
      sections: ['graph', 'list'],
      graph: { stages: 5, width: 20 },
      loop: { iterations: 100, parallelism: 20, watchSeconds: 3, runTimeoutMinutes: 3 },
      list: { runs: 55, concurrency: 8, budgetSeconds: 60 },
    });
  }, 170_000);

  test('no section failed, and the machine is described', () => {
    expect(results.errors).toEqual([]);
    expect(results.machine.chromium).toMatch(/Chromium/);
    expect(results.machine.cpus).toBeGreaterThan(0);
  });

  test('the 100-task graph is laid out in the worker and drawn', () => {
    const [sample] = results.graph?.samples ?? [];
    expect(sample?.nodesLaidOut).toBeGreaterThanOrEqual(100);
    expect(sample?.layoutMs).toBeGreaterThan(0);
    expect(sample?.nodesInDom).toBeGreaterThan(0);
  });

  test('the runs list fetches one page of runs per page shown', () => {
    const list = results.list;
    expect(list?.created).toMatchObject({ created: 55, failed: 0 });
    expect(list?.kiln[0]).toMatchObject({ rowsFirst: 50, requestsFirst: 1, requestsNext: 1 });
    expect(list?.kiln[0]?.runsReceived).toBeLessThanOrEqual(100);
  });

  test('the report has the summary table and says how to run it again', () => {
    const report = renderReport(results);
    expect(report).toContain('| measure | Kiln | Temporal UI | goal | met? |');
    expect(report).toContain('npx tsx tools/bench/ui/src/main.ts');
  });
});
