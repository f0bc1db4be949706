// Reads the ConfigMaps and Secrets that env vars and volumes refer to, straight
// from the API server (no caching: pods are few and tests create them just before).
import type * as k8s from '@kubernetes/client-node';
import { isNotFound } from './kube.js';

export interface ObjectSource {
  /** Key -> bytes, or undefined when the object does not exist. */
  configMap(namespace: string, name: string): Promise<Map<string, Buffer> | undefined>;
  secret(namespace: string, name: string): Promise<Map<string, Buffer> | undefined>;
  serviceAccountToken(
    namespace: string,
    serviceAccount: string,
    audiences: string[] | undefined,
    expirationSeconds: number | undefined,
  ): Promise<string>;
}

export function apiObjectSource(core: k8s.CoreV1Api): ObjectSource {
  return {
    async configMap(namespace, name) {
      try {
        const cm = await core.readNamespacedConfigMap({ namespace, name });
        const out = new Map<string, Buffer>();
        for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
        for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
        return out;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async secret(namespace, name) {
      try {
        const s = await core.readNamespacedSecret({ namespace, name });
        const out = new Map<string, Buffer>();
        for (const [k, v] of Object.entries(s.data ?? {})) out.set(k, Buffer.from(v, 'base64'));
        for (const [k, v] of Object.entries(s.stringData ?? {})) out.set(k, Buffer.from(v, 'utf8'));
        return out;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async serviceAccountToken(namespace, serviceAccount, audiences, expirationSeconds) {
      const res = await core.createNamespacedServiceAccountToken({
        namespace,
        name: serviceAccount,
        body: { spec: { audiences: audiences ?? [], expirationSeconds: expirationSeconds ?? 3600 } },
      });
      return res.status?.token ?? '';
    },
  };
}
