/**
 * `kiln run`'s progress lines from the status documents its polls read. The documents are data, as the
 * `status` query answers them: polls read them at times of their own, so a retried attempt can fail and
 * be followed by the next one between two reads (or before the only read, when every query failed and
 * just the final document arrives). run.test.ts checks the same lines against a real run.
 */
import type { AttemptRecord, RunStatusDocument, TaskStatus } from '@kiln/engine-contract';
import { ProgressPrinter } from '../src/run/progress';

const exit3 = 'the command exited with code 3';

function failedRecord(attempt: number): AttemptRecord {
  return {
    attempt,
    state: 'failed',
    startedAt: `2026-01-01T00:00:0${attempt}.000Z`,
    finishedAt: `2026-01-01T00:00:0${attempt}.500Z`,
    failureClass: 'user',
    reason: 'NonZeroExit',
    exitCode: 3,
    error: exit3,
  };
}

const errorOf = (attempt: number) =>
  `attempt ${attempt}: user failure (NonZeroExit): ${exit3}; exit code 3; log tail:\ngoing down`;

function flaky(fields: Partial<TaskStatus>): TaskStatus {
  return {
    id: 'flaky',
    name: 'flaky',
    displayName: 'flaky',
    state: 'running',
    attempts: 1,
    cached: false,
    executor: 'local',
    outputs: { params: {}, artifacts: {} },
    ...fields,
  };
}

function doc(task: TaskStatus, state: RunStatusDocument['state'] = 'RUNNING'): RunStatusDocument {
  return {
    runId: 'r1',
    workflowId: 'kiln-retries-r1',
    pipeline: { name: 'retries', digest: 'sha256:0' },
    params: {},
    state,
    startedAt: '2026-01-01T00:00:00.000Z',
    tasks: [task],
  };
}

const retryingLine = (attempt: number) =>
  `  ✗ flaky attempt ${attempt} failed: user NonZeroExit: ${exit3}; exit code 3; retrying`;

function printed(docs: RunStatusDocument[]): string[] {
  const lines: string[] = [];
  const printer = new ProgressPrinter((line) => lines.push(line));
  for (const d of docs) printer.update(d);
  return lines.filter((line) => line.includes('✗'));
}

test('two attempts that failed between two polls get a line each', () => {
  const running = { state: 'running', startedAt: '2026-01-01T00:00:03.000Z' } as const;
  expect(
    printed([
      doc(flaky({ attempts: 1, attemptHistory: [{ attempt: 1, ...running }] })),
      // The next read: attempt 1 failed, attempt 2 failed, attempt 3 runs. `error` names attempt 2 only.
      doc(
        flaky({
          attempts: 3,
          error: errorOf(2),
          attemptHistory: [failedRecord(1), failedRecord(2), { attempt: 3, ...running }],
        }),
      ),
    ]),
  ).toEqual([retryingLine(1), retryingLine(2)]);
});

test('when only the final document is read, every retried attempt still gets its line, then the failure', () => {
  const final = flaky({
    state: 'failed',
    attempts: 3,
    startedAt: '2026-01-01T00:00:01.000Z',
    finishedAt: '2026-01-01T00:00:03.500Z',
    exitCode: 3,
    error: errorOf(3),
    attemptHistory: [failedRecord(1), failedRecord(2), failedRecord(3)],
  });
  expect(printed([doc(final, 'FAILED')])).toEqual([
    retryingLine(1),
    retryingLine(2),
    `  ✗ flaky failed attempt 3 2.5s: attempt 3 failed: user NonZeroExit: ${exit3}; exit code 3`,
  ]);
});

test('each failed attempt is printed once however many polls read it', () => {
  const after1 = flaky({ attempts: 2, error: errorOf(1), attemptHistory: [failedRecord(1)] });
  const after2 = flaky({ attempts: 3, error: errorOf(2), attemptHistory: [failedRecord(1), failedRecord(2)] });
  expect(printed([doc(after1), doc(after1), doc(after2), doc(after2)])).toEqual([retryingLine(1), retryingLine(2)]);
});

test('a run recorded without attempt histories still gets a line per failed attempt it read', () => {
  expect(
    printed([
      doc(flaky({ attempts: 2, error: errorOf(1) })),
      doc(flaky({ attempts: 2, error: errorOf(1) })),
      doc(flaky({ attempts: 3, error: errorOf(2) })),
    ]),
  ).toEqual([retryingLine(1), retryingLine(2)]);
});
