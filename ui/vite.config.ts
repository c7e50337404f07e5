import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// pdf.js reads character maps (for CJK fonts a PDF does not embed) and the 14
// standard fonts by URL. They ship with the app, beside the page, so a PDF
// renders with no network: copied from the pinned pdfjs-dist into dist/pdfjs/.
function pdfjsAssets(): Plugin {
  let outDir = 'dist';
  return {
    name: 'dossier-pdfjs-assets',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      const from = resolve(__dirname, 'node_modules/pdfjs-dist');
      for (const dir of ['cmaps', 'standard_fonts']) {
        cpSync(resolve(from, dir), resolve(__dirname, outDir, 'pdfjs', dir), { recursive: true });
      }
    },
  };
}

// The desktop webview loads the built files from disk; no dev server is needed
// for the app to run. `npm run dev` still serves the UI for quick styling work.
export default defineConfig({
  plugins: [svelte(), pdfjsAssets()],
  clearScreen: false,
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    include: ['**/*.test.ts'],
  },
});
