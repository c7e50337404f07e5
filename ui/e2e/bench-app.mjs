// Desktop-app benchmark: Dossier beside Tauri's bare template, same machine, same run.
// Measures launch → first painted frame, idle memory (PSS summed over the app and
// its WebKit processes) after 10 s, and keystroke → results in the search palette.
// Usage (from scripts/bench-app.sh): node e2e/bench-app.mjs DOSSIER_BIN EMPTY_BIN SAMPLE_NB BIG_NB OUT_JSON
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';
import { percentile, pssKb, waitForPort } from './common.mjs';

const [dossierBin, emptyBin, sampleNb, bigNb, outJson] = process.argv.slice(2);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function children(pid) {
  const out = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(p), ...children(Number(p)));
    } catch {}
  }
  return out;
}

/** Launches `bin`, times the first-frame marker, waits 10 s, sums PSS of the process tree. */
async function launch(bin, env) {
  const work = mkdtempSync(path.join(tmpdir(), 'dossier-bench-'));
  const started = performance.now();
  const child = spawn(bin, [], {
    env: { ...process.env, ...env, DOSSIER_REPORT_FIRST_FRAME: '1', XDG_CONFIG_HOME: path.join(work, 'cfg'), XDG_DATA_HOME: path.join(work, 'data') },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const firstFrame = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin}: no first frame in 30 s`)), 30000);
    child.stdout.on('data', (d) => {
      if (String(d).includes('first-frame')) { clearTimeout(timer); resolve(performance.now() - started); }
    });
  });
  await sleep(10000);
  const pids = [child.pid, ...children(child.pid)];
  const pss = pids.reduce((sum, p) => sum + pssKb(p), 0);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { firstFrameMs: firstFrame, pssMb: pss / 1024, processes: pids.length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function series(name, bin, env) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await launch(bin, env));
  const r = { name, runs: RUNS, firstFrameMs: median(runs.map((x) => x.firstFrameMs)), firstFrameMaxMs: Math.max(...runs.map((x) => x.firstFrameMs)), pssMb: median(runs.map((x) => x.pssMb)) };
  console.log(JSON.stringify(r));
  return r;
}

async function paletteLatency(bin, notebook) {
  const work = mkdtempSync(path.join(tmpdir(), 'dossier-bench-'));
  const env = { ...process.env, DOSSIER_NOTEBOOK: notebook, XDG_CONFIG_HOME: path.join(work, 'cfg') };
  const driver = spawn('tauri-driver', ['--port', '4454', '--native-port', '4455'], { env, stdio: 'ignore' });
  await waitForPort(4454);
  const browser = await remote({ hostname: '127.0.0.1', port: 4454, logLevel: 'error', capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: bin } } });
  try {
    await browser.$('[data-testid="article-title"]').waitForDisplayed({ timeout: 60000 });
    const queries = ['transparency', 'Vertrauen', 'Datenintegrität', 'open weights', 'Sicherheit', 'model', 'Regierung', 'benchmark', '透明度', '信任', 'governance', 'Offenlegung', 'export', 'Modelle', 'audit', 'security'];
    await browser.keys(['Control', 'k']);
    const input = await browser.$('[data-testid="search-input"]');
    await input.waitForDisplayed({ timeout: 5000 });
    if (process.env.BENCH_TYPING === 'page') {
      // Typing simulated inside the page (value + input event every 120 ms): the same
      // keystrokes without WebDriver's per-key round trips on the page's main thread.
      await browser.executeAsync((queries, done) => {
        const el = document.querySelector('[data-testid="search-input"]');
        const steps = [];
        for (const q of queries) {
          for (const i of [...q].keys()) steps.push([...q].slice(0, i + 1).join(''));
          steps.push('');
        }
        let i = 0;
        const next = () => {
          if (i >= steps.length) return setTimeout(done, 500);
          el.value = steps[i++];
          el.dispatchEvent(new Event('input', { bubbles: true }));
          setTimeout(next, el.value === '' ? 500 : 120);
        };
        next();
      }, queries);
    } else for (const q of queries) {
      for (const ch of q) {
        await input.addValue(ch);
        await sleep(120); // a fast typist: about 8 keys per second
      }
      await sleep(300);
      await browser.execute(() => { const i = document.querySelector('[data-testid="search-input"]'); i.value = ''; i.dispatchEvent(new Event('input')); });
      await sleep(200);
    }
    const lat = await browser.execute(() => window.__dossierSearchLatency ?? []);
    const ipc = await browser.execute(() => window.__dossierSearchIpc ?? []);
    if (process.env.BENCH_VERBOSE) console.log(lat.map((x) => Math.round(x)).join(' '), '\nipc:', ipc.map((x) => Math.round(x)).join(' '));
    return { samples: lat.length, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99), maxMs: Math.max(...lat) };
  } finally {
    await browser.deleteSession().catch(() => {});
    driver.kill();
  }
}

if (process.env.BENCH_ONLY === 'palette') {
  const p = await paletteLatency(dossierBin, bigNb);
  console.log(JSON.stringify(p));
  writeFileSync(outJson, JSON.stringify(p, null, 2));
  process.exit(0);
}

// Both apps in both WebKitGTK rendering modes, so that each ratio compares like with
// like: the bare template defaults to accelerated compositing (here through Mesa's
// software OpenGL); Dossier turns compositing off on a machine without a GPU render
// node (src-tauri/src/rendering.rs) unless DOSSIER_COMPOSITING=1.
const NO_COMPOSITING = { WEBKIT_DISABLE_COMPOSITING_MODE: '1' };
const result = {
  machine: { cpus: (await import('node:os')).cpus().length, model: (await import('node:os')).cpus()[0].model, gpuRenderNode: existsSync('/dev/dri') && readdirSync('/dev/dri').some((n) => n.startsWith('renderD')) },
  empty: await series('empty Tauri 2 app, compositing (its default)', emptyBin, {}),
  emptyNoCompositing: await series('empty Tauri 2 app, no compositing', emptyBin, NO_COMPOSITING),
  sample: await series('Dossier, sample notebook, its default', dossierBin, { DOSSIER_NOTEBOOK: sampleNb }),
  big: await series('Dossier, 5 000 articles, its default', dossierBin, { DOSSIER_NOTEBOOK: bigNb }),
  sampleCompositing: await series('Dossier, sample notebook, compositing', dossierBin, { DOSSIER_NOTEBOOK: sampleNb, DOSSIER_COMPOSITING: '1' }),
  bigCompositing: await series('Dossier, 5 000 articles, compositing', dossierBin, { DOSSIER_NOTEBOOK: bigNb, DOSSIER_COMPOSITING: '1' }),
  palette: await paletteLatency(dossierBin, bigNb),
};
if (process.env.BENCH_LARGE) {
  // 100 000 articles, 1 000 000 claims (scripts/gen-large.sh): opens, idles and searches like the others.
  result.large = await series('Dossier, 100 000 articles', dossierBin, { DOSSIER_NOTEBOOK: process.env.BENCH_LARGE });
  result.palette_large = await paletteLatency(dossierBin, process.env.BENCH_LARGE);
}
console.log(JSON.stringify(result.palette));
writeFileSync(outJson, JSON.stringify(result, null, 2));
