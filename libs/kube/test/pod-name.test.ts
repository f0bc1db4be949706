/** The pod of a step attempt: its name, labels and annotations, and when an existing pod is ours. */
import { isSamePod, labelKeys, podIdentity, type StepIdentityInput } from '../src';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('podIdentity', () => {
  const base: StepIdentityInput = {
    workflowId: 'training-1',
    runId: 'training-1',
    pipelineName: 'training',
    taskId: 'step',
    iteration: [],
    attempt: 1,
    executionKey: 'training-1.step.1',
  };

  test('is the same for the same attempt and different for another attempt, iteration, task or run', () => {
    const name = podIdentity(base).name;
    expect(podIdentity({ ...base }).name).toBe(name);
    expect(podIdentity({ ...base, attempt: 2 }).name).not.toBe(name);
    expect(podIdentity({ ...base, iteration: [0] }).name).not.toBe(podIdentity({ ...base, iteration: [1] }).name);
    expect(podIdentity({ ...base, taskId: 'other' }).name).not.toBe(name);
    expect(podIdentity({ ...base, runId: 'another-run' }).name).not.toBe(name);
  });

  test('is a DNS label of at most 63 characters even for long, odd task ids, with a hash suffix', () => {
    const id = podIdentity({
      ...base,
      taskId: 'Train_Model.With A Very Long Name That Goes On And On And On Forever',
      iteration: [12, 3],
      attempt: 7,
    });
    expect(id.name.length).toBeLessThanOrEqual(63);
    expect(id.name).toMatch(dns1123Label);
    expect(id.name).toMatch(/^kiln-train-model-with-a-.*-i12-3-a7-[0-9a-f]{12}$/);
  });

  test('labels carry run, task, iteration and attempt; annotations the full identity', () => {
    const id = podIdentity({ ...base, iteration: [2, 5], attempt: 3 });
    expect(id.labels).toMatchObject({
      [labelKeys.run]: base.runId,
      [labelKeys.task]: 'step',
      [labelKeys.iteration]: '2.5',
      [labelKeys.attempt]: '3',
    });
    expect(id.annotations['kiln.dev/execution-key']).toBe(base.executionKey);
    expect(id.annotations['kiln.dev/iteration']).toBe('[2,5]');
  });

  test('a pod matches only with the same identity hash and execution key', () => {
    const id = podIdentity(base);
    expect(isSamePod({ metadata: { labels: id.labels, annotations: id.annotations } }, id)).toBe(true);
    expect(
      isSamePod({ metadata: { labels: { ...id.labels, [labelKeys.identity]: 'x' }, annotations: id.annotations } }, id),
    ).toBe(false);
    expect(isSamePod({ metadata: { labels: id.labels } }, id)).toBe(false);
  });
});
