// The table of claims and the matrix in the real window on a large notebook (scripts/gen-large.sh,
// topped up to a million claims): opens the table, scrolls it from top to bottom as a wheel
// would, jumps through it, sorts it, and draws a matrix with its chart — while a probe in the
// page records every gap between two animation frames (60 fps is a gap of 16.7 ms; the share
// of gaps over 20 ms and the longest gap say whether scrolling kept up).
//
// Usage (from scripts/bench-table-app.sh): node e2e/table-app.mjs APP_BINARY NOTEBOOK OUT_JSON
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';
import { percentile, waitForPort } from './common.mjs';

const [app, notebook, outJson] = process.argv.slice(2);
const work = mkdtempSync(path.join(tmpdir(), 'dossier-table-'));
const env = { ...process.env, DOSSIER_NOTEBOOK: notebook, XDG_CONFIG_HOME: path.join(work, 'cfg'), XDG_DATA_HOME: path.join(work, 'data') };
const driver = spawn('tauri-driver', ['--port', '4474', '--native-port', '4475'], { env, stdio: 'ignore' });
await waitForPort(4474);

const steps = [];
let browser;
/** Runs `fn` with a frame probe on; records wall time and the frame gaps (ms) seen meanwhile. */
async function step(name, fn) {
  await browser.execute(() => {
    const probe = (window.__probe = { gaps: [], last: performance.now(), on: true });
    const tick = (t) => { probe.gaps.push(t - probe.last); probe.last = t; if (probe.on) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const t = performance.now();
  const detail = await fn();
  const ms = performance.now() - t;
  const gaps = await browser.execute(() => { window.__probe.on = false; return window.__probe.gaps; });
  const sorted = [...gaps].sort((a, b) => a - b);
  const row = {
    step: name,
    ms: Math.round(ms),
    frames: gaps.length,
    p50FrameMs: +percentile(sorted, 50).toFixed(1),
    p95FrameMs: +percentile(sorted, 95).toFixed(1),
    longestFrameMs: Math.round(sorted.at(-1) ?? 0),
    over20ms: gaps.filter((g) => g > 20).length,
    ...(detail ?? {}),
  };
  console.log(JSON.stringify(row));
  steps.push(row);
}

const total = () => browser.execute(() => Number((document.querySelector('[data-testid="table-total"]')?.innerText.match(/[\d.,  ]+/) ?? ['0'])[0].replace(/\D/g, '')));
const firstRow = () => browser.execute(() => document.querySelector('[data-testid="table-row"] .quote')?.textContent ?? '');

let result;
try {
  browser = await remote({ hostname: '127.0.0.1', port: 4474, logLevel: 'error', capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app, args: ['--allow-folder', work] } } });
  await browser.setTimeout({ script: 600000 });
  await browser.$('[data-testid="article-item"]').waitForDisplayed({ timeout: 600000, interval: 50 });

  let claims = 0;
  await step('open the table of claims (every claim, in the order they were made)', async () => {
    await browser.execute(() => document.querySelector('[data-testid="table-button"]').click());
    await browser.waitUntil(async () => (await total()) > 0 && (await firstRow()) !== '', { timeout: 600000, interval: 20, timeoutMsg: 'the table never filled' });
    claims = await total();
    return { claims };
  });

  await step('scroll the table as a wheel would: 120 px a frame for 600 frames', async () => {
    await browser.executeAsync((done) => {
      const body = document.querySelector('[data-testid="table-body"]');
      let i = 0;
      const next = () => {
        body.scrollTop += 120;
        if (++i < 600) requestAnimationFrame(next); else setTimeout(done, 100);
      };
      next();
    });
    return { blankRowsAtEnd: await browser.execute(() => [...document.querySelectorAll('[data-testid="table-row"]')].filter((r) => !r.querySelector('.quote')).length) };
  });

  await step('jump through the table: 40 jumps from top to bottom, one a frame', async () => {
    await browser.executeAsync((done) => {
      const body = document.querySelector('[data-testid="table-body"]');
      let i = 0;
      const next = () => {
        body.scrollTop = ((body.scrollHeight - body.clientHeight) * ++i) / 40;
        if (i < 40) requestAnimationFrame(next); else setTimeout(done, 50);
      };
      next();
    });
    // The rows at the bottom arrive from their page.
    await browser.waitUntil(async () => browser.execute(() => [...document.querySelectorAll('[data-testid="table-row"]')].every((r) => r.querySelector('.quote'))), { timeout: 30000, interval: 10, timeoutMsg: 'the last rows never came' });
  });

  // Back to the top first (outside the timing), so the first row is the first claim made.
  await browser.execute(() => { document.querySelector('[data-testid="table-body"]').scrollTop = 0; });
  await browser.waitUntil(async () => (await firstRow()) !== '', { timeout: 30000, interval: 20 });
  await step('sort the table by quote (a new view of a million claims, its first page drawn)', async () => {
    const before = await firstRow();
    await browser.execute(() => document.querySelector('[data-testid="sort-quote"]').click());
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="sort-quote"]').innerText.includes('▲'))) && (await firstRow()) !== before && (await firstRow()) !== '', { timeout: 600000, interval: 10, timeoutMsg: 'never sorted' });
    return { firstQuote: (await firstRow()).slice(0, 40) };
  });

  await step('filter the table by stance (contests)', async () => {
    const all = await total();
    await browser.execute(() => {
      const s = document.querySelector('[data-testid="table-stance"]');
      s.value = [...s.options].find((o) => o.textContent.toLowerCase().includes('contest'))?.value ?? s.value;
      s.selectedIndex = [...s.options].findIndex((o) => /contest|bestreit/i.test(o.textContent));
      s.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await browser.waitUntil(async () => (await total()) < all && (await total()) > 0, { timeout: 600000, interval: 20, timeoutMsg: 'never filtered' });
    return { shown: await total() };
  });

  // The matrix view opens on its default matrix first (outside the timing); each step then
  // times one choice of axes until its table and chart are drawn.
  await browser.execute(() => document.querySelector('[data-testid="matrix-button"]').click());
  await browser.waitUntil(async () => browser.execute(() => document.querySelectorAll('[data-testid="matrix-cell"]').length > 0), { timeout: 600000, interval: 20, timeoutMsg: 'the default matrix never drew' });
  for (const [rows, cols] of [['code', 'analyst'], ['code', 'month'], ['code', 'lang'], ['stance', 'verdict']]) {
    await step(`matrix ${rows} × ${cols} with its chart, in the window`, async () => {
      const before = await browser.execute(() => document.querySelector('[data-testid="matrix-table"]')?.innerText ?? '');
      await browser.execute((rows, cols) => {
        for (const [id, v] of [['matrix-rows', rows], ['matrix-cols', cols]]) {
          const s = document.querySelector(`[data-testid="${id}"]`);
          s.value = v;
          s.dispatchEvent(new Event('change', { bubbles: true }));
        }
      }, rows, cols);
      await browser.waitUntil(async () => browser.execute((before) => {
        const table = document.querySelector('[data-testid="matrix-table"]')?.innerText ?? '';
        return table !== '' && table !== before && document.querySelectorAll('[data-testid="matrix-chart"] svg rect').length > 0;
      }, before), { timeout: 600000, interval: 10, timeoutMsg: 'the matrix never drew' });
      return { cells: await browser.execute(() => document.querySelectorAll('[data-testid="matrix-cell"]').length) };
    });
  }
  result = { notebook, claims, steps };
} finally {
  await browser?.deleteSession().catch(() => {});
  driver.kill();
}
writeFileSync(outJson, JSON.stringify(result, null, 2));
