/**
 * The CoreV1 client the executor uses: `kc.makeApiClient(CoreV1Api)` plus a
 * timeout on every request. client-node sets none, so a hung API server (or a
 * half-open connection after it restarted) would block a GET or a list — and
 * the watch loop waiting on it — forever. Watches are not affected: they are
 * long requests with their own `timeoutSeconds` and inactivity watchdog.
 */
import {
  CoreV1Api,
  createConfiguration,
  ServerConfiguration,
  type KubeConfig,
  type Middleware,
} from '@kubernetes/client-node';

/**
 * @example
 * ```ts
 * const core = makeCoreApi(kc, 30_000);
 * await core.readNamespacedPod({ namespace, name }); // rejects after 30 s without an answer
 * ```
 */
export function makeCoreApi(kc: KubeConfig, timeoutMs = 30_000): CoreV1Api {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const timeout: Middleware = {
    pre: async (context) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return context;
    },
    post: async (context) => context,
  };
  return new CoreV1Api(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [timeout],
    }),
  );
}
