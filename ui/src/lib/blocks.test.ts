import { describe, expect, it } from 'vitest';
import { clip, pieces } from './blocks';
import { OffsetMap } from './offsets';
import { segment } from './segments';
import type { Block } from './bindings/Block';

const block = (b: Partial<Block> & Pick<Block, 'kind' | 'start' | 'end'>): Block => ({ page: null, cells: [], image: null, ...b });

describe('pieces', () => {
  // "Titel", a table of 2 × 2 with a CJK cell beyond the BMP, a figure, "Ende".
  const text = 'Titel\n\nA\t𠀀B\nC\tD\n\nBild 1\n\nEnde';
  const map = new OffsetMap(text);
  const blocks: Block[] = [
    block({ kind: 'heading', start: 0, end: 5 }),
    block({ kind: 'table', start: 7, end: 15, cells: [[{ start: 7, end: 8 }, { start: 9, end: 11 }], [{ start: 12, end: 13 }, { start: 14, end: 15 }]] }),
    block({ kind: 'figure', start: 17, end: 23, image: { sha256: 'a'.repeat(64), media_type: 'image/png', width: 4, height: 3 } }),
    block({ kind: 'paragraph', start: 25, end: 29 }),
  ];

  it('keeps every character, in order, in some piece', () => {
    const p = pieces(text, blocks, map);
    let at = 0;
    for (const piece of p) {
      expect(piece.from).toBe(at);
      at = piece.to;
    }
    expect(at).toBe(text.length);
    expect(p.map((x) => x.kind)).toEqual(['heading', 'sep', 'table', 'sep', 'figure', 'sep', 'text']);
  });

  it('gives each cell its text and the separator after it', () => {
    const p = pieces(text, blocks, map);
    const table = p.find((x) => x.kind === 'table');
    if (table?.kind !== 'table') throw new Error('no table');
    const cells = table.rows.map((r) => r.map((c) => text.slice(c.from, c.to)));
    expect(cells).toEqual([['A', '𠀀B'], ['C', 'D']]);
    const seps = table.rows.flat().map((c) => text.slice(c.to, c.sepTo));
    expect(seps).toEqual(['\t', '\n', '\t', '']);
  });

  it('shows cells that do not tile their table as text', () => {
    const bad = [block({ kind: 'table', start: 7, end: 15, cells: [[{ start: 9, end: 8 }]] })];
    expect(pieces(text, bad, map).map((x) => x.kind)).toEqual(['text', 'sep', 'text', 'sep', 'text']);
    expect(pieces(text, [blocks[0], ...bad], map).map((x) => x.kind)).toEqual(['heading', 'sep', 'text', 'sep', 'text']);
  });

  it('is the whole text when there are no tables or figures', () => {
    expect(pieces('a\n\nb', [], new OffsetMap('a\n\nb'))).toEqual([{ kind: 'text', from: 0, to: 4 }]);
  });
});

describe('clip', () => {
  it('cuts segments at the range ends', () => {
    const text = 'abcdefgh';
    const s = segment(text, [{ id: 'x', start: 2, end: 6 }]);
    expect(clip(s, 3, 7)).toEqual([
      { from: 3, to: 6, claims: ['x'] },
      { from: 6, to: 7, claims: [] },
    ]);
    expect(clip(s, 0, 0)).toEqual([]);
  });
});
