/**
 * The CoreV1 client the executor uses: `kc.makeApiClient(CoreV1Api)` plus a
 * timeout on every request. client-node sets none, so a hung API server (or a
 * half-open connection after it restarted) would block a GET or a list — and
 * the watch loop waiting on it — forever. Watches are not affected: they are
 * long requests with their own `timeoutSeconds` and inactivity watchdog.
 *
 * And connections that are kept: client-node (1.4) gives every request a new
 * `https.Agent`, so every call paid a TCP and TLS handshake (~10 ms of a ~12 ms
 * call on a test machine; a step makes about ten). This client keeps one agent
 * with keep-alive, built with the TLS options client-node chose; headers
 * (tokens, which may be refreshed) are still applied per request by the
 * kubeconfig. Proxy agents are left as client-node makes them.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import {
  CoreV1Api,
  createConfiguration,
  ServerConfiguration,
  type KubeConfig,
  type Middleware,
  type SecurityAuthentication,
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
      authMethods: { default: keepingConnections(kc) },
      promiseMiddleware: [timeout],
    }),
  );
}

/** The kubeconfig's authentication, with its fresh per-request agent swapped for one kept agent. */
function keepingConnections(kc: KubeConfig): SecurityAuthentication {
  let kept: HttpAgent | undefined;
  return {
    getName: () => 'kiln-keep-alive',
    async applySecurityAuthentication(context) {
      await kc.applySecurityAuthentication(context);
      const fresh = context.getAgent();
      // Plain agents only: a proxy agent (cluster.proxyUrl) is another class, and stays as it is.
      if (fresh?.constructor !== HttpsAgent && fresh?.constructor !== HttpAgent) return;
      kept ??=
        fresh instanceof HttpsAgent
          ? new HttpsAgent({ ...(fresh.options as HttpsAgentOptions), keepAlive: true })
          : new HttpAgent({ keepAlive: true });
      context.setAgent(kept);
    },
  };
}
