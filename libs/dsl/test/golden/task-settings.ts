import { component, pipeline } from '../../src';

const step = component({ name: 'step', image: 'ghcr.io/acme/step:1', command: ['step'] });

export const settingsPipeline = pipeline({ name: 'task-settings' }, () => {
  step()
    .displayName('Step with every setting')
    .retry({ maxAttempts: 3, backoff: '10s', factor: 3, maxBackoff: '5m', retryOn: ['infrastructure'] })
    .caching({ key: 'v2', maxStaleness: '7d' })
    .timeout('1h30m')
    .resources({ cpu: { request: '500m', limit: '2' }, memory: '4Gi', gpu: 1, acceleratorNodeSelector: 'nvidia-tesla-t4' })
    .env({ OMP_NUM_THREADS: 4, MODE: 'fast' })
    .secret('s3-creds', { env: { AWS_ACCESS_KEY_ID: 'access-key', AWS_SECRET_ACCESS_KEY: 'secret-key' } })
    .secret('tls', { mountPath: '/etc/tls' })
    .configMap('train-config', { mountPath: '/etc/train', env: { CONFIG_MODE: 'mode' } })
    .volume({ name: 'cache', mountPath: '/cache', pvc: 'hf-cache', readOnly: true })
    .volume({ name: 'scratch', mountPath: '/scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } })
    .volume({ name: 'tmp', mountPath: '/tmp', emptyDir: true })
    .nodeSelector({ pool: 'gpu' })
    .tolerations({ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' })
    .affinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } })
    .serviceAccount('trainer')
    .labels({ team: 'ml' })
    .annotations({ 'example.com/owner': 'ml' })
    .imagePullPolicy('Always')
    .imagePullSecrets('ghcr')
    .ignoreUpstreamFailure();
  step().caching(false).resources({ gpu: { count: 2, resource: 'amd.com/gpu' } });
});
