import { describe, expect, it } from 'vitest';
import { incomplete, pageList, readingGaps } from './reading';

const page = (page: number, glyphs: number, decoded: number, image_only = false) => ({ page, glyphs, decoded, engine: 'pdf-extract', image_only });

describe('reading gaps', () => {
  it('uses the model rule: 2 % and at least 3 glyphs, or an image-only page', () => {
    expect(incomplete(page(1, 100, 98))).toBe(false);
    expect(incomplete(page(1, 100, 97))).toBe(true);
    expect(incomplete(page(1, 10, 8))).toBe(false);
    expect(incomplete(page(1, 0, 0, true))).toBe(true);
  });
  it('names scans and partly read pages apart, with what is missing', () => {
    const g = readingGaps([page(1, 500, 500), page(2, 0, 0, true), page(3, 400, 100), page(4, 300, 0)]);
    expect(g.scans).toEqual([2]);
    expect(g.partial).toEqual([3, 4]);
    expect(g.missing).toBe(600);
    expect(g.glyphs).toBe(700);
  });
  it('writes page ranges', () => {
    expect(pageList([1, 3, 4, 5, 9])).toBe('1, 3–5, 9');
    expect(pageList([])).toBe('');
  });
});
