// The desktop app on a large notebook (scripts/gen-large.sh: 100 000 articles, 1 000 000
// claims): opens it in the real window and times what an analyst does first — the library
// appears, scrolls to the end, filters by text, language and code, an article with its
// claims opens, the palette searches, a CSV of every claim is exported — while a probe in
// the page records the longest gap between two animation frames during each step (the
// window "stays responsive" when that gap stays short). Memory is the PSS of the app and
// its WebKit processes after opening and at the end.
//
// With --upgraded it plays the first open after an update instead: the live index is marked as
// made by another version (what a release with another analysis finds), the app opens the
// notebook, rebuilds the index beside the old one in the background, and the palette must
// answer from the previous index meanwhile — saying so — until the new one is swapped in.
//
// Usage (from scripts/bench-large-app.sh): node e2e/large-app.mjs APP_BINARY NOTEBOOK OUT_JSON [--upgraded]
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';
import { percentile, pssKb, waitForPort } from './common.mjs';

const [app, notebook, outJson, mode] = process.argv.slice(2);
const upgraded = mode === '--upgraded';
if (upgraded) {
  const live = existsSync(path.join(notebook, 'index.live')) ? readFileSync(path.join(notebook, 'index.live'), 'utf8').trim() : 'index';
  writeFileSync(path.join(notebook, live, 'dossier-index-version'), 'dossier-index-0');
}
const work = mkdtempSync(path.join(tmpdir(), 'dossier-large-'));
const env = { ...process.env, DOSSIER_NOTEBOOK: notebook, XDG_CONFIG_HOME: path.join(work, 'cfg'), XDG_DATA_HOME: path.join(work, 'data') };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pssMb() {
  // By process name (not command line, which for this script names the app too).
  const pids = execFileSync('pgrep', ['^(dossier-app|WebKitWebProces|WebKitNetworkPr)'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return Math.round(pids.reduce((kb, p) => kb + pssKb(p), 0) / 1024);
}

const driver = spawn('tauri-driver', ['--port', '4464', '--native-port', '4465'], { env, stdio: 'ignore' });
await waitForPort(4464);

const steps = [];
let browser;
/** Runs `fn` between two frame probes; records its wall time and the longest frame gap. */
async function step(name, fn) {
  await browser.execute(() => {
    const probe = (window.__probe = { max: 0, last: performance.now(), on: true });
    const tick = (t) => { probe.max = Math.max(probe.max, t - probe.last); probe.last = t; if (probe.on) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const t = performance.now();
  const detail = await fn();
  const ms = performance.now() - t;
  const longestFrameMs = await browser.execute(() => { window.__probe.on = false; return window.__probe.max; });
  const row = { step: name, ms: Math.round(ms), longestFrameMs: Math.round(longestFrameMs), ...(detail ?? {}) };
  console.log(JSON.stringify(row));
  steps.push(row);
}

const count = () => browser.execute(() => {
  const spacer = document.querySelector('.viewport .spacer');
  return spacer ? Math.round(parseFloat(spacer.style.height) / 58) : 0;
});
const untilCount = (pred, what) => browser.waitUntil(async () => pred(await count()), { timeout: 120000, interval: 20, timeoutMsg: what });
const setSelect = (index, value) => browser.execute((index, value) => {
  const s = document.querySelectorAll('.filters select')[index];
  s.value = value;
  s.dispatchEvent(new Event('change', { bubbles: true }));
}, index, value);
const setText = (value) => browser.execute((value) => {
  const i = document.querySelector('[data-testid="article-filter"]');
  i.value = value;
  i.dispatchEvent(new Event('input', { bubbles: true }));
}, value);

/** One library filter as a step: `set(on)` narrows the list of `total`; undone afterwards, outside the timing. */
async function filterStep(name, total, set) {
  await step(name, async () => {
    await set(true);
    await untilCount((n) => n < total, `${name}: the list never narrowed`);
    return { shown: await count() };
  });
  await set(false);
  await untilCount((n) => n === total, 'the list is whole again');
}

let result;
try {
  const t0 = performance.now();
  browser = await remote({ hostname: '127.0.0.1', port: 4464, logLevel: 'error', capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app, args: ['--allow-folder', work] } } });
  await browser.setTimeout({ script: 600000 });
  await browser.$('[data-testid="article-item"]').waitForDisplayed({ timeout: 600000, interval: 50 });
  const openMs = performance.now() - t0;
  const total = await count();
  console.log(JSON.stringify({ step: 'open: window to a library of all articles', ms: Math.round(openMs), articles: total }));
  if (upgraded) {
    const typeQuery = (q) => browser.execute((q) => {
      const el = document.querySelector('[data-testid="search-input"]');
      el.value = q;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, q);
    // The palette while the index is rebuilt: hits from the previous index, and the notice.
    const q = 'Datenintegrität';
    const t1 = performance.now();
    await browser.keys(['Control', 'k']);
    await browser.$('[data-testid="search-input"]').waitForDisplayed({ timeout: 5000 });
    await typeQuery(q);
    await browser.$('[data-testid="search-hit"]').waitForDisplayed({ timeout: 60000, interval: 20 });
    const answeredMs = performance.now() - t1;
    const notice = await browser.$('[data-testid="search-rebuilding"]');
    await notice.waitForDisplayed({ timeout: 10000, interval: 50 });
    const during = await browser.execute(() => ({
      hits: document.querySelectorAll('[data-testid="search-hit"]').length,
      notice: document.querySelector('[data-testid="search-rebuilding"]')?.innerText ?? '',
      more: document.querySelector('[data-testid="search-more"]')?.innerText ?? '',
    }));
    await browser.saveScreenshot(path.join(path.dirname(outJson), 'screenshots', 'search-during-rebuild.png'));
    // Then the swap: the notice goes when the new index is live; the same query answers from it.
    await browser.waitUntil(async () => !(await browser.$('[data-testid="search-rebuilding"]').isExisting()), { timeout: 600000, interval: 250, timeoutMsg: 'the rebuild never finished' });
    const rebuiltAfterMs = Math.round(performance.now() - t0);
    await typeQuery('');
    await sleep(300);
    await typeQuery(q);
    await browser.$('[data-testid="search-hit"]').waitForDisplayed({ timeout: 60000, interval: 20 });
    await sleep(500);
    const after = await browser.execute(() => ({
      hits: document.querySelectorAll('[data-testid="search-hit"]').length,
      more: document.querySelector('[data-testid="search-more"]')?.innerText ?? '',
      rebuilding: !!document.querySelector('[data-testid="search-rebuilding"]'),
    }));
    if (!during.notice || during.hits === 0 || after.rebuilding || during.more !== after.more) {
      throw new Error(`search during the rebuild: ${JSON.stringify({ during, after })}`);
    }
    result = { notebook, articles: total, openMs: Math.round(openMs), query: q, answeredDuringRebuildMs: Math.round(answeredMs), during, rebuiltAfterMs, after, pssMb: pssMb() };
    console.log(JSON.stringify(result));
  } else {
    await sleep(5000);
    const pssAfterOpen = pssMb();

    await step('scroll the library to its end in 40 steps', async () => {
      await browser.executeAsync((done) => {
        const v = document.querySelector('.viewport');
        let i = 0;
        const next = () => {
          v.scrollTop = (v.scrollHeight * ++i) / 40;
          if (i < 40) requestAnimationFrame(next); else setTimeout(done, 50);
        };
        next();
      });
      const last = await browser.execute(() => [...document.querySelectorAll('[data-testid="article-item"]')].length);
      return { rowsInDom: last };
    });
    await browser.execute(() => { document.querySelector('.viewport').scrollTop = 0; });

    await filterStep('filter the library by text (“integrity 4”)', total, (on) => setText(on ? 'integrity 4' : ''));
    await filterStep('filter the library by language (zh)', total, (on) => setSelect(0, on ? 'zh' : ''));
    await filterStep('filter the library by code (Trust/Security and below)', total, (on) => setSelect(1, on ? 'Trust/Security' : ''));

    await step('open an article with its claims (reader and claim panel)', async () => {
      const before = await browser.execute(() => document.querySelector('[data-testid="article-title"]')?.innerText ?? '');
      await browser.execute(() => document.querySelectorAll('[data-testid="article-item"]')[3].click());
      await browser.waitUntil(async () => (await browser.execute(() => document.querySelector('[data-testid="article-title"]')?.innerText ?? '')) !== before, { timeout: 30000, interval: 20 });
      await browser.waitUntil(async () => (await browser.execute(() => document.querySelectorAll('[data-testid="claim-item"]').length)) > 0, { timeout: 30000, interval: 20 });
      return { claims: await browser.execute(() => document.querySelectorAll('[data-testid="claim-item"]').length) };
    });

    const queries = ['Datenintegrität', 'open weights', '透明度', 'Vertrauen', 'transparency', 'Qwen'];
    await step(`search in the palette (${queries.length} queries typed key by key)`, async () => {
      await browser.keys(['Control', 'k']);
      await browser.$('[data-testid="search-input"]').waitForDisplayed({ timeout: 5000 });
      await browser.executeAsync((queries, done) => {
        const el = document.querySelector('[data-testid="search-input"]');
        const keys = [];
        for (const q of queries) { for (const i of [...q].keys()) keys.push([...q].slice(0, i + 1).join('')); keys.push(''); }
        let i = 0;
        const next = () => {
          if (i >= keys.length) return setTimeout(done, 800);
          el.value = keys[i++];
          el.dispatchEvent(new Event('input', { bubbles: true }));
          setTimeout(next, el.value === '' ? 600 : 120);
        };
        next();
      }, queries);
      const lat = await browser.execute(() => window.__dossierSearchLatency ?? []);
      const ipc = await browser.execute(() => window.__dossierSearchIpc ?? []);
      const pct = (xs, p) => Math.round(percentile(xs, p));
      await browser.keys(['Escape']);
      return { keystrokes: lat.length, keystrokeToResultsP50Ms: pct(lat, 50), keystrokeToResultsP99Ms: pct(lat, 99), searchIpcP50Ms: pct(ipc, 50), searchIpcP99Ms: pct(ipc, 99) };
    });

    const csv = path.join(work, 'all-claims.csv');
    await step('export a CSV of every claim (through the export command, window in use)', async () => {
      const r = await browser.executeAsync((out, done) => {
        const channel = `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
        window.__TAURI_INTERNALS__.invoke('call_with_progress', { command: 'export', args: { format: 'csv', out, scope: { article_id: null, code: null }, force: false }, onProgress: channel })
          .then(() => done('ok'), (e) => done(JSON.stringify(e)));
      }, csv);
      if (r !== 'ok') throw new Error(`export failed: ${r}`);
      return { mb: Math.round(statSync(csv).size / 1e6) };
    });
    result = { notebook, articles: total, openMs: Math.round(openMs), pssAfterOpenMb: pssAfterOpen, pssAtEndMb: pssMb(), steps };
  }
} finally {
  await browser?.deleteSession().catch(() => {});
  driver.kill();
}
writeFileSync(outJson, JSON.stringify(result, null, 2));
if (!upgraded) console.log(JSON.stringify({ openMs: result.openMs, pssAfterOpenMb: result.pssAfterOpenMb, pssAtEndMb: result.pssAtEndMb }));
