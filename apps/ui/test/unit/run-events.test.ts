import { ApiError } from '../../src/api/errors';
import { applyRunEvent, parseEventBlock, readRunEvents } from '../../src/api/run-events';
import { runResourceSchema } from '../../src/api/wire';
import trainingSkipped from '../fixtures/training-run-skipped.json';

const snapshot = {
  ...trainingSkipped,
  state: 'RUNNING',
  temporal: { status: 'RUNNING', runId: 't1', historyLength: 9 },
};

function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('a run event stream', () => {
  test('events split across chunks arrive whole, keep-alive comments and unknown events are skipped', async () => {
    const text =
      `: keep-alive\n\nevent: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n` +
      'event: hello\ndata: {}\n\n' +
      'event: run\r\ndata: {"state":"SUCCEEDED","finishedAt":"2026-01-01T00:00:00Z"}\r\n\r\n' +
      'event: end\ndata: {"state":"SUCCEEDED","reason":"ended"}\n\n';
    const cut = [text.slice(0, 17), text.slice(17, 400), text.slice(400)];
    const names: string[] = [];
    for await (const event of readRunEvents(streamOf(cut))) names.push(event.event);
    expect(names).toEqual(['snapshot', 'run', 'end']);
  });

  test('data that breaks the contract is an error naming the event', () => {
    expect(() => parseEventBlock('event: end\ndata: {"state":"DONE"}')).toThrow(ApiError);
    expect(() => parseEventBlock('event: end\ndata: {"state":"DONE"}')).toThrow(/run event "end"/);
  });

  test('task changes replace their entries and add new ones; a run event sets the state', () => {
    const start = applyRunEvent(undefined, { event: 'snapshot', data: runResourceSchema.parse(snapshot) });
    const deploy = start?.tasks.find((t) => t.id === 'deploy-model');
    if (!start || !deploy) throw new Error('fixture lacks deploy-model');
    const changed = applyRunEvent(start, {
      event: 'tasks',
      data: {
        tasks: [
          { ...deploy, state: 'running' },
          { ...deploy, id: 'notify', state: 'pending' },
        ],
      },
    });
    expect(changed?.tasks.map((t) => `${t.id}:${t.state}`)).toEqual([
      'load-data:succeeded',
      'train-model:succeeded',
      'evaluate-model:succeeded',
      'deploy-model:running',
      'notify:pending',
    ]);
    const ended = applyRunEvent(changed, { event: 'run', data: { state: 'SUCCEEDED' } });
    expect(ended?.state).toBe('SUCCEEDED');
    expect(applyRunEvent(undefined, { event: 'run', data: { state: 'SUCCEEDED' } })).toBeUndefined();
  });
});
