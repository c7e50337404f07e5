// The page view in the real window on a long PDF (scripts/bench-pdf-app.sh makes it): memory
// (PSS summed over the app and its WebKit processes) idle with the library shown, then with the
// PDF open in the page view after turning through it; and for each page turn and each jump,
// the time from setting the scroll position to the page's canvas holding its pixels, timed
// in the page (no WebDriver round trip inside a measurement).
//
// Usage (from scripts/bench-pdf-app.sh): node e2e/pdf-app.mjs APP_BINARY NOTEBOOK OUT_JSON
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';
import { percentile, pssKb, waitForPort } from './common.mjs';

const [app, notebook, outJson] = process.argv.slice(2);
const work = mkdtempSync(path.join(tmpdir(), 'dossier-pdf-'));
const env = { ...process.env, DOSSIER_NOTEBOOK: notebook, XDG_CONFIG_HOME: path.join(work, 'cfg'), XDG_DATA_HOME: path.join(work, 'data') };
const driver = spawn('tauri-driver', ['--port', '4484', '--native-port', '4485'], { env, stdio: 'ignore' });
await waitForPort(4484);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every process: pid → ppid. */
function processes() {
  const out = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      out.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  return out;
}

/** PSS of the app process and everything under it (the WebKit web and network processes), MB. */
function appPssMb() {
  const exe = realpathSync(app);
  const all = processes();
  const root = [...all.keys()].find((p) => { try { return realpathSync(`/proc/${p}/exe`) === exe; } catch { return false; } });
  if (!root) throw new Error('the app is not running');
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [p, pp] of all) if (pp === tree[i]) tree.push(p);
  return { mb: tree.reduce((s, p) => s + pssKb(p), 0) / 1024, processes: tree.length };
}

/** In the page: sets the scroll position to page `n` and resolves with the ms until its canvas is drawn. */
const turnTo = (n) => browser.executeAsync((n, done) => {
  const scroller = document.querySelector('[data-testid="page-view"] .pages');
  const page = document.querySelector(`[data-page="${n}"]`);
  const t0 = performance.now();
  scroller.scrollTop = page.offsetTop - 16;
  const wait = () => {
    if (page.querySelector('canvas[data-rendered="1"]')) requestAnimationFrame(() => done(performance.now() - t0));
    else if (performance.now() - t0 > 20000) done(-1);
    else requestAnimationFrame(wait);
  };
  wait();
}, n);

let browser;
let result;
try {
  browser = await remote({ hostname: '127.0.0.1', port: 4484, logLevel: 'error', capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app, args: ['--allow-folder', work] } } });
  await browser.setTimeout({ script: 60000 });
  await browser.$('[data-testid="article-item"]').waitForDisplayed({ timeout: 60000 });
  await sleep(10000);
  const idle = appPssMb();
  console.log(`idle: ${idle.mb.toFixed(0)} MB over ${idle.processes} processes`);

  const item = await browser.$('//*[@data-testid="article-item"][contains(., "Bericht")]');
  await item.click();
  await browser.$('[data-testid="mode-page"]').waitForDisplayed({ timeout: 10000 });
  const opened = performance.now();
  await browser.$('[data-testid="mode-page"]').click();
  await browser.waitUntil(() => browser.execute(() => !!document.querySelector('[data-page="1"] canvas[data-rendered="1"]')), { timeout: 60000, interval: 20 });
  const firstPageMs = performance.now() - opened;
  const pages = await browser.execute(() => document.querySelectorAll('[data-page]').length);
  console.log(`${pages} pages; first page drawn ${firstPageMs.toFixed(0)} ms after the click (WebDriver round trips included)`);

  const turns = [];
  for (let n = 2; n <= Math.min(pages, 101); n++) turns.push(await turnTo(n));
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const jumps = [];
  for (let i = 0; i < 40; i++) jumps.push(await turnTo(1 + Math.floor(random() * pages)));
  await sleep(3000);
  const open = appPssMb();
  console.log(`page view: ${open.mb.toFixed(0)} MB`);
  const stats = (xs) => ({ n: xs.length, p50Ms: +percentile(xs, 50).toFixed(1), p95Ms: +percentile(xs, 95).toFixed(1), maxMs: +Math.max(...xs).toFixed(1), failed: xs.filter((x) => x < 0).length });
  result = {
    pages,
    idlePssMb: Math.round(idle.mb),
    pageViewPssMb: Math.round(open.mb),
    ratio: +(open.mb / idle.mb).toFixed(2),
    firstPageMs: Math.round(firstPageMs),
    turns: stats(turns),
    jumps: stats(jumps),
    canvasesAtEnd: await browser.execute(() => document.querySelectorAll('[data-testid="page-view"] canvas').length),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  driver.kill();
}
writeFileSync(outJson, JSON.stringify(result, null, 2) + '\n');
