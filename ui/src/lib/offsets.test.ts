import { describe, expect, it } from 'vitest';
import { OffsetMap, codePointsToUtf16, selectionToSelector, utf16ToCodePoints } from './offsets';

// The same text as the Rust anchor tests: 😀 (U+1F600) and 𠀋 (U+2000B, CJK
// Extension B) are one code point each but two UTF-16 units.
const TEXT = 'Vorwort 😀 und 𠀋 vor dem Satz: Qwen ist offen. Qwen ist offen.';

describe('UTF-16 ↔ code points', () => {
  it('counts characters beyond the BMP as one code point', () => {
    expect('Vorwort 😀'.length).toBe(10);
    expect(utf16ToCodePoints(TEXT, 10)).toBe(9);
    expect(codePointsToUtf16(TEXT, 9)).toBe(10);
  });

  it('rounds an offset inside a surrogate pair down', () => {
    expect(utf16ToCodePoints(TEXT, 9)).toBe(8);
  });

  it('round-trips every code-point offset, and OffsetMap agrees', () => {
    const map = new OffsetMap(TEXT);
    const cps = [...TEXT].length;
    expect(map.length).toBe(cps);
    for (let cp = 0; cp <= cps; cp++) {
      const u = codePointsToUtf16(TEXT, cp);
      expect(utf16ToCodePoints(TEXT, u)).toBe(cp);
      expect(map.toUtf16(cp)).toBe(u);
      expect(map.toCodePoints(u)).toBe(cp);
    }
  });

  it('matches the positions the Rust side computes for a quote', () => {
    // Rust: Anchor::from_quote(TEXT, "Qwen ist offen", 1) starts at code point 30.
    const u = TEXT.indexOf('Qwen');
    expect(u).toBe(32);
    expect(utf16ToCodePoints(TEXT, u)).toBe(30);
  });
});

describe('selection → selector', () => {
  it('trims whitespace and reports code points', () => {
    const u = TEXT.indexOf(' 😀 und 𠀋 ');
    const sel = selectionToSelector(TEXT, u, u + ' 😀 und 𠀋 '.length)!;
    expect(sel.exact).toBe('😀 und 𠀋');
    expect(sel.start).toBe(8);
    expect(sel.end).toBe(15);
    expect(sel.end - sel.start).toBe([...sel.exact].length);
  });

  it('never splits a surrogate pair', () => {
    const u = TEXT.indexOf('😀');
    const sel = selectionToSelector(TEXT, u + 1, u + 2)!;
    expect(sel.exact).toBe('😀');
    expect(sel.start).toBe(8);
    expect(sel.end).toBe(9);
  });

  it('accepts a backwards selection and rejects an empty one', () => {
    const u = TEXT.indexOf('Qwen');
    expect(selectionToSelector(TEXT, u + 4, u)!.exact).toBe('Qwen');
    expect(selectionToSelector(TEXT, 3, 3)).toBeNull();
    expect(selectionToSelector(TEXT, 7, 8)).toBeNull();
  });
});
