// How completely a paged source was read, for the reader's warning. The rule
// is the Rust model's (`PageReading::incomplete`, `reading_warnings`): a page
// is incomplete when it draws only images, or when more than 2 % of its
// glyphs (and at least 3) could not be read.
import type { PageReading } from './bindings/PageReading';

export function incomplete(p: PageReading): boolean {
  const missing = Math.max(p.glyphs - p.decoded, 0);
  return p.image_only || (missing >= 3 && missing * 50 > p.glyphs);
}

export interface ReadingGaps {
  /** Pages that draw images but no text. */
  scans: number[];
  /** Pages with glyphs that could not be read. */
  partial: number[];
  missing: number;
  glyphs: number;
}

export function readingGaps(pages: PageReading[]): ReadingGaps {
  const gaps: ReadingGaps = { scans: [], partial: [], missing: 0, glyphs: 0 };
  for (const p of pages) {
    if (!incomplete(p)) continue;
    if (p.image_only) {
      gaps.scans.push(p.page);
    } else {
      gaps.partial.push(p.page);
      gaps.missing += Math.max(p.glyphs - p.decoded, 0);
      gaps.glyphs += p.glyphs;
    }
  }
  return gaps;
}

/** `1, 3–5, 9` for sorted page numbers. */
export function pageList(pages: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + 1) j++;
    parts.push(j === i ? `${pages[i]}` : `${pages[i]}–${pages[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
