// Thin helpers over @kubernetes/client-node shared by the agent's parts.
import * as k8s from '@kubernetes/client-node';

export interface KubeClients {
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  coordination: k8s.CoordinationV1Api;
}

export function makeClients(kubeconfigPath: string): KubeClients {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
  };
}

// JSON merge patch replaces arrays wholesale, which is exactly what status
// reporting wants: a container state {running} must become {terminated}, not both.
export const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

export function statusCode(err: unknown): number | undefined {
  if (err instanceof k8s.ApiException) return err.code;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export const isNotFound = (err: unknown): boolean => statusCode(err) === 404;
export const isConflict = (err: unknown): boolean => statusCode(err) === 409;

export function errorMessage(err: unknown): string {
  if (err instanceof k8s.ApiException) {
    const body = err.body as unknown;
    const msg = typeof body === 'string' ? body : JSON.stringify(body);
    return `HTTP ${err.code}: ${msg}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export const podKey = (pod: k8s.V1Pod): string => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

export const nowIso = (): string => new Date().toISOString();

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
