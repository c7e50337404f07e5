// The window's data flow, checked on its sources: only the store talks to the
// Rust side (api.ts and the generated calls), so every write goes through an
// action that applies its result and refetches what it touched.
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts', '!./bindings/**', '!./api.ts', '!./store.svelte.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('data flow', () => {
  it('only the store calls the api', () => {
    const callers = Object.entries(sources)
      .filter(([, text]) => /\bapi\.\w+\(|import\s*\{[^}]*\bapi\b[^}]*\}\s*from/.test(text))
      .map(([path]) => path);
    expect(callers).toEqual([]);
  });
  it('the check sees the components', () => {
    expect(Object.keys(sources).filter((p) => p.endsWith('.svelte')).length).toBeGreaterThan(10);
  });
});
