// Crash safety of the desktop app: the real dossier-app window writes through its own IPC
// commands (imports, claims, claim edits, notes, note edits, index rebuilds) while this
// harness kills it with SIGKILL at a random moment. After every kill `dossier check` must
// pass (the index catches up with SQLite on the next open), and every write the window saw
// acknowledged (its invoke resolved and the harness read it back before the kill) must be
// in the notebook. The CLI's counterpart is crates/cli/tests/crash.rs.
//
// Usage (from scripts/crash-app.sh): node e2e/crash-app.mjs   with DOSSIER_APP_BINARY,
// DOSSIER_CLI_BINARY and DOSSIER_APP_CRASH_KILLS (default 200) in the environment;
// CRASH_REPORT=FILE writes the figures as JSON.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';
import { waitForPort } from './common.mjs';

const app = process.env.DOSSIER_APP_BINARY;
const cli = process.env.DOSSIER_CLI_BINARY;
const kills = Number(process.env.DOSSIER_APP_CRASH_KILLS ?? 200);
if (!app || !cli) throw new Error('DOSSIER_APP_BINARY and DOSSIER_CLI_BINARY must be set');

const work = mkdtempSync(path.join(tmpdir(), 'dossier-crash-app-'));
const notebook = path.join(work, 'crash.dossier');
const env = {
  ...process.env,
  DOSSIER_NOTEBOOK: notebook,
  DOSSIER_ANALYST: 'crash-app',
  XDG_CONFIG_HOME: path.join(work, 'config'),
  XDG_DATA_HOME: path.join(work, 'data'),
  LANG: 'C.UTF-8', // the interface language does not matter here; C.UTF-8 exists everywhere
};

/** A small deterministic generator, so that a failing run can be repeated. */
let seed = 0x2545f491;
const random = () => {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 2 ** 32;
};
const below = (n) => Math.floor(random() * n);

function dossier(...args) {
  return JSON.parse(execFileSync(cli, ['--notebook', notebook, '--json', ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 }));
}

function check() {
  try {
    execFileSync(cli, ['--notebook', notebook, '--json', 'check'], { env, encoding: 'utf8', stdio: 'pipe' });
    return null;
  } catch (e) {
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

const withTimeout = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function appPids() {
  try {
    return execFileSync('pgrep', ['-f', '--', app], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * SIGKILL is delivered asynchronously: wait until the processes' threads have all exited, so
 * their file table and locks are released. Neither a zombie main thread nor an empty
 * /proc/PID/fd is enough: the main thread may exit first while the others, sharing the file
 * table, are still exiting (the harness once checked in that window).
 */
async function gone(pids) {
  const alive = (pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const zombie = /^State:\s+Z/m.test(status);
      const threads = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      return !(zombie && threads <= 1);
    } catch {
      return false;
    }
  };
  const until = Date.now() + 10000;
  while (pids.some(alive)) {
    if (Date.now() > until) throw new Error(`processes ${pids} survived SIGKILL for 10 s`);
    await sleep(5);
  }
}

/** Which processes have the index's writer-lock file open (to tell who kept the index from catching up). */
function lockHolders() {
  const lock = path.join(notebook, 'index', '.tantivy-writer.lock');
  const holders = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === lock) {
          holders.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 120)}`);
          break;
        }
      }
    } catch {}
  }
  return holders;
}

/**
 * The window's workload: runs until the process dies, pushing every acknowledged write to
 * window.__acked. `seq` numbers edits so that "the last acknowledged edit, or a newer one"
 * can be checked after the kill. Runs inside the page.
 */
function startWorkload(mode, folder, base) {
  const inv = window.__TAURI_INTERNALS__.invoke;
  const channel = () => `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
  const acked = (window.__acked = []);
  window.__failed = [];
  (async () => {
    const articles = (await inv('call', { command: 'list_articles', args: {} })).map((a) => a.id);
    const claims = [];
    let note = null;
    for (let k = 0; ; k++) {
      const seq = base + k;
      try {
        if (mode === 'import' && k === 0) {
          const out = await inv('call_with_progress', { command: 'import_paths', args: { paths: [folder] }, onProgress: channel() });
          for (const o of out) if (o.id && o.status === 'imported') { acked.push({ kind: 'article', id: o.id }); articles.push(o.id); }
        } else if (mode === 'reindex' && k === 0) {
          await inv('call_with_progress', { command: 'reindex', args: {}, onProgress: channel() });
        } else if (mode === 'notes') {
          if (!note || k % 3 === 0) {
            note = await inv('call', { command: 'add_note', args: { title: `Notiz ${seq}`, body: `Stand ${seq}: Qwen und Vertrauen`, article_id: null } });
            acked.push({ kind: 'note', id: note.id, seq });
          } else {
            await inv('call', { command: 'update_note', args: { id: note.id, title: note.title, body: `Stand ${seq}: Qwen und Vertrauen`, article_id: null } });
            acked.push({ kind: 'note-edit', id: note.id, seq });
          }
        } else if (claims.length === 0 || mode !== 'edits' || k % 4 === 0) {
          const articleId = articles[(seq * 7919) % articles.length];
          const claim = await inv('call', { command: 'add_claim', args: { claim: { article_id: articleId, target: { type: 'quote', exact: 'Qwen', occurrence: 1 }, codes: ['Trust'],
              stance: 'neutral', confidence: 3, claimant: null, comment: `app ${seq}`, analyst: 'crash-app', hedging: 'asserted' } } });
          claims.push(claim.id);
          acked.push({ kind: 'claim', id: claim.id, seq });
        } else {
          const id = claims[seq % claims.length];
          await inv('call', { command: 'update_claim', args: { id, patch: { codes: null, stance: null, confidence: null, claimant: null, comment: `app ${seq}`, analyst: null, hedging: null } } });
          acked.push({ kind: 'claim-edit', id, seq });
        }
      } catch (e) {
        window.__failed.push(String(e?.message ?? JSON.stringify(e)));
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  })();
}

function writeArticles(folder, round) {
  mkdirSync(folder, { recursive: true });
  for (let k = 0; k < 12; k++) {
    writeFileSync(path.join(folder, `a${k}.md`),
      `# App-Artikel ${round}-${k}\n\nQwen und Datenintegrität, Runde ${round}, Datei ${k}.\n\n${'Transparenz braucht offene Daten. '.repeat(200)}`);
  }
}

/** Everything acknowledged is present; each claim and note says what its last acknowledged edit said, or something newer. */
function verify(ledger) {
  const ids = (list) => new Set(list.map((x) => x.id));
  const articles = ids(dossier('articles'));
  const claimList = dossier('claims');
  const claims = new Map(claimList.map((c) => [c.id, c]));
  const noteList = dossier('notes');
  const notes = new Map(noteList.map((n) => [n.id, n]));
  const lastSeq = new Map();
  for (const a of ledger) {
    if (a.kind === 'article' && !articles.has(a.id)) throw new Error(`acknowledged article ${a.id} lost`);
    if ((a.kind === 'claim' || a.kind === 'claim-edit') && !claims.has(a.id)) throw new Error(`acknowledged claim ${a.id} lost`);
    if ((a.kind === 'note' || a.kind === 'note-edit') && !notes.has(a.id)) throw new Error(`acknowledged note ${a.id} lost`);
    if (a.seq !== undefined) lastSeq.set(a.id, Math.max(lastSeq.get(a.id) ?? 0, a.seq));
  }
  for (const [id, seq] of lastSeq) {
    const text = claims.get(id)?.comment ?? notes.get(id)?.body ?? '';
    const now = Number(/(\d+)/.exec(text)?.[1] ?? -1);
    if (now < seq) throw new Error(`${id}: acknowledged edit ${seq} lost (now '${text}')`);
  }
}

const driver = spawn('tauri-driver', ['--port', '4445', '--native-port', '4446'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const ledger = [];
const modes = ['import', 'claims', 'edits', 'notes', 'reindex'];
const counts = { rounds: 0, killedAtStart: 0, killedInWork: 0, checkRepeats: 0, };
const refusals = new Map(); // invokes that failed in words, by message: not acknowledged, but reported
const byMode = Object.fromEntries(modes.map((m) => [m, 0]));
const started = Date.now();
let exitCode = 0;
try {
  dossier('init', '--sample');
  await waitForPort(4445);
  for (let round = 1; counts.rounds < kills; round++) {
    counts.rounds++;
    const mode = modes[below(modes.length)];
    const folder = path.join(work, `batch${round}`);
    if (mode === 'import') writeArticles(folder, round);
    const browser = await remote({
      hostname: '127.0.0.1', port: 4445, logLevel: 'error', connectionRetryCount: 0,
      capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app, args: ['--allow-folder', work] } },
    });
    if (below(8) === 0) {
      // While the window opens: the notebook is being opened, the index catching up.
      await sleep(below(300));
      counts.killedAtStart++;
    } else {
      await browser.waitUntil(() => browser.execute(() => !!window.__TAURI_INTERNALS__), { timeout: 20000 });
      byMode[mode]++;
      await browser.execute(startWorkload, mode, folder, round * 10000);
      const until = Date.now() + 100 + below(mode === 'import' || mode === 'reindex' ? 2500 : 1500);
      let seen = 0;
      while (Date.now() < until) {
        const fresh = await browser.execute((n) => window.__acked.slice(n), seen);
        seen += fresh.length;
        ledger.push(...fresh);
        await sleep(20);
      }
      for (const m of await browser.execute(() => window.__failed)) refusals.set(m, (refusals.get(m) ?? 0) + 1);
      counts.killedInWork++;
    }
    const pids = appPids();
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await gone(pids);
    await withTimeout(browser.deleteSession().catch(() => {}), 3000);
    let failure = check();
    if (failure) {
      console.log(`check after round ${round} (${mode}) FAILED once: ${failure}`);
      console.log(`  processes holding the index lock then: ${JSON.stringify(lockHolders())}`);
      counts.checkRepeats++;
      await sleep(500);
      failure = check();
      if (failure) throw new Error(`check after round ${round} (${mode}) failed twice: ${failure}`);
    }
    if (round % 10 === 0 || counts.rounds === kills) verify(ledger);
    if (round % 25 === 0) console.log(`  ${round} kills, ${ledger.length} acknowledged writes so far`);
  }
  verify(ledger);
} catch (e) {
  console.log(`FAIL ${e.stack ?? e}`);
  exitCode = 1;
} finally {
  for (const pid of appPids()) process.kill(pid, 'SIGKILL');
  driver.kill();
}
const tally = (kind) => ledger.filter((a) => a.kind === kind).length;
const report = {
  kills: counts.killedAtStart + counts.killedInWork,
  killed_while_opening: counts.killedAtStart,
  killed_while_writing: counts.killedInWork,
  rounds_by_workload: byMode,
  acknowledged: { articles: tally('article'), claims: tally('claim'), claim_edits: tally('claim-edit'), notes: tally('note'), note_edits: tally('note-edit') },
  writes_refused: Object.fromEntries(refusals),
  check_passed_only_on_repeat: counts.checkRepeats,
  lost: exitCode === 0 ? 0 : null,
  seconds: Math.round((Date.now() - started) / 1000),
};
console.log(`app crash harness: ${JSON.stringify(report)}`);
if (process.env.CRASH_REPORT) writeFileSync(process.env.CRASH_REPORT, JSON.stringify(report, null, 2));
process.exit(exitCode);
