import { describe, expect, it } from 'vitest';
import { segment } from './segments';

describe('segment', () => {
  it('splits overlapping claims into runs that list every covering claim', () => {
    const text = 'ab😀cdef';
    // code points: a0 b1 😀2 c3 d4 e5 f6
    const segs = segment(text, [
      { id: 'x', start: 1, end: 4 },
      { id: 'y', start: 3, end: 6 },
    ]);
    const view = segs.map((s) => [text.slice(s.from, s.to), s.claims.join('+')]);
    expect(view).toEqual([
      ['a', ''],
      ['b😀', 'x'],
      ['c', 'x+y'],
      ['de', 'y'],
      ['f', ''],
    ]);
  });

  it('covers the whole text exactly once', () => {
    const text = '𠀋𠀌 Qwen';
    const segs = segment(text, [{ id: 'z', start: 1, end: 2 }]);
    expect(segs.map((s) => text.slice(s.from, s.to)).join('')).toBe(text);
    expect(text.slice(segs[1].from, segs[1].to)).toBe('𠀌');
  });
});
