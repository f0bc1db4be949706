/** Pipelines and versions in a real file:// store, through the HTTP API. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize, toYaml } from '@kiln/ir';
import { translateKfpPipeline } from '@kiln/kfp';
import { specDigest } from '@kiln/ir/node';
import { startApi, type ApiHarness } from './support/harness';
import { helloSpec } from './support/fixtures';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi({ worker: false, limits: { pipelineBytes: 64 * 1024, paramsBytes: 1024 } });
});
afterAll(async () => api?.close());

const upload = (spec: unknown, query = '', contentType = 'application/json') =>
  api.call('POST', `/pipelines${query}`, {
    rawBody: typeof spec === 'string' ? spec : JSON.stringify(spec),
    contentType,
  });

describe('POST /pipelines', () => {
  test('stores JSON IR as version 1 under its digest and answers 201', async () => {
    const spec = helloSpec('up-json');
    const res = await upload(spec);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'up-json',
      version: '1',
      digest: specDigest(spec),
      createdBy: 'admin-user',
      created: true,
    });
    const hex = specDigest(spec).slice('sha256:'.length);
    expect(await api.store.readText(`pipelines/up-json/${hex}.json`)).toBe(canonicalize(spec));
  });

  test('accepts YAML and numbers unlabelled uploads of new IR 1, 2, ...', async () => {
    const first = helloSpec('up-yaml');
    expect((await upload(toYaml(first), '', 'application/yaml')).json()).toMatchObject({ version: '1' });
    const second = { ...first, pipeline: { ...first.pipeline, description: 'changed' } };
    expect((await upload(toYaml(second), '', 'text/yaml')).json()).toMatchObject({
      version: '2',
      digest: specDigest(second),
    });
  });

  test('re-uploading the same IR is a 200 no-op returning the existing version', async () => {
    const spec = helloSpec('up-same');
    await upload(spec, '?version=1.0.0');
    const again = await upload(spec);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ version: '1.0.0', created: false });
  });

  test('a label that already names other IR is a 409', async () => {
    const spec = helloSpec('up-conflict');
    expect((await upload(spec, '?version=v1')).statusCode).toBe(201);
    const other = { ...spec, pipeline: { ...spec.pipeline, description: 'other' } };
    const res = await upload(other, '?version=v1');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('versions are immutable'),
      details: { version: 'v1', digest: specDigest(spec) },
    });
  });

  test('invalid IR is a 422 listing each error with its JSON path', async () => {
    const spec = helloSpec('up-bad');
    const broken = { ...spec, root: { tasks: { greet: { ...spec.root.tasks['greet'], component: 'missing' } } } };
    const res = await upload(broken);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('invalid-pipeline');
    expect(body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '$.root.tasks.greet.component' })]),
    );
  });

  // Compiled by kfp 2.17.3 from examples/kfp-yaml/pipelines/{container_component,k8s_field_path_env}.py.
  const kfpYaml = (name: string) => readFileSync(join(__dirname, 'kfp', `${name}.yaml`), 'utf8');

  test('KFP pipeline YAML is recognised and stored as its translated IR', async () => {
    const res = await upload(kfpYaml('container_component'), '', 'application/yaml');
    expect(res.statusCode).toBe(201);
    const spec = translateKfpPipeline(kfpYaml('container_component'));
    expect(res.json()).toMatchObject({ name: 'container-component', version: '1', digest: specDigest(spec) });
    const stored = await api.call('GET', '/pipelines/container-component/versions/1');
    expect(stored.json().spec.root.tasks).toHaveProperty('shout');
  });

  test('KFP YAML that cannot be translated is a 422 naming the YAML path and the KFP feature', async () => {
    const res = await upload(kfpYaml('k8s_field_path_env'), '', 'application/yaml');
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('invalid-pipeline');
    expect(body.error.message).toContain('kubernetes.use_field_path_as_env');
    expect(body.error.details).toEqual([
      expect.objectContaining({
        path: 'platforms.kubernetes.deploymentSpec.executors.exec-whereami.fieldPathAsEnv',
        feature: 'kubernetes.use_field_path_as_env',
        document: 2,
      }),
    ]);
  });

  test('unparseable YAML is a 422 with line and column', async () => {
    const res = await upload('pipeline: [unclosed', '', 'application/yaml');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toHaveProperty('line');
  });

  test('a body over the upload limit is a 413', async () => {
    const res = await upload(`{"pad": "${'x'.repeat(70 * 1024)}"}`);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload-too-large');
  });

  test('an unsupported content type is a 415', async () => {
    const res = await upload('<xml/>', '', 'application/xml');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported-media-type');
  });

  test('a bad version label is a 422 naming the query field', async () => {
    const res = await upload(helloSpec('up-label'), '?version=../x');
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'invalid-request',
      details: [expect.objectContaining({ path: 'version' })],
    });
  });
});

describe('reading pipelines', () => {
  const spec = helloSpec('readable');
  beforeAll(async () => {
    await upload(spec, '?version=a&description=first');
    await upload({ ...spec, pipeline: { ...spec.pipeline, description: 'v2' } }, '?version=b');
  });

  test('GET /pipelines lists each pipeline with its latest version', async () => {
    const res = await api.call('GET', '/pipelines', { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    const entry = res.json().pipelines.find((p: { name: string }) => p.name === 'readable');
    expect(entry).toMatchObject({ versions: 2, latest: { version: 'b' } });
  });

  test('GET /pipelines/:name has every version, oldest first', async () => {
    const res = await api.call('GET', '/pipelines/readable', { role: 'viewer' });
    expect(res.json().versions.map((v: { version: string }) => v.version)).toEqual(['a', 'b']);
    expect(res.json().versions[0].description).toBe('first');
  });

  test('GET by version and by digest return the IR', async () => {
    const byVersion = (await api.call('GET', '/pipelines/readable/versions/a', { role: 'viewer' })).json();
    expect(byVersion.spec).toEqual(JSON.parse(canonicalize(spec)));
    const byDigest = await api.call('GET', `/pipelines/readable/digests/${specDigest(spec)}`, { role: 'viewer' });
    expect(byDigest.json()).toMatchObject({ digest: specDigest(spec), spec: { pipeline: { name: 'readable' } } });
  });

  test('unknown pipelines, versions and digests are 404s that say what is missing', async () => {
    expect((await api.call('GET', '/pipelines/nothing-here')).json()).toEqual({
      error: { code: 'not-found', message: 'pipeline nothing-here not found' },
    });
    expect((await api.call('GET', '/pipelines/readable/versions/zzz')).json().error.message).toBe(
      'pipeline readable has no version zzz',
    );
    expect((await api.call('GET', `/pipelines/readable/digests/sha256:${'1'.repeat(64)}`)).statusCode).toBe(404);
  });

  test('malformed names and digests are 422s naming the path parameter', async () => {
    const res = await api.call('GET', '/pipelines/Not_A_Name');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ in: 'params', path: 'name' });
    expect((await api.call('GET', '/pipelines/readable/digests/md5:abc')).statusCode).toBe(422);
  });
});

describe('deleting pipelines', () => {
  test('DELETE a version keeps the others; DELETE the pipeline removes everything', async () => {
    const spec = helloSpec('deletable');
    await upload(spec, '?version=1');
    await upload({ ...spec, pipeline: { ...spec.pipeline, description: 'two' } }, '?version=2');
    expect((await api.call('DELETE', '/pipelines/deletable/versions/1')).statusCode).toBe(204);
    expect((await api.call('GET', '/pipelines/deletable/versions/1')).statusCode).toBe(404);
    expect((await api.call('GET', `/pipelines/deletable/digests/${specDigest(spec)}`)).statusCode).toBe(404);
    expect((await api.call('GET', '/pipelines/deletable')).json().versions).toHaveLength(1);
    expect((await api.call('DELETE', '/pipelines/deletable')).statusCode).toBe(204);
    expect((await api.call('GET', '/pipelines/deletable')).statusCode).toBe(404);
    expect((await api.call('DELETE', '/pipelines/deletable')).statusCode).toBe(404);
  });
});
