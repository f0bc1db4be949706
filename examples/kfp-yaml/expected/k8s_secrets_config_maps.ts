import type { Expectation } from '../expectation';

/**
 * Secrets and config maps from the platform document become task settings. kfp-kubernetes maps
 * secret key → env var; Kiln maps env var → key.
 */
export const expectation: Expectation = {
  feature: 'kfp-kubernetes secrets and config maps as env and volumes',
  kind: 'pipeline+platform',
  translated: {
    pipeline: 'k8s-secrets-config-maps',
    params: {},
    root: {
      connect: {
        task: 'connect',
        in: {},
        settings: {
          secrets: [
            { name: 'db-credentials', env: { DB_USER: 'username' } },
            { name: 'tls-cert', mountPath: '/etc/tls' },
          ],
          configMaps: [
            { name: 'db-config', env: { DB_HOST: 'host' } },
            { name: 'app-config', mountPath: '/etc/app' },
          ],
        },
      },
    },
    outputs: { Output: 'connect.Output' },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { connect: 'succeeded' },
    outputs: { 'pipeline.Output': "kiln@db.internal ['tls.crt', 'tls.key']" },
    executors: ['kubernetes'],
    note: 'Kubernetes only: the local executor has no secrets or config maps to give',
  },
};
