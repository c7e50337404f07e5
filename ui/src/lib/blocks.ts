// Laying out an article's text by its blocks: tables as tables, figures with
// their images, everything else as the running text it always was.
//
// The reader maps a DOM selection back to the text by counting the characters
// before it (Range.toString), so every character of the text stays in the DOM
// in order: the tab and line break between a table's cells and the blank line
// around a table or figure are kept in hidden spans, never dropped.
import type { Block } from './bindings/Block';
import type { FigureImage } from './bindings/FigureImage';
import type { OffsetMap } from './offsets';
import type { Segment } from './segments';

/** UTF-16 ranges of the text, end exclusive. */
export interface Range16 { from: number; to: number }

export interface Cell extends Range16 {
  /** The separator after the cell (tab or line break), hidden: [to, sepTo). */
  sepTo: number;
}

export type Piece =
  | ({ kind: 'text' } & Range16)
  | ({ kind: 'heading' | 'code' } & Range16)
  | ({ kind: 'sep' } & Range16)
  | ({ kind: 'table'; rows: Cell[][] } & Range16)
  | ({ kind: 'figure'; image: FigureImage | null } & Range16);

/**
 * The pieces of `text` in order: runs of text, and the tables and figures
 * `blocks` name, with hidden separators between them. Without tables and
 * figures the text is one piece. Blocks out of order or outside the text are
 * left to the running text.
 */
export function pieces(text: string, blocks: Block[], map: OffsetMap): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  let afterSpecial = false;
  const pushText = (from: number, to: number, beforeSpecial: boolean) => {
    let f = from;
    let t = to;
    if (afterSpecial && text.startsWith('\n\n', f) && f + 2 <= t) {
      out.push({ kind: 'sep', from: f, to: f + 2 });
      f += 2;
    }
    let tail: Piece | null = null;
    if (beforeSpecial && t - 2 >= f && text.startsWith('\n\n', t - 2)) {
      tail = { kind: 'sep', from: t - 2, to: t };
      t -= 2;
    }
    if (t > f) out.push({ kind: 'text', from: f, to: t });
    if (tail) out.push(tail);
  };
  for (const b of blocks) {
    if (b.kind === 'heading' || b.kind === 'code') {
      // Set in their own type, in the running text (the blank lines around them stay text).
      const from = map.toUtf16(b.start);
      const to = map.toUtf16(b.end);
      if (from < at || to > text.length || to <= from) continue;
      pushText(at, from, false);
      out.push({ kind: b.kind, from, to });
      at = to;
      afterSpecial = false;
      continue;
    }
    if (b.kind !== 'table' && b.kind !== 'figure') continue;
    const from = map.toUtf16(b.start);
    const to = map.toUtf16(b.end);
    if (from < at || to > text.length || to < from) continue;
    pushText(at, from, true);
    if (b.kind === 'table') {
      const rows: Cell[][] = [];
      let ok = true;
      let prev = from;
      for (const row of b.cells) {
        const cells: Cell[] = [];
        for (const c of row) {
          const cf = map.toUtf16(c.start);
          const ct = map.toUtf16(c.end);
          if (cf < prev || ct < cf || ct > to) { ok = false; break; }
          // A gap before a cell (there is none in a table Dossier read) goes with the cell before.
          if (cells.length > 0) cells[cells.length - 1].sepTo = cf;
          else if (rows.length > 0) rows[rows.length - 1][rows[rows.length - 1].length - 1].sepTo = cf;
          cells.push({ from: cf, to: ct, sepTo: ct });
          prev = ct;
        }
        if (!ok) break;
        if (cells.length > 0) rows.push(cells);
      }
      if (!ok || rows.length === 0 || rows[0][0].from !== from) {
        // Cells that do not tile the table: shown as its text.
        out.push({ kind: 'text', from, to });
      } else {
        rows[rows.length - 1][rows[rows.length - 1].length - 1].sepTo = to;
        out.push({ kind: 'table', from, to, rows });
      }
    } else {
      out.push({ kind: 'figure', from, to, image: b.image });
    }
    at = to;
    afterSpecial = true;
  }
  pushText(at, text.length, false);
  return out;
}

/** The parts of `segments` inside [from, to), cut at its ends. */
export function clip(segments: Segment[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  // Segments are in order and tile the text: find the first one reaching past `from`.
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].to <= from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < segments.length && segments[i].from < to; i++) {
    const s = segments[i];
    out.push({ from: Math.max(s.from, from), to: Math.min(s.to, to), claims: s.claims });
  }
  return out;
}
