/** The CLI as users run it: bin/kiln in a child process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const kiln = join(root, 'bin/kiln');
const fixtures = join(__dirname, 'fixtures');
const training = join(root, 'examples/training/pipeline.ts');

function run(args: string[], cwd = tmpdir()): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(kiln, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kiln compile', () => {
  test('compiles the training example to canonical JSON on stdout, from any cwd', () => {
    const r = run(['compile', training]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const spec = JSON.parse(r.stdout) as {
      schemaVersion: string;
      pipeline: { name: string };
      root: { tasks: Record<string, unknown> };
    };
    expect(spec.pipeline.name).toBe('training-pipeline');
    expect(Object.keys(spec.root.tasks).sort()).toEqual(['condition-1', 'evaluate-model', 'load-data', 'train-model']);
    expect(r.stdout.startsWith('{\n  "schemaVersion": "1.0"')).toBe(true);
  });

  test('writes YAML for -o *.yaml and the result validates with the same digest as JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
    expect(run(['compile', training, '-o', join(dir, 'p.yaml')]).status).toBe(0);
    expect(run(['compile', training, '-o', join(dir, 'p.json')]).status).toBe(0);
    expect(readFileSync(join(dir, 'p.yaml'), 'utf8')).toMatch(/^schemaVersion: "1.0"/);
    const a = run(['validate', join(dir, 'p.yaml')]);
    const b = run(['validate', join(dir, 'p.json')]);
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^ok training-pipeline sha256:[0-9a-f]{64}\n$/);
    expect(a.stdout).toBe(b.stdout);
  });

  test('a miswired pipeline exits 1 naming the task and input', () => {
    const r = run(['compile', join(fixtures, 'broken.ts')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/task 'use' input 'data': expected a dataset artifact, got a model artifact/);
  });

  test('several pipelines need --pipeline, which picks one', () => {
    const r = run(['compile', join(fixtures, 'two.ts')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /exports 2 pipelines; choose one with --pipeline <export>: first \(first\), second \(second\)/,
    );
    const ok = run(['compile', join(fixtures, 'two.ts'), '--pipeline', 'second']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).pipeline.name).toBe('second');
  });

  test('a missing file or a module without pipelines exits 1', () => {
    expect(run(['compile', 'nope.ts'])).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/file not found: nope.ts/),
    });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
    writeFileSync(join(dir, 'empty.ts'), 'export const x = 1;\n');
    expect(run(['compile', join(dir, 'empty.ts')])).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/exports no pipeline/),
    });
  });
});

describe('kiln validate', () => {
  test('prints every error with its JSON path and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: '1.0',
        pipeline: { name: 'Bad Name' },
        params: {},
        settings: {},
        components: {},
        root: { tasks: { t: { type: 'task', component: 'missing', inputs: {}, dependsOn: [], settings: {} } } },
        outputs: {},
      }),
    );
    const r = run(['validate', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\$\.pipeline\.name/);
  });
});
