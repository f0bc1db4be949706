/** The embedded worker reads KILN_WORKFLOW_STACK_TRACES like the worker app: a value it does not know is refused. */
import { CliError } from '../src/errors';
import { startLocalWorker } from '../src/run/local-worker';

test('an unknown KILN_WORKFLOW_STACK_TRACES is refused, naming the variable and the value, before connecting', async () => {
  const started = startLocalWorker({
    // Nothing listens here: the setting must be refused before any connection is tried.
    address: '127.0.0.1:1',
    namespace: 'default',
    taskQueue: 'kiln',
    storeUrl: 'file:///nonexistent',
    logLevel: 'ERROR',
    env: { KILN_WORKFLOW_STACK_TRACES: 'sometimes' },
  });
  await expect(started).rejects.toBeInstanceOf(CliError);
  await expect(started).rejects.toThrow('KILN_WORKFLOW_STACK_TRACES: expected true or false, got "sometimes"');
});
