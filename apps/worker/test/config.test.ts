/** The worker's configuration: defaults, a file, the environment, and errors that name the setting. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { defaultActivityConcurrency } from '../src/config/concurrency';
import { loadWorkerConfig } from '../src/config/load';
import { staticLauncherSetting } from '../src/activities';
import { ConfigError } from '@kiln/config';
import { temporalConnectionOptions } from '@kiln/config';

const problems = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};
const temp = (name: string, text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-worker-config-')), name);
  writeFileSync(file, text);
  return file;
};

test('with nothing set, the defaults run a local worker against a local dev server', () => {
  const config = loadWorkerConfig({ KILN_HOME: '/data/kiln' });
  expect(config).toMatchObject({
    temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'kiln' },
    executor: 'local',
    store: { url: 'file:///data/kiln/artifacts' },
    concurrency: {
      maxConcurrentActivityTaskExecutions: Math.max(4, 4 * availableParallelism()),
      maxCachedWorkflows: 200,
    },
    metrics: { port: 9464, host: '0.0.0.0' },
    log: { level: 'info' },
  });
});

test('activity concurrency defaults to 4 per CPU for local steps and 100 for Kubernetes steps, unless set', () => {
  expect(defaultActivityConcurrency('local', 2)).toBe(8);
  expect(defaultActivityConcurrency('local', 0)).toBe(4);
  expect(
    loadWorkerConfig({ KILN_EXECUTOR: 'kubernetes', KILN_K8S_LAUNCHER_IMAGE: 'l:1' }).concurrency
      .maxConcurrentActivityTaskExecutions,
  ).toBe(100);
  expect(
    loadWorkerConfig({ KILN_MAX_CONCURRENT_ACTIVITIES: '250' }).concurrency.maxConcurrentActivityTaskExecutions,
  ).toBe(250);
});

test('every invalid setting is reported by its variable with what was expected and what it got', () => {
  const text = problems(() =>
    loadWorkerConfig({
      KILN_TEMPORAL_ADDRESS: 'x',
      KILN_EXECUTOR: 'k8s',
      KILN_MAX_CONCURRENT_ACTIVITIES: '0',
      KILN_MAX_CACHED_WORKFLOWS: 'many',
      KILN_METRICS_PORT: '70000',
      KILN_LOG_LEVEL: 'loud',
      KILN_TEMPORAL_TLS: 'maybe',
      KILN_ARTIFACTS: 'ftp://host/x',
    }),
  );
  expect(text.split('\n').sort()).toEqual([
    'KILN_ARTIFACTS: expected file:///path or s3://bucket/prefix',
    'KILN_EXECUTOR: expected local or kubernetes',
    'KILN_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent',
    'KILN_MAX_CACHED_WORKFLOWS: expected a whole number from 0 to 100000',
    'KILN_MAX_CONCURRENT_ACTIVITIES: expected a whole number from 1 to 10000',
    'KILN_METRICS_PORT: expected a whole number from 0 to 65535',
    'KILN_TEMPORAL_ADDRESS: expected host:port',
    'KILN_TEMPORAL_TLS: expected true or false',
  ]);
});

test('KILN_LOCAL_STEPS: unset means yes on a local worker and no on a kubernetes one; false on a local worker is refused', () => {
  expect(loadWorkerConfig({}).local.allowSteps).toBeUndefined();
  expect(
    loadWorkerConfig({ KILN_EXECUTOR: 'kubernetes', KILN_K8S_LAUNCHER_IMAGE: 'l:1', KILN_LOCAL_STEPS: 'true' }).local
      .allowSteps,
  ).toBe(true);
  expect(problems(() => loadWorkerConfig({ KILN_LOCAL_STEPS: 'false' }))).toBe(
    'KILN_LOCAL_STEPS: false leaves a KILN_EXECUTOR=local worker no step it may run; it only applies to kubernetes workers',
  );
});

test('the kubernetes executor needs a launcher image', () => {
  expect(problems(() => loadWorkerConfig({ KILN_EXECUTOR: 'kubernetes' }))).toBe(
    'KILN_K8S_LAUNCHER_IMAGE: required with KILN_EXECUTOR=kubernetes',
  );
  const config = loadWorkerConfig({
    KILN_EXECUTOR: 'kubernetes',
    KILN_K8S_LAUNCHER_IMAGE: 'ghcr.io/kiln/launcher:0.1.0',
    KILN_K8S_NAMESPACE: 'ml',
    KILN_K8S_STORE_SECRET: 'kiln-store',
    KILN_K8S_SERVICE_ACCOUNT: 'kiln-steps',
    KILN_K8S_FAILED_POD_TTL_SECONDS: '3600',
  });
  expect(config.kubernetes).toEqual({
    namespace: 'ml',
    launcherImage: 'ghcr.io/kiln/launcher:0.1.0',
    storeSecret: 'kiln-store',
    serviceAccount: 'kiln-steps',
    failedPodTtlSeconds: 3600,
    deleteSucceededPods: true,
  });
});

test('the launcher command is a JSON array in the environment or a list in the file, and nothing else', () => {
  const argv = ['node', '--import', 'tsx', '/opt/kiln/in-pod cli.ts'];
  const base = { KILN_EXECUTOR: 'kubernetes', KILN_K8S_LAUNCHER_IMAGE: 'l:1' };
  expect(
    loadWorkerConfig({ ...base, KILN_K8S_LAUNCHER_COMMAND: JSON.stringify(argv) }).kubernetes.launcherCommand,
  ).toEqual(argv);
  const file = temp('worker.yaml', 'kubernetes:\n  launcherCommand: [kiln-pod-launcher, --verbose]\n');
  expect(loadWorkerConfig({ ...base, KILN_CONFIG: file }).kubernetes.launcherCommand).toEqual([
    'kiln-pod-launcher',
    '--verbose',
  ]);
  expect(loadWorkerConfig(base).kubernetes.launcherCommand).toBeUndefined();
  const expected = 'expected a non-empty JSON array of strings, e.g. ["kiln-pod-launcher"]';
  expect(problems(() => loadWorkerConfig({ ...base, KILN_K8S_LAUNCHER_COMMAND: 'node cli.ts' }))).toBe(
    `KILN_K8S_LAUNCHER_COMMAND: ${expected}`,
  );
  expect(problems(() => loadWorkerConfig({ ...base, KILN_K8S_LAUNCHER_COMMAND: '[]' }))).toBe(
    `KILN_K8S_LAUNCHER_COMMAND: ${expected}`,
  );
});

test('the static launcher: on by default with the image default launcher, off with a custom one unless given, `off` turns it off', () => {
  const base = { KILN_EXECUTOR: 'kubernetes', KILN_K8S_LAUNCHER_IMAGE: 'l:1' };
  const setting = (env: Record<string, string>) =>
    staticLauncherSetting(loadWorkerConfig({ ...base, ...env }).kubernetes);
  expect(setting({})).toEqual({ staticLauncherCommand: ['kiln-static-launcher'] });
  expect(setting({ KILN_K8S_LAUNCHER_COMMAND: '["node","/x/cli.cjs"]' })).toEqual({});
  expect(
    setting({
      KILN_K8S_LAUNCHER_COMMAND: '["node","/x/cli.cjs"]',
      KILN_K8S_STATIC_LAUNCHER_COMMAND: '["/x/kiln-static-launcher"]',
    }),
  ).toEqual({ staticLauncherCommand: ['/x/kiln-static-launcher'] });
  expect(setting({ KILN_K8S_STATIC_LAUNCHER_COMMAND: 'off' })).toEqual({});
  expect(
    problems(() => loadWorkerConfig({ ...base, KILN_K8S_STATIC_LAUNCHER_COMMAND: 'kiln-static-launcher' })),
  ).toContain('KILN_K8S_STATIC_LAUNCHER_COMMAND');
});

test('eager activity dispatch is on unless KILN_EAGER_ACTIVITIES says false', () => {
  expect(loadWorkerConfig({}).concurrency.eagerActivities).toBe(true);
  expect(loadWorkerConfig({ KILN_EAGER_ACTIVITIES: 'false' }).concurrency.eagerActivities).toBe(false);
  expect(problems(() => loadWorkerConfig({ KILN_EAGER_ACTIVITIES: 'sometimes' }))).toContain('KILN_EAGER_ACTIVITIES');
});

test('local steps start from the spawn helper unless KILN_LOCAL_SPAWN_HELPER says false', () => {
  expect(loadWorkerConfig({}).local.spawnHelper).toBe(true);
  expect(loadWorkerConfig({ KILN_LOCAL_SPAWN_HELPER: 'false' }).local.spawnHelper).toBe(false);
  expect(problems(() => loadWorkerConfig({ KILN_LOCAL_SPAWN_HELPER: 'maybe' }))).toContain('KILN_LOCAL_SPAWN_HELPER');
});

test('a YAML file (KILN_CONFIG) sets values, the environment overrides them, errors name the file and path', () => {
  const file = temp(
    'worker.yaml',
    'temporal:\n  address: temporal.prod:7233\n  namespace: ml\nconcurrency:\n  maxCachedWorkflows: 50\n',
  );
  const config = loadWorkerConfig({ KILN_CONFIG: file, KILN_TEMPORAL_NAMESPACE: 'staging' });
  expect(config.temporal).toMatchObject({ address: 'temporal.prod:7233', namespace: 'staging' });
  expect(config.concurrency.maxCachedWorkflows).toBe(50);

  const bad = temp('bad.yaml', 'temporal:\n  adress: typo:7233\nconcurrency:\n  maxCachedWorkflows: -1\n');
  const text = problems(() => loadWorkerConfig({ KILN_CONFIG: bad }));
  expect(text).toContain(`${bad}: temporal.adress: unknown setting`);
  expect(text).toContain(`${bad}: concurrency.maxCachedWorkflows: expected a whole number from 0 to 100000`);
});

test('a JSON file works too, and an unreadable or malformed file names KILN_CONFIG', () => {
  const json = temp('worker.json', JSON.stringify({ executor: 'local', log: { level: 'debug' } }));
  expect(loadWorkerConfig({ KILN_CONFIG: json }).log.level).toBe('debug');
  expect(problems(() => loadWorkerConfig({ KILN_CONFIG: '/nonexistent/kiln.yaml' }))).toMatch(
    /^KILN_CONFIG: cannot read \/nonexistent\/kiln.yaml/,
  );
  expect(problems(() => loadWorkerConfig({ KILN_CONFIG: temp('x.yaml', '- a list\n') }))).toMatch(
    /must hold an object of settings/,
  );
});

test('secrets are never echoed: S3 keys may not sit in the file, the Temporal API key is not shown', () => {
  const file = temp('s3.yaml', 'store:\n  url: s3://ml/kiln\n  accessKey: AKIAEXAMPLE\n  secretKey: wJalrXUtnFEMI\n');
  const text = problems(() => loadWorkerConfig({ KILN_CONFIG: file }));
  expect(text).toContain(`${file}: store.secretKey: set it in the environment (KILN_S3_SECRET_KEY), never in a file`);
  expect(text).not.toMatch(/AKIAEXAMPLE|wJalrXUtnFEMI/);
  const apiKey = problems(() => loadWorkerConfig({ KILN_CONFIG: temp('k.yaml', 'temporal:\n  apiKey: 424242\n') }));
  expect(apiKey).toContain('temporal.apiKey');
  expect(apiKey).not.toContain('424242');
});

test('TLS: off by default, on with an API key or CA, explicitly off when asked; unreadable files name their setting', () => {
  const plain = loadWorkerConfig({}).temporal;
  expect(temporalConnectionOptions(plain)).toEqual({ address: '127.0.0.1:7233', tls: false });
  const cloud = loadWorkerConfig({
    KILN_TEMPORAL_API_KEY: 'key',
    KILN_TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233',
  }).temporal;
  expect(temporalConnectionOptions(cloud)).toEqual({ address: 'ns.tmprl.cloud:7233', tls: {}, apiKey: 'key' });
  expect(
    temporalConnectionOptions(loadWorkerConfig({ KILN_TEMPORAL_API_KEY: 'key', KILN_TEMPORAL_TLS: 'false' }).temporal)
      .tls,
  ).toBe(false);
  const ca = temp('ca.pem', 'CERT');
  const withCa = temporalConnectionOptions(
    loadWorkerConfig({ KILN_TEMPORAL_TLS_CA: ca, KILN_TEMPORAL_TLS_SERVER_NAME: 'temporal' }).temporal,
  );
  expect(withCa.tls).toEqual({ serverNameOverride: 'temporal', serverRootCACertificate: Buffer.from('CERT') });
  expect(
    problems(() =>
      temporalConnectionOptions(
        loadWorkerConfig({ KILN_TEMPORAL_TLS_CERT: '/no/cert.pem', KILN_TEMPORAL_TLS_KEY: '/no/key.pem' }).temporal,
      ),
    ),
  ).toBe('KILN_TEMPORAL_TLS_CERT: cannot read /no/cert.pem: ENOENT');
  expect(problems(() => loadWorkerConfig({ KILN_TEMPORAL_TLS_CERT: ca }))).toContain('tlsCert and tlsKey go together');
});
