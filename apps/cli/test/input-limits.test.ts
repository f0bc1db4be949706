/**
 * Pipeline files past the input limits: `kiln validate`, `compile` and `run`
 * answer a validation error naming the limit and the place (never "unexpected
 * error: RangeError"), and a fuzz of thousands of mutated and deeply nested
 * files through `validateCommand` (what `kiln validate` runs) never throws
 * anything but the CLI's own error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { canonicalize, toYaml, type PipelineSpec } from '@kiln/ir';
import { validateCommand } from '../src/commands/validate';
import { CliError } from '../src/errors';

const root = resolve(__dirname, '../../..');
const kiln = join(root, 'bin/kiln');
const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-limits-'));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(kiln, args, { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const spec: PipelineSpec = {
  schemaVersion: '1.0',
  pipeline: { name: 'limits' },
  params: {
    who: { kind: 'param', type: 'string', default: 'world' },
    // Nine levels deep at its innermost list: within the default limit, over a limit of 8.
    grid: { kind: 'param', type: 'list', default: [[[[[[1]]]]]] },
  },
  settings: {},
  components: {
    echo: {
      name: 'echo',
      inputs: { who: { kind: 'param', type: 'string' } },
      outputs: {},
      implementation: { type: 'container', image: 'busybox', command: ['echo', { kind: 'inputValue', input: 'who' }] },
    },
  },
  root: {
    tasks: {
      hello: {
        type: 'task',
        component: 'echo',
        inputs: { who: { kind: 'param', name: 'who' } },
        dependsOn: [],
        settings: {},
      },
    },
  },
  outputs: {},
};

describe('kiln on files past the limits', () => {
  test.each([
    [
      'deep.json',
      `{"schemaVersion":"1.0","pipeline":{"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      'validate',
    ],
    ['deep.yaml', `schemaVersion: "1.0"\npipeline:\n  ${'- '.repeat(200_000)}x\n`, 'validate'],
    ['flow.yaml', `pipeline: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`, 'compile'],
  ])('%s: kiln names the limit and where, exit 1', (name, text, command) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    const r = run([command, file]);
    expect(r.stderr).not.toContain('unexpected error');
    expect(r.stderr).toMatch(new RegExp(`${name}:\\d+:\\d+: input nests deeper than 128 levels`));
    expect(r.stderr).toContain('KILN_MAX_INPUT_DEPTH');
    expect(r.status).toBe(1);
  });

  test('the limit is a setting: KILN_MAX_INPUT_DEPTH lowers it', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, canonicalize(spec));
    expect(run(['validate', file]).status).toBe(0);
    const r = run(['validate', file], { KILN_MAX_INPUT_DEPTH: '8' });
    expect(r.stderr).toContain('the limit on nesting depth is 8');
    expect(r.status).toBe(1);
  });
});

describe('fuzz: kiln validate', () => {
  const json = canonicalize(spec);
  const yaml = toYaml(spec);
  const edit = fc.record({
    at: fc.nat(),
    chars: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\n', '- ', '  ', '*a', '&a ', '!!str ', '\\', '1e999'),
    remove: fc.nat({ max: 4 }),
  });
  const mutated = (text: string) =>
    fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) =>
      edits.reduce((t, e) => {
        const at = e.at % (t.length + 1);
        return t.slice(0, at) + e.chars + t.slice(at + e.remove);
      }, text),
    );
  const deep = fc.oneof(
    fc.integer({ min: 100, max: 50_000 }).map((n) => `{"pipeline":${'['.repeat(n)}${']'.repeat(n)}}`),
    fc.integer({ min: 100, max: 50_000 }).map((n) => `pipeline:\n  ${'- '.repeat(n)}x\n`),
    fc
      .integer({ min: 100, max: 1000 })
      .map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')),
  );

  test('thousands of mutated and deep files: ok or a CliError, nothing else', () => {
    let file = 0;
    const check = (ext: string) => (text: string) => {
      const path = join(dir, `fuzz-${file++ % 16}.${ext}`);
      writeFileSync(path, text);
      try {
        validateCommand(path);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
      }
    };
    const before = process.memoryUsage().rss;
    fc.assert(fc.property(mutated(json), check('json')), { numRuns: 1000 });
    fc.assert(fc.property(mutated(yaml), check('yaml')), { numRuns: 600 });
    fc.assert(fc.property(deep, check('yaml')), { numRuns: 200 });
    expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
  });
});
