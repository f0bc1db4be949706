/**
 * Python function components as pods, through the real API server, node agent
 * and MinIO: the fetch init container writes the function's source, the shim
 * spec and the shim into the emptyDir; main runs `python3` on them (here the
 * host's python3, since the node agent runs containers as host processes); the
 * publish sidecar uploads what the function wrote and the metrics it logged.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactStore } from '@kiln/artifacts';
import type { Component, IoSpec } from '@kiln/ir';
import { executionKey, executorOutputKey, executorOutputSchema, stepLogKey } from '@kiln/store-layout';
import {
  cluster,
  minioStore,
  deleteRunPods,
  failureOf,
  podsOfRun,
  runInActivity,
  stepRequest,
  type Cluster,
} from './support/cluster';

jest.setTimeout(120_000);

let c: Cluster;
let store: ArtifactStore;
let secretName: string;
let removeSecret: () => Promise<void>;
const runs: string[] = [];

beforeAll(async () => {
  c = cluster();
  ({ store, secretName, remove: removeSecret } = await minioStore(c, 'k8s-python'));
});
afterAll(async () => {
  await deleteRunPods(c, runs);
  await removeSecret?.();
  await c.cleanup();
});

const deps = () => c.deps({ store, pod: { ...c.deps().pod, storeSecret: secretName } });

function pythonComponent(
  source: string,
  io: { inputs?: Record<string, IoSpec>; outputs?: Record<string, IoSpec>; packages?: string[] },
): Component {
  return {
    name: 'py-step',
    inputs: io.inputs ?? {},
    outputs: io.outputs ?? {},
    implementation: {
      type: 'python',
      image: 'python:3.11-slim',
      packages: io.packages ?? [],
      source,
      entrypoint: 'main',
    },
  };
}

const filterSource = `
from kiln.dsl import Input, Output, Dataset, Metrics

def main(table: Input[Dataset], min_value: int, kept: Output[Dataset], metrics: Output[Metrics]) -> int:
    with open(table.path) as f:
        header, *rows = f.read().splitlines()
    chosen = [r for r in rows if int(r.split(",")[1]) >= min_value]
    with open(kept.path, "w") as f:
        f.write("\\n".join([header, *chosen]) + "\\n")
    kept.metadata["source_rows"] = len(rows)
    metrics.log_metric("kept_fraction", len(chosen) / len(rows))
    print("kept", len(chosen), "of", len(rows), "from", table.uri)
    return len(chosen)
`;

test('a python function reads an input artifact and writes a Dataset, an output parameter and Metrics, all published from the pod', async () => {
  const csv = 'name,value\na,1\nb,5\nc,7\nd,2\n';
  await store.put('inputs/table.csv', csv);
  const req = stepRequest(
    pythonComponent(filterSource, {
      inputs: { table: { kind: 'artifact', type: 'dataset' }, minValue: { kind: 'param', type: 'int' } },
      outputs: {
        kept: { kind: 'artifact', type: 'dataset' },
        metrics: { kind: 'artifact', type: 'metrics' },
        keptRows: { kind: 'param', type: 'int' },
      },
    }),
    {
      inputs: {
        params: { minValue: 5 },
        artifacts: { table: { uri: store.uriFor('inputs/table.csv'), type: 'dataset', metadata: {} } },
      },
      artifactRoot: store.url,
      outputs: { params: { keptRows: 'int' }, artifacts: { kept: { type: 'dataset' }, metrics: { type: 'metrics' } } },
    },
  );
  runs.push(req.runId);
  const out = await runInActivity(deps(), req).result;

  const kept = 'name,value\nb,5\nc,7\n';
  const outputs = `runs/k8s-test/${req.runId}/tasks/step/attempt-1`;
  expect(out.outputs.params).toEqual({ keptRows: 2 });
  expect(await store.readText(`${outputs}/kept`)).toBe(kept);
  expect(out.outputs.artifacts['kept']).toMatchObject({
    digest: `sha256:${createHash('sha256').update(kept).digest('hex')}`,
    metadata: { source_rows: 4 },
  });
  expect(out.outputs.artifacts['metrics']?.metadata).toEqual({ kept_fraction: 0.5 });
  expect(JSON.parse(await store.readText(`${outputs}/metrics`))).toEqual({ kept_fraction: 0.5 });
  const record = await store.readJson(executorOutputKey(executionKey(req)), executorOutputSchema);
  expect(record.metrics).toEqual({ metrics: { kept_fraction: 0.5 } });
  const log = await store.readText(store.keyOf(out.logUri ?? ''));
  expect(log).toContain(`kept 2 of 4 from ${store.uriFor('inputs/table.csv')}`);
});

test('packages are installed in the pod into a virtualenv in the emptyDir, reusing what the image already has', async () => {
  // The host's python3 (the "image" here) has six but not tabulate.
  const source = `
import sys

def main() -> dict:
    import six, tabulate
    return {"tabulateFrom": tabulate.__file__, "sixFrom": six.__file__, "prefix": sys.prefix}
`;
  const req = stepRequest(
    pythonComponent(source, {
      packages: ['six', 'tabulate'],
      outputs: {
        tabulateFrom: { kind: 'param', type: 'string' },
        sixFrom: { kind: 'param', type: 'string' },
        prefix: { kind: 'param', type: 'string' },
      },
    }),
    { outputs: { params: { tabulateFrom: 'string', sixFrom: 'string', prefix: 'string' }, artifacts: {} } },
  );
  runs.push(req.runId);
  const out = await runInActivity(deps(), req).result;

  expect(out.outputs.params['prefix']).toBe('/kiln/work/.kiln-python');
  expect(out.outputs.params['tabulateFrom']).toMatch(
    /^\/kiln\/work\/\.kiln-python\/lib\/python3[^/]*\/site-packages\/tabulate\//,
  );
  expect(out.outputs.params['sixFrom']).not.toContain('/kiln/');
  const log = await store.readText(store.keyOf(out.logUri ?? ''));
  expect(log).toMatch(/Requirement already satisfied: six/);
  expect(log).toMatch(/Successfully installed tabulate/);
});

test('a package that cannot be installed fails the step as a retryable infrastructure failure, not as the user code', async () => {
  const req = stepRequest(
    pythonComponent('def main():\n    pass\n', { packages: ['kiln-no-such-package-zzz==0.0.0'] }),
  );
  runs.push(req.runId);
  const { failure, details } = await failureOf(runInActivity(deps(), req).result);

  expect(failure.type).toBe('KilnInfrastructureError');
  expect(failure.nonRetryable).toBe(false);
  expect(details).toMatchObject({ reason: 'PipInstallFailed', exitCode: 1 });
  expect(failure.message).toContain('kiln-no-such-package-zzz');
});

/** Writes a minimal pure-Python wheel (module `kiln_retry_probe`, `ANSWER = 42`) that pip installs from its path, offline. */
function buildProbeWheel(wheelPath: string): void {
  const script = `
import base64, hashlib, sys, zipfile
files = {
    "kiln_retry_probe/__init__.py": "ANSWER = 42\\n",
    "kiln_retry_probe-1.0.dist-info/METADATA": "Metadata-Version: 2.1\\nName: kiln-retry-probe\\nVersion: 1.0\\n",
    "kiln_retry_probe-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\\nGenerator: kiln-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
record = []
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name, text in files.items():
        data = text.encode()
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
    record.append("kiln_retry_probe-1.0.dist-info/RECORD,,")
    z.writestr("kiln_retry_probe-1.0.dist-info/RECORD", "\\n".join(record) + "\\n")
`;
  execFileSync('python3', ['-c', script, wheelPath]);
}

test('a failed package install is retried in a fresh pod: the failed pod is deleted, and the retry from its heartbeat installs and runs', async () => {
  // The package is a wheel file that does not exist yet: the first install fails, the one after it appears succeeds.
  const wheelDir = mkdtempSync('/tmp/kiln-wheel-');
  const wheel = join(wheelDir, 'kiln_retry_probe-1.0-py3-none-any.whl');
  try {
    const source = 'def main() -> int:\n    import kiln_retry_probe\n    return kiln_retry_probe.ANSWER\n';
    const req = stepRequest(
      pythonComponent(source, { packages: [wheel], outputs: { answer: { kind: 'param', type: 'int' } } }),
      {
        outputs: { params: { answer: 'int' }, artifacts: {} },
      },
    );
    runs.push(req.runId);
    const first = runInActivity(deps(), req);
    const { failure, details } = await failureOf(first.result);
    expect(failure.type).toBe('KilnInfrastructureError');
    expect(failure.nonRetryable).toBe(false);
    expect(details).toMatchObject({ reason: 'PipInstallFailed' });
    expect(details.logTail).toContain('kiln_retry_probe');
    const firstUid = (first.heartbeats[0] as { uid: string }).uid;
    // Its logs are saved, and the pod is gone: a retry must not find it and read the same failure off it.
    expect(await store.readText(stepLogKey(executionKey(req)))).toContain('pip install');
    expect((await podsOfRun(c, req.runId)).filter((p) => p.metadata?.uid === firstUid)).toHaveLength(0);

    buildProbeWheel(wheel);
    // Temporal hands the retry the last heartbeat of the failed try.
    const retry = runInActivity(deps(), req, { heartbeatDetails: first.heartbeats.at(-1) });
    const out = await retry.result;
    expect(out.outputs.params).toEqual({ answer: 42 });
    expect(retry.heartbeats[0]).toMatchObject({ name: details.pod?.name, detail: 'pod created' });
    expect((retry.heartbeats[0] as { uid: string }).uid).not.toBe(firstUid);
  } finally {
    rmSync(wheelDir, { recursive: true, force: true });
  }
});

test('an exception in the function is a user failure with the traceback in the log tail', async () => {
  const req = stepRequest(pythonComponent('def main():\n    raise ValueError("bad row 7")\n', {}));
  runs.push(req.runId);
  const { failure, details } = await failureOf(runInActivity(deps(), req).result);

  expect(failure.type).toBe('KilnUserError');
  expect(details).toMatchObject({ reason: 'NonZeroExit', exitCode: 1 });
  expect(details.logTail).toContain('ValueError: bad row 7');
});
