/**
 * Classification rules that the test node agent cannot produce for real
 * (node loss, preemption), as pure functions over the pod statuses the API
 * server would return. (The API retry's rules are `@kiln/kube`'s tests.)
 */
import type { V1Pod } from '@kubernetes/client-node';
import { PodAssessor } from '../src';

function failedPod(status: V1Pod['status']): V1Pod {
  return { metadata: { name: 'p', creationTimestamp: new Date() }, spec: { nodeName: 'n', containers: [] }, status };
}

describe('PodAssessor', () => {
  test('a node lost under the pod is an infrastructure failure', () => {
    const verdict = new PodAssessor().assess(
      failedPod({ phase: 'Failed', reason: 'NodeLost', message: 'node n is gone' }),
    );
    expect(verdict).toEqual({
      state: 'failed',
      failure: { failureClass: 'infrastructure', reason: 'NodeLost', message: 'node n is gone' },
    });
  });

  test('preemption (DisruptionTarget) is an infrastructure failure naming its reason', () => {
    const verdict = new PodAssessor().assess(
      failedPod({
        phase: 'Failed',
        conditions: [
          { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'preempted' },
        ],
      }),
    );
    expect(verdict).toMatchObject({
      state: 'failed',
      failure: { failureClass: 'infrastructure', reason: 'DisruptionTarget:PreemptionByScheduler' },
    });
  });

  test('a failed input fetch is an infrastructure failure', () => {
    const verdict = new PodAssessor().assess(
      failedPod({
        phase: 'Failed',
        initContainerStatuses: [
          {
            name: 'kiln-fetch',
            image: 'l',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 1 } },
          },
        ],
      }),
    );
    expect(verdict).toMatchObject({
      state: 'failed',
      failure: { failureClass: 'infrastructure', reason: 'InputFetchFailed', exitCode: 1 },
    });
  });

  test('a container waiting with InvalidImageName is a configuration failure at once (as the kubelet reports it)', () => {
    const pod: V1Pod = {
      metadata: { creationTimestamp: new Date() },
      spec: { nodeName: 'n', containers: [] },
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'main',
            image: 'X',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'InvalidImageName', message: 'bad' } },
          },
        ],
      },
    };
    expect(new PodAssessor().assess(pod)).toMatchObject({
      state: 'failed',
      failure: { failureClass: 'configuration', reason: 'InvalidImageName' },
    });
  });

  test('a pending pod is not failed before its schedule timeout', () => {
    let now = Date.now();
    const assessor = new PodAssessor(
      { scheduleTimeoutMs: 10_000, startTimeoutMs: 10_000, imagePullGraceMs: 10_000, configErrorGraceMs: 10_000 },
      () => now,
    );
    const pod: V1Pod = {
      metadata: { creationTimestamp: new Date(now) },
      spec: { containers: [] },
      status: { phase: 'Pending' },
    };
    expect(assessor.assess(pod).state).toBe('pending');
    now += 11_000;
    expect(assessor.assess(pod)).toMatchObject({ state: 'failed', failure: { reason: 'Unschedulable' } });
  });
});
