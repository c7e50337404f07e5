import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The desktop webview loads the built files from disk; no dev server is needed
// for the app to run. `npm run dev` still serves the UI for quick styling work.
export default defineConfig({
  plugins: [svelte()],
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
