import { describe, expect, it } from 'vitest';
import { resolveOutDir } from './resolveOutDir.ts';

describe('resolveOutDir', () => {
  it('writes a user run to the git-ignored results/local/<suite>/', () => {
    expect(resolveOutDir({ suite: 'quick' })).toBe('results/local/quick');
    expect(resolveOutDir({ suite: 'micro', shard: { index: 2, count: 3 } })).toBe('results/local/micro/shard-2-of-3');
  });
  it('writes the committed reference run only with --reference', () => {
    expect(resolveOutDir({ suite: 'table2', reference: true })).toBe('results/table2');
    expect(resolveOutDir({ suite: 'micro', reference: true, shard: { index: 1, count: 2 } })).toBe('results/micro/shard-1-of-2');
  });
  it('takes --out as given and refuses --out with --reference', () => {
    expect(resolveOutDir({ suite: 'quick', out: '/tmp/x' })).toBe('/tmp/x');
    expect(() => resolveOutDir({ suite: 'quick', out: '/tmp/x', reference: true })).toThrow(/--out and --reference/);
  });
});
