// Offsets between the browser (UTF-16 code units) and Dossier (Unicode code points).
// The Rust side counts code points (W3C TextPositionSelector); DOM ranges count
// UTF-16 units. Characters beyond the BMP (emoji, CJK Extension B) are one code
// point but two units, so every conversion goes through these two functions,
// which mirror `dossier_model::anchor::{utf16_to_code_points, code_points_to_utf16}`.

/** Code-point offset of a UTF-16 offset; an offset inside a surrogate pair rounds down. */
export function utf16ToCodePoints(text: string, utf16: number): number {
  let units = 0;
  let cp = 0;
  for (const ch of text) {
    const next = units + ch.length;
    if (next > utf16) return cp;
    units = next;
    cp += 1;
  }
  return cp;
}

/** UTF-16 offset of a code-point offset (clamped to the text). */
export function codePointsToUtf16(text: string, cp: number): number {
  let units = 0;
  let i = 0;
  for (const ch of text) {
    if (i === cp) return units;
    units += ch.length;
    i += 1;
  }
  return units;
}

/** Precomputed mapping for one text: O(1) code point → UTF-16 after O(n) setup. */
export class OffsetMap {
  private readonly cpToUnit: Uint32Array;
  constructor(readonly text: string) {
    const map: number[] = [];
    let units = 0;
    for (const ch of text) {
      map.push(units);
      units += ch.length;
    }
    map.push(units);
    this.cpToUnit = Uint32Array.from(map);
  }
  get length(): number {
    return this.cpToUnit.length - 1;
  }
  toUtf16(cp: number): number {
    return this.cpToUnit[Math.max(0, Math.min(cp, this.length))];
  }
  toCodePoints(utf16: number): number {
    // Binary search for the last code point whose unit offset is <= utf16.
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cpToUnit[mid] <= utf16) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** What the UI sends to create a claim from a selection (code points, end exclusive). */
export interface SelectionSelector {
  exact: string;
  start: number;
  end: number;
}

/**
 * Turns a selection given in UTF-16 offsets of `text` into a code-point selector.
 * Leading and trailing whitespace is trimmed, as a person selecting text expects.
 * Returns null for an empty or whitespace-only selection.
 */
export function selectionToSelector(text: string, startUtf16: number, endUtf16: number): SelectionSelector | null {
  let a = Math.max(0, Math.min(startUtf16, endUtf16));
  let b = Math.min(text.length, Math.max(startUtf16, endUtf16));
  while (a < b && /\s/.test(text[a])) a += 1;
  while (b > a && /\s/.test(text[b - 1])) b -= 1;
  if (a >= b) return null;
  // Never split a surrogate pair: widen to whole characters.
  if (a > 0 && isLowSurrogate(text.charCodeAt(a))) a -= 1;
  if (b < text.length && isLowSurrogate(text.charCodeAt(b))) b += 1;
  const start = utf16ToCodePoints(text, a);
  const end = utf16ToCodePoints(text, b);
  return { exact: text.slice(a, b), start, end };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
