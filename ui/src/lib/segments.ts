// Splitting an article's text into runs for highlighting overlapping claims.
import { OffsetMap } from './offsets';

export interface Span {
  /** Stable id of the claim. */
  id: string;
  /** Code points, end exclusive. */
  start: number;
  end: number;
}

export interface Segment {
  /** UTF-16 offsets into the text, for slicing and for mapping a DOM selection back. */
  from: number;
  to: number;
  /** Claims covering this run, in the order given. */
  claims: string[];
}

/** Cuts `text` at every claim boundary; each run lists the claims covering it. */
export function segment(text: string, spans: Span[], map = new OffsetMap(text)): Segment[] {
  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) {
    cuts.add(map.toUtf16(s.start));
    cuts.add(map.toUtf16(s.end));
  }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const ranges = spans.map((s) => ({ id: s.id, from: map.toUtf16(s.start), to: map.toUtf16(s.end) }));
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i];
    const to = points[i + 1];
    if (from === to) continue;
    const claims = ranges.filter((r) => r.from <= from && r.to >= to).map((r) => r.id);
    out.push({ from, to, claims });
  }
  return out;
}
