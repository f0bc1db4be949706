// Pure parts of the node agent: no servers needed.
import type { V1Pod } from '@kubernetes/client-node';
import { criTimestamp, parseCriLine, renderLine } from '../src/node-agent/cri-log';
import { expand } from '../src/node-agent/expansion';
import { checkFit, podRequests } from '../src/node-agent/fit';
import { isValidImageReference } from '../src/node-agent/image-ref';
import { parseLogOptions, selectLines } from '../src/node-agent/log-server';
import { parseQuantity } from '../src/node-agent/quantity';

describe('$(VAR) expansion', () => {
  const vars: Record<string, string> = { A: 'x', B: 'y' };
  const lookup = (n: string): string | undefined => vars[n];
  it.each([
    ['$(A)-$(B)', 'x-y'],
    ['$$(A)', '$(A)'],
    ['$$', '$'],
    ['$(MISSING)', '$(MISSING)'],
    ['$(A', '$(A'],
    ['a$b', 'a$b'],
    ['trailing$', 'trailing$'],
    ['$$$(A)', '$x'],
  ])('%s -> %s', (input, output) => expect(expand(input, lookup)).toBe(output));
});

describe('quantities', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1Gi', 2 ** 30],
    ['64Mi', 64 * 2 ** 20],
    ['1k', 1000],
    ['1e3', 1000],
  ])('%s', (q, n) => expect(parseQuantity(q)).toBeCloseTo(n));
  it('rejects garbage', () => expect(() => parseQuantity('lots')).toThrow());
});

describe('image references', () => {
  it.each([
    'busybox',
    'python:3.11-slim',
    'ghcr.io/org/img:v1',
    'localhost:5000/a/b',
    'Registry.Example.com/lower/case:TAG',
  ])('%s is valid', (i) => expect(isValidImageReference(i)).toBe(true));
  it.each(['', 'Busybox', 'has space', 'UPPER/case', 'a:b:c', 'img:'])('%s is invalid', (i) =>
    expect(isValidImageReference(i)).toBe(false),
  );
});

describe('fit', () => {
  const node = {
    name: 'n',
    labels: { 'kubernetes.io/os': 'linux' },
    allocatable: { cpu: 2, memory: 2 ** 30, pods: 110, 'nvidia.com/gpu': 0 },
  };
  const pod = (spec: V1Pod['spec']): V1Pod => ({ spec });

  it('sums main containers and sidecars, and takes init peaks', () => {
    const req = podRequests(
      pod({
        initContainers: [
          { name: 'i', resources: { requests: { cpu: '1500m' } } },
          { name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
        ],
        containers: [{ name: 'm', resources: { limits: { cpu: '200m', memory: '1Mi' } } }],
      }),
    );
    expect(req.cpu).toBeCloseTo(1.5);
    expect(req.memory).toBe(2 ** 20);
    expect(req.pods).toBe(1);
  });

  it('reports insufficient extended resources like kube-scheduler', () => {
    const res = checkFit(
      pod({ containers: [{ name: 'm', resources: { limits: { 'nvidia.com/gpu': '1' } } }] }),
      node,
      {},
    );
    expect(res).toEqual({
      fits: false,
      message: expect.stringContaining('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.'),
    });
  });

  it('accounts for pods already on the node', () => {
    const p = pod({ containers: [{ name: 'm', resources: { requests: { cpu: '1' } } }] });
    expect(checkFit(p, node, { cpu: 1 }).fits).toBe(true);
    expect(checkFit(p, node, { cpu: 1.5 }).fits).toBe(false);
  });

  it('honours nodeSelector and required node affinity', () => {
    expect(checkFit(pod({ containers: [], nodeSelector: { 'kubernetes.io/os': 'windows' } }), node, {})).toMatchObject({
      fits: false,
      message: expect.stringContaining("didn't match Pod's node affinity/selector"),
    });
    const affinity = (operator: string) => ({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator, values: ['linux'] }] }],
        },
      },
    });
    expect(checkFit(pod({ containers: [], affinity: affinity('In') }), node, {}).fits).toBe(true);
    expect(checkFit(pod({ containers: [], affinity: affinity('NotIn') }), node, {}).fits).toBe(false);
  });
});

describe('CRI log lines', () => {
  it('round-trips and renders with and without timestamps', () => {
    const ts = criTimestamp(new Date('2030-01-02T03:04:05.678Z'));
    expect(ts).toBe('2030-01-02T03:04:05.678000000Z');
    const line = parseCriLine(`${ts} stdout F hello world`);
    expect(line).toEqual({ time: ts, stream: 'stdout', tag: 'F', text: 'hello world' });
    expect(line && renderLine(line, false)).toBe('hello world\n');
    expect(line && renderLine(line, true)).toBe(`${ts} hello world\n`);
    expect(renderLine({ time: ts, stream: 'stderr', tag: 'P', text: 'part' }, false)).toBe('part');
  });

  it('selects tail lines and lines since a time', () => {
    const content = [
      '2030-01-01T00:00:01.000000000Z stdout F a',
      '2030-01-01T00:00:02.000000000Z stdout F b',
      '2030-01-01T00:00:03.000000000Z stderr F c',
      '',
    ].join('\n');
    expect(selectLines(content, { tailLines: 2 }).map((l) => l.text)).toEqual(['b', 'c']);
    expect(selectLines(content, { tailLines: 0 })).toEqual([]);
    expect(selectLines(content, { since: new Date('2030-01-01T00:00:02Z') }).map((l) => l.text)).toEqual(['b', 'c']);
  });

  it('parses the kubelet query parameters', () => {
    const now = new Date('2030-01-01T00:01:00Z');
    const o = parseLogOptions(
      new URLSearchParams('follow=true&timestamps=true&tailLines=5&sinceSeconds=60&limitBytes=10'),
      now,
    );
    expect(o).toEqual({
      follow: true,
      previous: false,
      timestamps: true,
      tailLines: 5,
      limitBytes: 10,
      since: new Date('2030-01-01T00:00:00Z'),
    });
  });
});
