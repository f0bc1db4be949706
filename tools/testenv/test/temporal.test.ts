import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { getTestEnvironment, type TemporalInfo } from '../src/index';
import * as activities from './fixtures/activities';

let temporal: TemporalInfo;

beforeAll(() => {
  temporal = getTestEnvironment(['temporal']).temporal;
}, 30 * 60_000);

describe('the Temporal dev server', () => {
  it('runs a workflow with one activity to completion', async () => {
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const taskQueue = `testenv-smoke-${randomUUID()}`;
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: temporal.namespace,
        taskQueue,
        workflowsPath: join(__dirname, 'fixtures', 'workflows.ts'),
        activities,
      });
      const client = new Client({ connection, namespace: temporal.namespace });
      const result = await worker.runUntil(
        client.workflow.execute('greetWorkflow', { taskQueue, workflowId: taskQueue, args: ['Kiln'] }),
      );
      expect(result).toBe('Hello, Kiln!');
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  }, 120_000);

  it("has Kiln's search attributes registered as keywords", async () => {
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({
        namespace: temporal.namespace,
      });
      for (const name of ['KilnPipelineName', 'KilnPipelineDigest', 'KilnExperiment', 'KilnRunStatus']) {
        expect(customAttributes?.[name]).toBeDefined();
      }
    } finally {
      await connection.close();
    }
  });
});
