// What happens to pods when the agent restarts: their processes were killed with
// the old agent (or by us right now, from the pid files), so a pod that had
// started is reported Failed, its unfinished containers terminated with 137 -
// like a node that rebooted under a pod with no controller to recreate it.
// Re-adopting live processes would need their stdout, which died with the old agent.
import type * as k8s from '@kubernetes/client-node';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { killGroup } from './container-process.js';
import { mergePatch, nowIso, type KubeClients } from './kube.js';
import type { ContainerStatus } from './status-types.js';

const LOST_MESSAGE = 'node agent restarted: the container process is gone';

/** SIGKILLs process groups left behind by a previous agent (recorded in pid files). */
export function killOrphans(dataDir: string): number {
  const podsDir = path.join(dataDir, 'pods');
  if (!existsSync(podsDir)) return 0;
  let killed = 0;
  for (const uid of readdirSync(podsDir)) {
    const containers = path.join(podsDir, uid, 'containers');
    if (!existsSync(containers)) continue;
    for (const name of readdirSync(containers)) {
      const pidFile = path.join(containers, name, 'pid');
      if (!existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, 'utf8'));
      if (pid > 1 && isGroupLeader(pid) && killGroup(pid, 'SIGKILL')) killed++;
    }
  }
  return killed;
}

// Guards against a recycled pid: only a process that still leads its own group is ours.
function isGroupLeader(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]) === pid;
  } catch {
    return false;
  }
}

/** True when some earlier agent already started containers of this pod. */
export function wasStarted(pod: k8s.V1Pod): boolean {
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return (
    pod.status?.phase === 'Running' ||
    all.some((s) => s.state?.running || s.state?.terminated || (s.restartCount ?? 0) > 0)
  );
}

function lostStatus(s: k8s.V1ContainerStatus): ContainerStatus {
  const plain = JSON.parse(JSON.stringify(s)) as ContainerStatus;
  if (plain.state.terminated) return { ...plain, ready: false, started: false };
  return {
    ...plain,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode: 137,
        reason: 'Error',
        message: LOST_MESSAGE,
        ...(plain.state.running ? { startedAt: plain.state.running.startedAt } : {}),
        finishedAt: nowIso(),
      },
    },
  };
}

export async function markLost(clients: KubeClients, pod: k8s.V1Pod): Promise<void> {
  const { namespace = 'default', name = '' } = pod.metadata ?? {};
  const now = nowIso();
  const conditions = (pod.status?.conditions ?? []).map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady'
      ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: now }
      : c,
  );
  const status = {
    phase: 'Failed',
    reason: 'NodeAgentRestarted',
    message: LOST_MESSAGE,
    conditions,
    initContainerStatuses: (pod.status?.initContainerStatuses ?? []).map(lostStatus),
    containerStatuses: (pod.status?.containerStatuses ?? []).map(lostStatus),
  };
  await clients.core.patchNamespacedPodStatus({ namespace, name, body: { status } }, mergePatch);
}
