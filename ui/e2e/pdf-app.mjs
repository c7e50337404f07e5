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
  const each = Object.fromEntries(tree.map((p) => [`${readFileSync(`/proc/${p}/comm`, 'utf8').trim()}:${p}`, Math.round(pssKb(p) / 1024)]));
  return { mb: tree.reduce((s, p) => s + pssKb(p), 0) / 1024, processes: tree.length, each };
}

/** The largest mappings of a process by PSS (MB), to see where memory went. */
function topMappings(pid, n = 6) {
  const out = [];
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1] || '[anon]';
    const pss = /^Pss:\s+(\d+) kB/.exec(line);
    if (pss) out.push([name, Number(pss[1])]);
  }
  const by = new Map();
  for (const [k, v] of out) by.set(k, (by.get(k) ?? 0) + v);
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k}: ${Math.round(v / 1024)} MB`);
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
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const runs = [];
const all = { turns: [], flips: [], jumps: [], firstPage: [] };
try {
  for (let run = 1; run <= RUNS; run++) {
    // Each run a fresh app: memory is that of one session.
    browser = await remote({ hostname: '127.0.0.1', port: 4484, logLevel: 'error', capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app, args: ['--allow-folder', work] } } });
    await browser.setTimeout({ script: 60000 });
    await browser.$('[data-testid="article-item"]').waitForDisplayed({ timeout: 60000 });
    await sleep(10000);
    const idle = appPssMb();
    console.log(`run ${run} idle: ${idle.mb.toFixed(0)} MB ${JSON.stringify(idle.each)}`);

    const item = await browser.$('//*[@data-testid="article-item"][contains(., "Bericht")]');
    await item.click();
    await browser.$('[data-testid="mode-page"]').waitForDisplayed({ timeout: 10000 });
    const opened = performance.now();
    await browser.$('[data-testid="mode-page"]').click();
    await browser.waitUntil(() => browser.execute(() => !!document.querySelector('[data-page="1"] canvas[data-rendered="1"]')), { timeout: 60000, interval: 20 });
    all.firstPage.push(performance.now() - opened);
    const pages = await browser.execute(() => document.querySelectorAll('[data-page]').length);

    // Turning pages as a reader does (a turn every 400 ms: the page after is drawn meanwhile), and
    // flipping through them as fast as they come (each turn waits only for its own page).
    for (let n = 2; n <= Math.min(pages, 61); n++) {
      await sleep(400);
      all.turns.push(await turnTo(n));
    }
    for (let n = 62; n <= Math.min(pages, 121); n++) all.flips.push(await turnTo(n));
    let seed = 7 + run;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 40; i++) {
      await sleep(200);
      all.jumps.push(await turnTo(1 + Math.floor(random() * pages)));
    }
    const canvases = await browser.execute(() => document.querySelectorAll('[data-testid="page-view"] canvas').length);
    // Measured as the idle figure is: 10 s after the last action.
    await sleep(10000);
    const open = appPssMb();
    console.log(`run ${run} page view: ${open.mb.toFixed(0)} MB ${JSON.stringify(open.each)}`);
    for (const key of Object.keys(open.each).filter((k) => k.startsWith('WebKitWebProces'))) console.log(`  ${key}: ${topMappings(Number(key.split(':')[1])).join('; ')}`);
    runs.push({ pages, idlePssMb: Math.round(idle.mb), pageViewPssMb: Math.round(open.mb), ratio: +(open.mb / idle.mb).toFixed(2), canvases, idleByProcess: idle.each, pageViewByProcess: open.each });
    await browser.deleteSession().catch(() => {});
    browser = null;
  }
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  driver.kill();
}
const stats = (xs) => ({ n: xs.length, p50Ms: +percentile(xs, 50).toFixed(1), p95Ms: +percentile(xs, 95).toFixed(1), maxMs: +Math.max(...xs).toFixed(1), failed: xs.filter((x) => x < 0).length });
const result = {
  runs,
  ratioMedian: [...runs.map((r) => r.ratio)].sort((a, b) => a - b)[Math.floor(runs.length / 2)],
  firstPageMs: Math.round(percentile(all.firstPage, 50)),
  turns: stats(all.turns),
  flips: stats(all.flips),
  jumps: stats(all.jumps),
};
console.log(JSON.stringify(result, null, 2));
writeFileSync(outJson, JSON.stringify(result, null, 2) + '\n');
