/** Reading a container's log without the cluster: what a failure report keeps of it. */
import { tailOf } from '../src';

describe('tailOf', () => {
  test('keeps the last lines, without the trailing newlines', () => {
    const text = Array.from({ length: 80 }, (_, i) => `line ${i + 1}`).join('\n') + '\n\n';
    expect(tailOf(text).split('\n')).toHaveLength(50);
    expect(tailOf(text).split('\n')[0]).toBe('line 31');
    expect(tailOf(text, 2)).toBe('line 79\nline 80');
    expect(tailOf('only\n')).toBe('only');
  });
});
