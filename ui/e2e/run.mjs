// End-to-end tests of the real Dossier window (WebKitGTK via tauri-driver).
// Each test drives the UI as an analyst would and checks the result in the
// window and, where it leaves the app, on disk. Screenshots of every main view
// go to docs/screenshots/.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { remote } from 'webdriverio';
import { waitForPort } from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const shots = path.join(repo, 'docs/screenshots');
mkdirSync(shots, { recursive: true });
const app = process.env.DOSSIER_APP_BINARY ?? path.join(repo, 'target/debug/dossier-app');
const work = mkdtempSync(path.join(tmpdir(), 'dossier-e2e-'));
const env = {
  ...process.env,
  DOSSIER_NOTEBOOK: path.join(work, 'e2e.dossier'),
  XDG_CONFIG_HOME: path.join(work, 'config'),
  XDG_DATA_HOME: path.join(work, 'data'),
  LANG: 'en_US.UTF-8',
};

const driver = spawn('tauri-driver', ['--port', '4444'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
let browser;
const results = [];

// E2E_ONLY=REGEX runs the first test (it sets the analyst up) and those whose names match: a
// developer's loop. The suite run by scripts/e2e.sh runs them all.
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;

async function test(name, fn) {
  if (only && results.length > 0 && !only.test(name)) return;
  const started = Date.now();
  try {
    await fn();
    results.push([name, 'ok', Date.now() - started]);
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push([name, 'FAILED', Date.now() - started]);
    console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
    try { await browser.saveScreenshot(path.join(work, `failed-${name.replace(/\W+/g, '-')}.png`)); } catch {}
  }
}

const $ = (sel) => browser.$(sel);
const $$ = (sel) => browser.$$(sel);
const byTest = (id) => $(`[data-testid="${id}"]`);
/** innerText of every element with a test id (read in the page: one round trip, no stale handles). */
const texts = (id) => browser.execute((id) => [...document.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.innerText), id);

/**
 * A PostgreSQL of the test's own, from Debian's packages: initdb in a temporary
 * folder (as the postgres user when the tests run as root), on a loopback port.
 */
function startPostgres() {
  const base = '/usr/lib/postgresql';
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => b - a);
  assert.ok(versions.length > 0, 'PostgreSQL is installed (scripts/setup.sh installs it)');
  const bin = path.join(base, versions[0], 'bin');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'dossier-pg-'));
  if (root) spawnSync('chown', ['-R', 'postgres', dir]);
  const pgRun = (prog, args) => {
    const [exe, all] = root ? ['runuser', ['-u', 'postgres', '--', path.join(bin, prog), ...args]] : [path.join(bin, prog), args];
    const out = spawnSync(exe, all, { encoding: 'utf8' });
    assert.equal(out.status, 0, `${prog}: ${out.stderr}`);
    return out.stdout;
  };
  const data = path.join(dir, 'data');
  pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = 20000 + Math.floor(Math.random() * 20000);
  pgRun('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  const conn = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'];
  return {
    database(name) { pgRun('createdb', [...conn, name]); return `postgres://postgres@127.0.0.1:${port}/${name}`; },
    query(db, sql) { return pgRun('psql', [...conn, '-At', '-d', db, '-c', sql]).trim(); },
    stop() { spawnSync(root ? 'runuser' : path.join(bin, 'pg_ctl'), root ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'] : ['-D', data, '-m', 'immediate', '-w', 'stop']); },
  };
}

async function shot(name) {
  // A screenshot right after a DOM change can show the previous frame.
  await browser.pause(350);
  await browser.saveScreenshot(path.join(shots, `${name}.png`));
}

/**
 * Clicks `el` once nothing covers its centre (a scroll or a toast still moving
 * can put another element on top); says what covered it if that never ends.
 */
async function clickFree(el, what) {
  await el.waitForDisplayed({ timeout: 5000 });
  await el.scrollIntoView({ block: 'center' });
  let cover = 'nothing';
  for (let i = 0; i < 40; i++) {
    cover = await browser.execute((e) => {
      // An inline element broken over lines: the centre of its first box, as WebDriver clicks.
      const r = e.getClientRects()[0] ?? e.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top && (top === e || e.contains(top)) ? null : top ? top.outerHTML.slice(0, 240) : 'nothing (off screen)';
    }, el);
    if (cover === null) return el.click();
    await browser.pause(250);
  }
  throw new Error(`${what} stays covered by ${cover}`);
}

/** Selects `phrase` inside the reader's text, as a mouse drag would, and releases the mouse. */
async function selectInReader(phrase) {
  return browser.execute((phrase) => {
    const root = document.querySelector('[data-testid="article-text"]');
    const full = root.textContent;
    const start = full.indexOf(phrase);
    if (start < 0) return false;
    const end = start + phrase.length;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let pos = 0, node, range = document.createRange(), startSet = false;
    while ((node = walker.nextNode())) {
      const len = node.textContent.length;
      if (!startSet && start < pos + len) { range.setStart(node, start - pos); startSet = true; }
      if (startSet && end <= pos + len) { range.setEnd(node, end - pos); break; }
      pos += len;
    }
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    const r = range.getBoundingClientRect();
    root.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: r.left, clientY: r.bottom }));
    return true;
  }, phrase);
}

try {
  await waitForPort(4444);
  browser = await remote({
    hostname: '127.0.0.1',
    port: 4444,
    logLevel: 'warn',
    capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app, args: ['--allow-folder', work] } },
  });

  await test('first start opens the default notebook with the sample article', async () => {
    const title = await byTest('article-title');
    await title.waitForDisplayed({ timeout: 20000 });
    assert.match(await title.getText(), /Offen, aber wie offen/);
    // The app asks once for the analyst's name, which every claim then carries.
    await byTest('analyst-ask').waitForDisplayed({ timeout: 5000 });
    await byTest('analyst-name').setValue('Mia');
    await byTest('analyst-save').click();
    await byTest('analyst-ask').waitForDisplayed({ reverse: true, timeout: 3000 });
    await browser.waitUntil(async () => (await texts('claim-item')).length === 4, { timeout: 5000, timeoutMsg: 'four sample claims' });
    const marks = await browser.execute(() => document.querySelectorAll('[data-testid="article-text"] mark').length);
    assert.ok(marks >= 4, 'claims are highlighted');
    await byTest('meta-toggle').click();
    assert.match(await byTest('meta').getText(), /[0-9a-f]{64}/, 'the SHA-256 is one click away');
    await byTest('meta-toggle').click();
    await shot('reader');
  });

  await test('create a claim by selecting text in the reader', async () => {
    assert.ok(await selectInReader('effizientere Trainingsverfahren begünstigt'));
    const form = await byTest('claim-form');
    await form.waitForDisplayed({ timeout: 5000 });
    await byTest('code-input').setValue('Export');
    await browser.keys('Enter');
    await byTest('claimant').setValue('Autor:in');
    await byTest('comment').setValue('Exportkontrollen als Innovationstreiber');
    await shot('claim-popover');
    await byTest('save-claim').click();
    await browser.waitUntil(async () => (await texts('claim-item')).length === 5, { timeout: 5000, timeoutMsg: 'the new claim appears in the panel' });
    const items = await texts('claim-item');
    assert.ok(items.some((t) => t.includes('effizientere Trainingsverfahren begünstigt') && t.includes('Export controls')), items.join('\n'));
    await shot('claims');
  });

  await test('create a claim with the keyboard only', async () => {
    await browser.keys('/');
    const finder = await $('[data-testid="quote-finder"] input');
    await finder.waitForDisplayed({ timeout: 3000 });
    await finder.addValue('Fragen der Rechenschaftspflicht');
    await browser.keys(['Control', 'Enter']);
    await byTest('claim-form').waitForDisplayed({ timeout: 3000 });
    await byTest('code-input').addValue('Accountab');
    await browser.keys('Enter');
    await browser.keys(['Control', 'Enter']);
    await browser.waitUntil(async () => (await texts('claim-item')).some((t) => t.startsWith('Fragen der Rechenschaftspflicht') && t.includes('Accountability')), {
      timeout: 5000,
      timeoutMsg: 'the keyboard-made claim is listed with its code',
    });
  });

  await test('search from the palette and open the hit', async () => {
    await browser.keys(['Control', 'k']);
    const input = await byTest('search-input');
    await input.waitForDisplayed({ timeout: 3000 });
    await input.setValue('Innovationstreiber');
    await browser.waitUntil(async () => (await texts('search-hit')).length > 0, { timeout: 5000, timeoutMsg: 'the new claim is searchable' });
    const hit = await $('[data-testid="search-hit"][data-kind="claim"]');
    assert.match(await hit.getHTML(), /<mark>Innovationstreiber<\/mark>/);
    // Facets count every hit; a typo is tolerated and the palette says so; so is an unreadable query.
    await input.clearValue();
    await input.setValue('Datenintegrtät');
    await byTest('search-fuzzy').waitForDisplayed({ timeout: 5000, timeoutMsg: 'the typo notice is shown' });
    await byTest('search-facets').waitForDisplayed({ timeout: 3000 });
    await input.clearValue();
    await input.setValue('(Datenintegrität OR');
    await byTest('search-plain').waitForDisplayed({ timeout: 5000, timeoutMsg: 'the plain-words notice is shown' });
    await $('[data-testid="search-hit"]').waitForExist({ timeout: 5000 });
    // A question with a word no text has: the articles with the others follow, marked.
    await input.clearValue();
    await input.setValue('Wer prüft die Datenintegrität der Quantencomputer?');
    await byTest('search-partial').waitForDisplayed({ timeout: 5000, timeoutMsg: 'the partial-matches notice is shown' });
    await byTest('hit-partial').waitForDisplayed({ timeout: 3000, timeoutMsg: 'partial hits are labelled' });
    assert.ok(!(await byTest('search-fuzzy').isExisting()), 'partial matches come before typo tolerance');
    await shot('search-partial');
    await input.clearValue();
    await input.setValue('Datenintegrität');
    await $('[data-testid="search-hit"][data-kind="article"]').waitForExist({ timeout: 5000 });
    await browser.waitUntil(async () => !(await byTest('search-plain').isExisting()), { timeout: 3000, timeoutMsg: 'notices clear for a good query' });
    await byTest('search-facets').waitForDisplayed({ timeout: 3000, timeoutMsg: 'facet chips for the hits' });
    await shot('search');
    await browser.keys('Enter');
    await byTest('search-palette').waitForDisplayed({ reverse: true, timeout: 3000 });
    await $('[data-testid="article-text"] mark[data-focus="1"]').waitForExist({ timeout: 3000 });
  });

  await test('add and rename a code in the codebook', async () => {
    await byTest('tab-codebook').click();
    await byTest('new-code-path').setValue('Trust/Provenance');
    await byTest('add-code').click();
    const row = await $('[data-testid="code-row"][data-path="Trust/Provenance"]');
    await row.waitForExist({ timeout: 3000 });
    await row.$('[data-testid="rename-code"]').click();
    // The rename field takes focus; WebDriver's "clear" would blur (and so commit) it,
    // so select its text with the keyboard and type over it, as a person would.
    await byTest('rename-input').waitForDisplayed({ timeout: 3000 });
    await byTest('rename-input').click();
    await browser.keys(['Control', 'a']);
    await browser.keys('Herkunft'.split(''));
    await browser.keys('Enter');
    await $('[data-testid="code-row"][data-path="Trust/Herkunft"]').waitForExist({ timeout: 3000 });
    assert.equal(await $('[data-testid="code-row"][data-path="Trust/Provenance"]').isExisting(), false);
    await shot('codebook');
  });

  await test('write a note with a link', async () => {
    await byTest('tab-notes').click();
    await byTest('new-note').click();
    await byTest('note-title').setValue('Lesenotiz Exportkontrollen');
    const body = await byTest('note-body');
    await body.click();
    // Element Send Keys types the string as given (repeated characters included).
    await body.addValue('Die These in [[Offen');
    await byTest('link-suggestions').waitForDisplayed({ timeout: 3000 });
    await browser.keys('Enter');
    await body.addValue(' ist zu prüfen.');
    assert.match(await body.getValue(), /\[\[article:[0-9a-f-]+\|Offen, aber wie offen/);
    await byTest('save-note').click();
    await browser.waitUntil(async () => (await texts('note-item')).length === 2, { timeout: 5000, timeoutMsg: 'the note is listed' });
    assert.ok(await $('[data-testid="note-preview"] a[data-link-kind="article"]').isExisting(), 'the preview shows the link');
    await shot('note');
    // A second note links to the first by its title; the first lists it as a backlink.
    await byTest('new-note').click();
    await byTest('note-title').setValue('Zusammenfassung');
    await byTest('note-body').click();
    await byTest('note-body').addValue('Siehe [[Lesenotiz Exportkontrollen]].');
    await byTest('save-note').click();
    const link = $('[data-testid="note-preview"] a[data-link-kind="note"]');
    await link.waitForExist({ timeout: 5000 });
    await link.click();
    await browser.waitUntil(async () => (await byTest('note-title').getValue()) === 'Lesenotiz Exportkontrollen', { timeout: 5000, timeoutMsg: 'the link opens the note' });
    await byTest('note-backlinks').waitForDisplayed({ timeout: 5000 });
    assert.match(await byTest('note-backlinks').getText(), /Zusammenfassung/);
  });

  await test('export Markdown and check the file', async () => {
    await byTest('export-button').click();
    await byTest('export-dialog').waitForDisplayed({ timeout: 3000 });
    await shot('export-dialog');
    await browser.keys('Escape');
    // The native save dialog cannot be driven through WebDriver; the export itself
    // goes through the same command the dialog calls, from inside the page.
    const out = path.join(work, 'export');
    const files = await browser.execute(
      (out) => {
        const progress = `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
        return window.__TAURI_INTERNALS__.invoke('call_with_progress', { command: 'export', args: { format: 'markdown', out, scope: { article_id: null, code: null }, force: false }, onProgress: progress });
      },
      out,
    );
    assert.equal(files.length, 1);
    const md = readFileSync(files[0], 'utf8');
    assert.match(md, /^---\ntitle: "Offen, aber wie offen\?/);
    assert.match(md, /> Die Exportkontrollen|> .*effizientere Trainingsverfahren begünstigt/);
    assert.match(md, /Policy\/Export controls/);
    assert.match(md, /### Lesenotiz Exportkontrollen/);
    assert.deepEqual(readdirSync(out).length, 1);
  });

  await test('interchange: every format offered; a REFI-QDA project and the report written and read back', async () => {
    await byTest('export-button').click();
    await byTest('export-dialog').waitForDisplayed({ timeout: 3000 });
    for (const f of ['md-folder', 'md-file', 'obsidian', 'csv', 'qdpx', 'qdc', 'w3c', 'csl', 'bibtex', 'ris', 'html', 'backup']) {
      assert.ok(await byTest(`format-${f}`).isExisting(), `format ${f} offered`);
    }
    await byTest('format-html').click();
    assert.ok(await byTest('print-report').isDisplayed(), 'the report can be printed');
    await shot('export-formats');
    await browser.keys('Escape');
    const run = (format, out) =>
      browser.execute(
        (format, out) => {
          const progress = `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
          return window.__TAURI_INTERNALS__.invoke('call_with_progress', { command: 'export', args: { format, out, scope: { article_id: null, code: null }, force: false }, onProgress: progress });
        },
        format,
        out,
      );
    const [qdpx] = await run('qdpx', path.join(work, 'project.qdpx'));
    assert.equal(readFileSync(qdpx).subarray(0, 2).toString(), 'PK');
    const [report] = await run('html', path.join(work, 'report.html'));
    const html = readFileSync(report, 'utf8');
    assert.ok(!/<script/i.test(html) && html.includes("default-src 'none'"), 'the report is inert');
    assert.match(html, /Claims per code/);
    // Reading the project back into the same notebook finds everything already there.
    const outcomes = await browser.execute((p) => {
      const progress = `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
      return window.__TAURI_INTERNALS__.invoke('call_with_progress', { command: 'import_paths', args: { paths: [p] }, onProgress: progress });
    }, qdpx);
    assert.equal(outcomes[0].status, 'imported', JSON.stringify(outcomes[0]));
    assert.match(outcomes[0].summary, /0 new claim\(s\)/);
  });

  await test('a verdict with its history, and a relation to another claim', async () => {
    await byTest('tab-articles').click();
    await $('[data-testid="article-item"]').click();
    // Clicking a highlight opens the claim to edit; its details hold verdict and relations.
    await $('[data-testid="article-text"] mark[data-claims]').click();
    await byTest('claim-details').waitForDisplayed({ timeout: 3000 });
    await byTest('verdict').selectByAttribute('value', 'disputed');
    // One line that is a web address becomes evidence (typed newlines do not reach a textarea through WebDriver).
    await byTest('verdict-note').setValue('https://example.org/bericht');
    await byTest('record-verdict').click();
    await browser.waitUntil(async () => (await texts('verdict-history')).some((t) => /disputed|umstritten/.test(t) && t.includes('url:https://example.org/bericht')), {
      timeout: 5000, timeoutMsg: 'the verdict and its evidence are in the history',
    }).catch(async (e) => { throw new Error(`${e.message}; history ${JSON.stringify(await texts('verdict-history'))}; toasts ${JSON.stringify(await texts('toast'))}`); });
    // The claim's own history lists the change just made.
    await byTest('claim-history').waitForExist({ timeout: 3000 });
    await byTest('relation-kind').selectByAttribute('value', 'contradicts');
    await byTest('relation-search').setValue('Rechenschaftspflicht');
    await byTest('relation-target').waitForDisplayed({ timeout: 5000 });
    await byTest('relation-target').click();
    await browser.waitUntil(async () => (await texts('relations')).some((t) => t.includes('Rechenschaftspflicht')), { timeout: 5000, timeoutMsg: 'the relation is listed' });
    await shot('claim-details');
    await browser.keys('Escape');
    // Suggestions: each with its rule; accepting one makes a claim.
    const before = (await texts('claim-item')).length;
    await byTest('suggest-claims').click();
    await byTest('suggestion').waitForDisplayed({ timeout: 5000, timeoutMsg: 'the sample article has suggestions' });
    await shot('suggestions');
    await byTest('accept-suggestion').click();
    await browser.waitUntil(async () => (await texts('claim-item')).length === before + 1, { timeout: 5000, timeoutMsg: 'the accepted suggestion is a claim' });
  });

  await test('a new version of the article carries its claims; the orphan is attached by selection', async () => {
    await byTest('tab-articles').click();
    await $('[data-testid="article-item"]').click();
    const id = await browser.execute(() => document.querySelector('[data-testid="article-item"]')?.dataset.id ?? null);
    assert.ok(id, 'the article list carries ids');
    const current = await browser.execute((id) => window.__TAURI_INTERNALS__.invoke('call', { command: 'get_article', args: { id } }).then((a) => a, (e) => ({ error: e })), id);
    assert.ok(!current.error, JSON.stringify(current));
    const revised = current.text
      .replace('Generative Dienste in China müssen die Vorschriften', 'Generative Dienste in China müssen die neuen Vorschriften')
      .replace('wirft Fragen der Rechenschaftspflicht auf', 'lässt manches offen');
    assert.notEqual(revised, current.text);
    const file = path.join(work, 'revised.md');
    writeFileSync(file, `# ${current.title} (überarbeitet)\n\nNachtrag der Redaktion.\n\n${revised}`);
    const report = await browser.execute((p, id) => window.__TAURI_INTERNALS__.invoke('call', { command: 'import_new_version', args: { path: p, replaces: id } }).then((r) => r, (e) => ({ error: e })), file, id);
    assert.ok(!report.error, JSON.stringify(report));
    assert.ok(report.exact >= 3 && report.changed >= 1 && report.orphaned >= 1, JSON.stringify(report));
    // Back in the window, the app picks up what happened meanwhile; the new version is one click away.
    await browser.execute(() => window.dispatchEvent(new Event('focus')));
    await byTest('meta-toggle').click();
    await byTest('version-link').waitForExist({ timeout: 5000 });
    await browser.waitUntil(async () => (await $$('[data-testid="version-link"]')).length === 1, { timeout: 3000 });
    await byTest('version-link').click();
    await byTest('review-queue').waitForDisplayed({ timeout: 5000, timeoutMsg: 'the orphan waits in the review queue' });
    await byTest('anchor-changed').waitForExist({ timeout: 3000 });
    await byTest('attach-orphan').click();
    assert.ok(await selectInReader('lässt manches offen'));
    await browser.waitUntil(async () => !(await byTest('review-queue').isExisting()), { timeout: 5000, timeoutMsg: 'the orphan was attached' });
    assert.ok((await texts('claim-item')).some((t) => t.startsWith('lässt manches offen')));
    await shot('versions');
    await byTest('meta-toggle').click();
  });

  await test('undo with Ctrl+Z, and the trash', async () => {
    await byTest('tab-articles').click();
    await $('[data-testid="article-item"]').click();
    const articleId = await browser.execute(() => document.querySelector('[data-testid="article-item"]').dataset.id);
    const n0 = (await texts('claim-item')).length;
    const del = async () => browser.execute(async (articleId) => {
      const claims = await window.__TAURI_INTERNALS__.invoke('call', { command: 'list_claims', args: { article_id: articleId, code: null } });
      await window.__TAURI_INTERNALS__.invoke('call', { command: 'delete_claim', args: { id: claims[0].id } });
      window.dispatchEvent(new Event('focus'));
      return claims[0].id;
    }, articleId);
    await del();
    await browser.waitUntil(async () => (await texts('claim-item')).length === n0 - 1, { timeout: 5000, timeoutMsg: 'the claim is gone' });
    await byTest('article-title').click();
    await browser.keys(['Control', 'z']);
    await browser.waitUntil(async () => (await texts('claim-item')).length === n0, { timeout: 5000, timeoutMsg: 'Ctrl+Z brought the claim back' });
    await del();
    await browser.waitUntil(async () => (await texts('claim-item')).length === n0 - 1, { timeout: 5000 });
    await $('details.menu summary').click();
    await byTest('open-trash').click();
    await byTest('trash-item').waitForDisplayed({ timeout: 3000 });
    await shot('trash');
    await byTest('restore-item').click();
    await browser.waitUntil(async () => (await texts('claim-item')).length === n0, { timeout: 5000, timeoutMsg: 'restored from the trash' });
    await browser.keys('Escape');
    await byTest('trash').waitForDisplayed({ reverse: true, timeout: 3000 });
  });

  await test('agreement between two analysts, disagreements side by side', async () => {
    // A second analyst codes one passage of the open article (as a merged notebook would bring in).
    await byTest('tab-articles').click();
    await $('[data-testid="article-item"]').click();
    const articleId = await browser.execute(() => document.querySelector('[data-testid="article-item"]').dataset.id);
    await browser.execute(async (articleId) => {
      const a = await window.__TAURI_INTERNALS__.invoke('call', { command: 'get_article', args: { id: articleId } });
      const words = a.text.split(' ').slice(20, 28).join(' ');
      await window.__TAURI_INTERNALS__.invoke('call', { command: 'add_claim', args: { claim: { article_id: articleId, target: { type: 'quote', exact: words, occurrence: 1 },
        codes: ['Trust'], stance: 'neutral', confidence: 3, claimant: null, comment: null, analyst: 'Jonas', hedging: 'asserted' } } });
    }, articleId);
    await $('details.menu summary').click();
    await byTest('open-agreement').click();
    await byTest('agreement-table').waitForDisplayed({ timeout: 5000, timeoutMsg: 'the agreement table' });
    assert.match(await byTest('agreement-table').getText(), /overall/);
    await byTest('disagreements').waitForDisplayed({ timeout: 5000 });
    await shot('agreement');
    const before = (await texts('disagreement')).length;
    await $('[data-testid="adopt"]').click();
    await browser.waitUntil(async () => (await texts('disagreement')).length < before, { timeout: 5000, timeoutMsg: 'adopting resolves a disagreement' });
    await browser.keys('Escape');
  });

  await test('German interface, dark theme, shortcuts and About', async () => {
    await $('details.menu summary').click();
    await byTest('lang-select').selectByAttribute('value', 'de');
    await byTest('theme-select').selectByAttribute('value', 'dark');
    await $('details.menu summary').click();
    await byTest('tab-articles').click();
    await $('[data-testid="article-item"]').click();
    await browser.waitUntil(async () => (await byTest('import-button').getText()) === 'Dateien importieren…', { timeout: 3000 });
    assert.equal(await browser.execute(() => document.documentElement.dataset.theme), 'dark');
    await shot('reader-dark-german');
    await browser.keys('F1');
    await byTest('help').waitForDisplayed({ timeout: 3000 });
    assert.match(await byTest('help').getText(), /Tastenkürzel[\s\S]*Version 0\.1\.0/);
    await shot('help');
    await browser.keys('Escape');
    await $('details.menu summary').click();
    await byTest('lang-select').selectByAttribute('value', 'en');
    await byTest('theme-select').selectByAttribute('value', 'light');
    await $('details.menu summary').click();
  });

  await test('hostile text runs no script and loads nothing remote', async () => {
    // Every way text enters: an imported web page, a note, a claim comment, a code name, a query.
    const payload = `<img src="https://evil.example/x.png" onerror="window.__pwned='img'"><script>window.__pwned='script'</script>`;
    const page = path.join(work, 'hostile.html');
    writeFileSync(page, `<html><head><title>XSS ${payload}</title></head><body><article><h1>Angriff</h1>
      <p onclick="window.__pwned='click'">Text ${payload.replaceAll('<', '&lt;')} <a href="javascript:window.__pwned='href'">Link</a></p>
      <iframe src="https://evil.example/"></iframe><script>window.__pwned='inline'</script></article></body></html>`);
    const imported = await browser.execute(
      (p) => {
        const channel = window.__TAURI_INTERNALS__.transformCallback(() => {});
        return window.__TAURI_INTERNALS__.invoke('call_with_progress', { command: 'import_paths', args: { paths: [p] }, onProgress: `__CHANNEL__:${channel}` });
      },
      page,
    );
    assert.equal(imported[0].status, 'imported', JSON.stringify(imported));
    // A file whose name is the payload (no title inside, so the name becomes the title).
    const named = path.join(work, `x<img src=y onerror=window.__pwned=1>.md`);
    writeFileSync(named, 'Nur Text ohne Titel, der Dateiname ist der Angriff.');
    const byName = await browser.execute(
      (p) => window.__TAURI_INTERNALS__.invoke('call_with_progress', { command: 'import_paths', args: { paths: [p] }, onProgress: `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}` }),
      named,
    );
    assert.equal(byName[0].status, 'imported', JSON.stringify(byName));
    await browser.execute((payload, articleId) => {
      const inv = window.__TAURI_INTERNALS__.invoke;
      return Promise.all([
        inv('call', { command: 'add_claim', args: { claim: { article_id: articleId, target: { type: 'quote', exact: 'Angriff', occurrence: 1 }, codes: [], stance: 'unclear', confidence: 3, claimant: payload, comment: payload, analyst: payload } } }),
        inv('call', { command: 'add_note', args: { title: `Note ${payload}`, body: `# Hi\n\n${payload}\n\n[x](javascript:alert(1))`, article_id: null } }),
        inv('call', { command: 'add_code', args: { path: `Hostile ${payload.replaceAll('/', '_')}`, color: null, description: payload } }),
      ]);
    }, payload, imported[0].id);
    await browser.refresh();
    await byTest('article-title').waitForDisplayed({ timeout: 10000 });
    await byTest('tab-articles').click();
    // Both hostile articles are in the list (one titled by its file name); open the web page.
    const titles = await browser.execute(() => [...document.querySelectorAll('[data-testid="article-item"]')].map((e) => e.textContent));
    const index = titles.findIndex((x) => x.includes('XSS'));
    assert.ok(index >= 0, `article list: ${JSON.stringify(titles)}`);
    await (await $$('[data-testid="article-item"]'))[index].click();
    await browser.waitUntil(async () => (await byTest('article-title').getText()).startsWith('XSS'), { timeout: 5000 });
    // The claim with the hostile comment, claimant and analyst is shown in the panel.
    await $('[data-testid="claim-item"]').waitForDisplayed({ timeout: 3000 });
    await byTest('tab-notes').click();
    await $('[data-testid="note-item"]').click();
    await byTest('note-preview').waitForDisplayed({ timeout: 3000 });
    await byTest('tab-codebook').click();
    await browser.keys(['Control', 'k']);
    await byTest('search-input').setValue(payload);
    await browser.pause(800);
    await shot('hostile-input');
    await browser.keys('Escape');
    const state = await browser.execute(() => ({
      pwned: window.__pwned ?? null,
      remoteImages: [...document.images].filter((i) => /^https?:/.test(i.src)).length,
      iframes: document.querySelectorAll('iframe').length,
      scripts: [...document.scripts].filter((s) => !s.src).length,
      jsLinks: [...document.querySelectorAll('a[href^="javascript"]')].length,
    }));
    assert.deepEqual(state, { pwned: null, remoteImages: 0, iframes: 0, scripts: 0, jsLinks: 0 });
  });

  await test('the window may use only paths the user picked', async () => {
    // A page that names a path itself (a compromised page would) is refused: nothing
    // outside the folders granted on the command line is read, written or opened.
    const outside = mkdtempSync(path.join(tmpdir(), 'dossier-outside-'));
    const secret = path.join(outside, 'secret.md');
    writeFileSync(secret, '# Geheim\n\nDieser Text darf nicht importiert werden.');
    const target = path.join(outside, 'overwritten.csv');
    const r = await browser.execute((secret, target, outside, work) => {
      const inv = window.__TAURI_INTERNALS__.invoke;
      const ch = () => `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
      const err = (p) => p.then(() => null, (e) => e.code);
      return Promise.all([
        err(inv('call_with_progress', { command: 'import_paths', args: { paths: [secret] }, onProgress: ch() })),
        err(inv('call_with_progress', { command: 'export', args: { format: 'csv', out: target, scope: { article_id: null, code: null }, force: true }, onProgress: ch() })),
        err(inv('call', { command: 'restore_backup', args: { backup: secret, into: `${outside}/restored.dossier` } })),
        err(inv('call', { command: 'create_notebook', args: { path: `${outside}/new.dossier` } })),
        err(inv('call', { command: 'open_notebook', args: { path: outside } })),
        err(inv('call', { command: 'import_new_version', args: { path: secret, replaces: 'x' } })),
        // `..` does not climb out of a granted folder.
        err(inv('call_with_progress', { command: 'import_paths', args: { paths: [`${work}/../${secret.split('/').slice(-2).join('/')}`] }, onProgress: ch() })),
      ]);
    }, secret, target, outside, work);
    assert.deepEqual(r, Array(7).fill('forbidden'));
    assert.deepEqual(readdirSync(outside), ['secret.md']);
    const titles = await browser.execute(() => window.__TAURI_INTERNALS__.invoke('call', { command: 'list_articles', args: {} }).then((a) => a.map((x) => x.title)));
    assert.ok(!titles.includes('Geheim'), JSON.stringify(titles));
  });

  await test('a query nested 20 000 groups deep is searched as words, the window stays up', async () => {
    await browser.keys(['Control', 'k']);
    await byTest('search-input').waitForDisplayed({ timeout: 3000 });
    const deep = `${'('.repeat(20000)}Qwen${')'.repeat(20000)}`;
    // Pasted, as an analyst would: the palette searches on every change. The whole
    // query is longer than a query may be (it is cut, not parsed); a shorter one
    // still nests far deeper than the parser follows and is searched as its words.
    const shallower = `${'('.repeat(1900)}Qwen${')'.repeat(1900)}`;
    await browser.execute((qs) => {
      const input = document.querySelector('[data-testid="search-input"]');
      for (const v of qs) {
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }, [deep.slice(0, 10000), deep, shallower]);
    await browser.waitUntil(async () => (await $$('[data-testid="search-hit"]')).length > 0, { timeout: 10000, timeoutMsg: 'hits for the deep query' });
    const direct = await browser.execute((q) => window.__TAURI_INTERNALS__.invoke('call', { command: 'search', args: { request: { query: q, kind: null, code: null, language: null, limit: 5, offset: 4000000000, skip_snippets: false } } }).then((r) => r.total, (e) => e.code), deep);
    assert.equal(typeof direct, 'number', `search with a huge offset: ${direct}`);
    await browser.keys('Escape');
    await byTest('search-palette').waitForDisplayed({ reverse: true, timeout: 3000 });
  });

  await test('note previews keep structure only: no style, form, input or media', async () => {
    const body = '# Vorschau\n\n<style>body{display:none}</style><form action="https://evil.example"><input name="p" value="x"><button>Senden</button></form>'
      + '<img src="x" onerror="window.__pwned=1"><svg onload="window.__pwned=2"></svg><details open ontoggle="window.__pwned=3">d</details>\n\n**fett** [[article:"><b>x|Link]]';
    await browser.execute((body) => window.__TAURI_INTERNALS__.invoke('call', { command: 'add_note', args: { title: 'Sanitiser', body, article_id: null } }), body);
    await browser.refresh();
    await byTest('tab-notes').waitForDisplayed({ timeout: 10000 });
    await byTest('tab-notes').click();
    const items = await $$('[data-testid="note-item"]');
    const names = await browser.execute(() => [...document.querySelectorAll('[data-testid="note-item"]')].map((e) => e.textContent));
    await items[names.findIndex((n) => n.includes('Sanitiser'))].click();
    await byTest('note-preview').waitForDisplayed({ timeout: 3000 });
    const seen = await browser.execute(() => {
      const root = document.querySelector('[data-testid="note-preview"]');
      return {
        active: root.querySelectorAll('style, form, input, button, img, svg, details, iframe, script').length,
        strong: root.querySelectorAll('strong').length,
        links: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        pwned: window.__pwned ?? null,
      };
    });
    assert.deepEqual(seen, { active: 0, strong: 1, links: ['#'], pwned: null });
  });

  await test('a PDF that was not read whole says so above its text', async () => {
    // Page 1: text; page 2: only an image (a scan). Built here, byte for byte.
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Resources << /Font << /F1 7 0 R >> >> >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /XObject << /Im1 8 0 R >> >> >>',
      'BT /F1 12 Tf 72 720 Td (Which labs disclose their training data sources?) Tj ET',
      'q 200 0 0 200 72 500 cm /Im1 Do Q',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
      null,
    ].map((o, i) => {
      if (i === 4 || i === 5) return `<< /Length ${o.length + 1} >>\nstream\n${o}\nendstream`;
      if (o === null) return '<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x7f\nendstream';
      return o;
    });
    let pdf = '%PDF-1.4\n';
    const offsets = objects.map((body, i) => { const at = Buffer.byteLength(pdf, 'latin1'); pdf += `${i + 1} 0 obj\n${body}\nendobj\n`; return at; });
    const xref = Buffer.byteLength(pdf, 'latin1');
    pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
    pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    const file = path.join(work, 'half-scanned.pdf');
    writeFileSync(file, Buffer.from(pdf, 'latin1'));
    const outcomes = await browser.execute((p) => {
      const progress = `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
      return window.__TAURI_INTERNALS__.invoke('call_with_progress', { command: 'import_paths', args: { paths: [p] }, onProgress: progress });
    }, file);
    assert.equal(outcomes[0].status, 'imported', JSON.stringify(outcomes[0]));
    assert.match(outcomes[0].warnings.join(' '), /without a text layer.*: 2$/);
    // A fresh window (the previous test left a note open in the editor).
    await browser.refresh();
    await byTest('tab-articles').waitForDisplayed({ timeout: 10000 });
    await byTest('tab-articles').click();
    const item = $(`[data-testid="article-item"][data-id="${outcomes[0].id}"]`);
    await item.waitForDisplayed({ timeout: 5000, timeoutMsg: 'the PDF is listed' });
    await item.click();
    const warning = await byTest('reading-warning');
    await warning.waitForDisplayed({ timeout: 5000, timeoutMsg: 'the reader says the source is incomplete' });
    assert.match(await warning.getText(), /2/);
    await shot('incomplete-source');
    // The page view says it on the page itself, where the original is compared with the text.
    await byTest('mode-page').click();
    await browser.execute(() => document.querySelector('[data-page="2"]')?.scrollIntoView({ block: 'start' }));
    await browser.waitUntil(() => browser.execute(() => document.querySelector('[data-page="2"] [data-testid="page-unread"]')?.textContent ?? ''), { timeout: 10000, timeoutMsg: 'page 2 says it has no text layer' })
      .then(() => browser.execute(() => [...document.querySelectorAll('[data-testid="page-unread"]')].map((e) => e.closest('[data-page]').dataset.page)))
      .then((pages) => assert.deepEqual(pages, ['2'], 'only page 2 is marked'));
    await byTest('mode-text').click();
  });

  await test('attributes and sets in the details, set filter and saved search in the sidebar', async () => {
    await browser.refresh();
    await byTest('tab-articles').waitForDisplayed({ timeout: 10000 });
    await byTest('tab-articles').click();
    // The library loads after the page does: wait for it, not for the tab.
    await browser.waitUntil(async () => (await $$('[data-testid="article-item"]')).length > 0, { timeout: 10000, timeoutMsg: 'the library is loaded after the refresh' });
    const first = await $$('[data-testid="article-item"]');
    const id = await first[0].getAttribute('data-id');
    await first[0].click();
    await byTest('meta-toggle').click();
    await byTest('article-cases').waitForDisplayed({ timeout: 5000 });
    // Define a choice attribute and a date attribute, then give this article values.
    for (const [name, type, choices] of [['outlet_type', 'choice', 'state media, company, press'], ['published_on', 'date', '']]) {
      await byTest('new-attribute').click();
      await byTest('attribute-name').setValue(name);
      await byTest('attribute-type').selectByAttribute('value', type);
      if (choices) await byTest('attribute-choices').setValue(choices);
      await byTest('attribute-define').click();
      await $(`[data-testid="attribute-value"][data-name="${name}"]`).waitForExist({ timeout: 5000 });
    }
    await $('[data-testid="attribute-value"][data-name="outlet_type"]').selectByAttribute('value', 'press');
    const date = await $('[data-testid="attribute-value"][data-name="published_on"]');
    await date.setValue('3.5.2024');
    await browser.keys('Enter');
    // Rust normalises the date; the field shows what was stored.
    await browser.waitUntil(async () => (await date.getValue()) === '2024-05-03', { timeout: 5000, timeoutMsg: 'the date is stored as ISO' });
    // A value the type refuses is put back and explained (typed over the selection:
    // WebDriver's setValue would first clear the field, which clears the value).
    await date.click();
    await browser.keys(['Control', 'a']);
    await browser.keys([...'Frühjahr', 'Enter']);
    await browser.waitUntil(async () => (await texts('toast')).some((x) => x.includes('not a date')), { timeout: 5000, timeoutMsg: 'the refusal is explained' });
    await browser.waitUntil(async () => (await date.getValue()) === '2024-05-03', { timeout: 5000, timeoutMsg: 'a refused date is put back' });
    // A new set from the details, with this article in it.
    await byTest('add-to-set').selectByAttribute('value', '\u0000new');
    await byTest('new-set-name').setValue('china_desk');
    await byTest('new-set-save').click();
    await browser.waitUntil(async () => (await texts('article-set')).some((x) => x.includes('china_desk')), { timeout: 5000, timeoutMsg: 'the article is in the set' });
    const chip = $('[data-testid="set-chip"][data-name="china_desk"]');
    await chip.waitForDisplayed({ timeout: 5000 });
    assert.match(await chip.getText(), /china_desk\s*1/);
    await shot('attributes-and-sets');
    // The set filters the library.
    await chip.$('button.name').click();
    await browser.waitUntil(async () => (await $$('[data-testid="article-item"]')).length === 1, { timeout: 5000, timeoutMsg: 'only the set is listed' });
    assert.equal(await $$('[data-testid="article-item"]')[0].getAttribute('data-id'), id);
    await byTest('set-all').click();
    // Search by attribute and set, save the search, run it again from the sidebar.
    await browser.keys(['Control', 'k']);
    await byTest('search-input').waitForDisplayed({ timeout: 5000 });
    await byTest('search-input').setValue('set:china_desk attr:outlet_type=press kind:article');
    await browser.waitUntil(async () => (await texts('search-hit')).length === 1, { timeout: 8000, timeoutMsg: 'one hit for the set and attribute' });
    // While the names were typed (`set:chin`…) the palette said so quietly, never with an error toast.
    assert.ok(!(await texts('toast')).some((x) => /no set|no attribute/.test(x)), 'no error toasts while typing');
    await byTest('search-input').setValue('set:nope');
    await browser.waitUntil(async () => /no set 'nope'/.test((await texts('search-filter-error')).join()), { timeout: 5000, timeoutMsg: 'an unknown set is named under the field' });
    await byTest('search-input').setValue('set:china_desk attr:outlet_type=press kind:article');
    await browser.waitUntil(async () => (await texts('search-hit')).length === 1, { timeout: 8000, timeoutMsg: 'one hit again' });
    await byTest('save-search').click();
    await byTest('save-search-name').setValue('press_desk');
    await browser.keys('Enter');
    await byTest('saved-search').waitForDisplayed({ timeout: 5000 });
    await browser.keys('Escape');
    await byTest('saved-search').click();
    await byTest('search-input').waitForDisplayed({ timeout: 5000 });
    assert.equal(await byTest('search-input').getValue(), 'set:china_desk attr:outlet_type=press kind:article');
    await browser.waitUntil(async () => (await texts('search-hit')).length === 1, { timeout: 8000, timeoutMsg: 'the saved search runs again' });
    await browser.keys('Escape');
    await byTest('meta-toggle').click();
  });

  await test('a matrix of codes by attribute, its chart, the claims of a cell, CSV and SVG saved', async () => {
    // The sample article's current version (the one with the claims) gets an outlet type.
    const listed = await texts('article-item');
    const at = listed.findIndex((x) => /^Offen[\s\S]*\d+ claims/.test(x));
    assert.ok(at >= 0, `the sample article with its claims is listed: ${JSON.stringify(listed)}`);
    await (await $$('[data-testid="article-item"]'))[at].click();
    await byTest('meta-toggle').click();
    await $('[data-testid="attribute-value"][data-name="outlet_type"]').waitForExist({ timeout: 5000 });
    await $('[data-testid="attribute-value"][data-name="outlet_type"]').selectByAttribute('value', 'company');
    await browser.waitUntil(async () => (await $('[data-testid="attribute-value"][data-name="outlet_type"]').getValue()) === 'company', { timeout: 5000 });
    await byTest('meta-toggle').click();
    // The attribute as a column of the library.
    await byTest('library-column').selectByAttribute('value', 'outlet_type');
    await browser.waitUntil(async () => (await texts('library-value')).includes('company'), { timeout: 5000, timeoutMsg: 'the library shows the value' });
    await byTest('library-column').selectByIndex(0);
    await browser.keys(['Control', 'm']);
    await byTest('matrix-view').waitForDisplayed({ timeout: 5000 });
    await byTest('matrix-rows').selectByAttribute('value', 'code');
    await byTest('matrix-cols').selectByAttribute('value', 'attr:outlet_type');
    await browser.waitUntil(async () => (await $$('[data-testid="matrix-cell"][data-col="company"]')).length > 0, { timeout: 8000, timeoutMsg: 'cells under company' });
    await byTest('matrix-measure').selectByAttribute('value', 'stance');
    await browser.waitUntil(async () => browser.execute(() => document.querySelectorAll('[data-testid="matrix-chart"] svg rect').length > 0), { timeout: 8000, timeoutMsg: 'the chart is drawn' });
    await shot('matrix');
    const cell = (await $$('[data-testid="matrix-cell"][data-col="company"]'))[0];
    const count = Number((await cell.getText()).trim().split(/\s+/).at(-1));
    await cell.click();
    await byTest('matrix-cell-claims').waitForDisplayed({ timeout: 5000 });
    assert.equal((await $$('[data-testid="matrix-claim"]')).length, count, 'the cell lists as many claims as it counts');
    // The CSV and the chart go through Rust (the native save dialog cannot be driven here).
    const csvOut = path.join(work, 'matrix.csv');
    await browser.execute((out) => window.__TAURI_INTERNALS__.invoke('call', { command: 'export_matrix', args: { rows: { kind: 'code', name: null }, cols: { kind: 'attr', name: 'outlet_type' }, out } }), csvOut);
    const csv = readFileSync(csvOut, 'utf8');
    assert.match(csv, /^\ufeffcode,attr:outlet_type,count,supports/);
    assert.match(csv, /,company,\d+,/);
    const svgOut = path.join(work, 'matrix.svg');
    const saved = await browser.execute((out) => {
      const svgs = [...document.querySelectorAll('[data-testid="matrix-chart"] svg')].sort((a, b) => b.clientWidth * b.clientHeight - a.clientWidth * a.clientHeight);
      const copy = svgs[0].cloneNode(true);
      copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
      const content = new XMLSerializer().serializeToString(copy);
      return window.__TAURI_INTERNALS__.invoke('call', { command: 'save_chart', args: { out, format: 'svg', content } }).then(() => 'ok', (e) => e);
    }, svgOut);
    assert.equal(saved, 'ok');
    assert.match(readFileSync(svgOut, 'utf8'), /^<svg[^>]*>[\s\S]*<rect/);
    const refused = await browser.execute((out) => window.__TAURI_INTERNALS__.invoke('call', { command: 'save_chart', args: { out, format: 'svg', content: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' } }).then(() => null, (e) => e), path.join(work, 'bad.svg'));
    assert.equal(refused.code, 'invalid_input');
    // Codes over months: the timeline.
    await byTest('matrix-measure').selectByAttribute('value', 'count');
    await byTest('matrix-cols').selectByAttribute('value', 'month');
    await byTest('chart-timeline').waitForDisplayed({ timeout: 5000 });
    await byTest('chart-timeline').click();
    await browser.waitUntil(async () => browser.execute(() => document.querySelectorAll('[data-testid="timeline"] circle').length > 0), { timeout: 8000, timeoutMsg: 'the timeline is drawn' });
    await browser.execute(() => document.querySelectorAll('[data-testid="toast"] .x').forEach((x) => x.click()));
    await shot('timeline');
    // A claim of a cell opens in the reader.
    await byTest('matrix-cols').selectByAttribute('value', 'attr:outlet_type');
    await browser.waitUntil(async () => (await $$('[data-testid="matrix-cell"][data-col="company"]')).length > 0, { timeout: 8000, timeoutMsg: 'cells under company again' });
    await (await $$('[data-testid="matrix-cell"][data-col="company"]'))[0].click();
    await byTest('matrix-cell-claims').waitForDisplayed({ timeout: 5000 });
    await (await $$('[data-testid="matrix-claim"]'))[0].click();
    await byTest('article-title').waitForDisplayed({ timeout: 5000 });
  });

  await test('a claim moved to another passage keeps its analysis, and undo moves it back', async () => {
    // The sample article is open (the last test opened one of its claims).
    const mark = $('[data-testid="article-text"] mark[data-claims]');
    await mark.waitForExist({ timeout: 5000 });
    const before = await texts('claim-item');
    await clickFree(await mark, 'the claim\'s highlight');
    await clickFree(await byTest('respan-claim'), 'Change span');
    await byTest('respan-banner').waitForDisplayed({ timeout: 3000 });
    await shot('respan');
    assert.ok(await selectInReader('Baidu hat angekündigt'));
    await browser.waitUntil(async () => (await texts('claim-item')).some((x) => x.startsWith('Baidu hat angekündigt')), { timeout: 5000, timeoutMsg: 'the claim now marks the new passage' });
    assert.equal((await texts('claim-item')).length, before.length, 'moved, not added');
    await browser.keys(['Control', 'z']);
    await browser.waitUntil(async () => !(await texts('claim-item')).some((x) => x.startsWith('Baidu hat angekündigt')), { timeout: 5000, timeoutMsg: 'undo moves it back' });
  });

  await test('the table of claims: sort, filter, select several, recode them at once, undo', async () => {
    await browser.keys(['Control', 't']);
    await byTest('claims-table').waitForDisplayed({ timeout: 5000 });
    await browser.waitUntil(async () => (await texts('table-row')).length >= 2, { timeout: 8000, timeoutMsg: 'rows are shown' });
    const total = Number((await byTest('table-total').getText()).match(/\d+/)[0]);
    assert.ok(total >= 2, `claims in the table: ${total}`);
    // Sort by quote, then descending: the first row changes to the last.
    await byTest('sort-quote').click();
    await browser.waitUntil(async () => (await texts('sort-quote')).join('').includes('▲'), { timeout: 5000, timeoutMsg: `sorted by quote: ${await texts('sort-quote')}` });
    const quotes = () => browser.execute(() => [...document.querySelectorAll('[data-testid="table-row"] .quote')].map((q) => q.textContent));
    const ascending = await quotes();
    assert.deepEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).length, ascending.length);
    await byTest('sort-quote').click();
    await browser.waitUntil(async () => JSON.stringify(await quotes()) === JSON.stringify([...ascending].reverse()), { timeout: 5000, timeoutMsg: 'descending order: the same rows reversed' });
    // Select two rows (click, Ctrl+click) and give them a code and a stance.
    const rows = await $$('[data-testid="table-row"]');
    await rows[0].click();
    await browser.performActions([{ type: 'key', id: 'kb', actions: [{ type: 'keyDown', value: '\uE009' }] }]);
    await rows[1].click();
    await browser.releaseActions();
    await browser.waitUntil(async () => (await byTest('selected-count').getText()).startsWith('2'), { timeout: 5000, timeoutMsg: 'two rows selected' });
    const ids = await browser.execute(() => [...document.querySelectorAll('[data-testid="table-row"][aria-selected="true"]')].map((r) => r.dataset.id));
    // A code neither row has yet (so that undo visibly takes it off both).
    const code = await browser.execute((ids) => {
      const shown = ids.map((id) => document.querySelector(`[data-testid="table-row"][data-id="${id}"]`).innerText).join(' ');
      return [...document.querySelectorAll('[data-testid="bulk-add-code"] option')].map((o) => o.value).filter((v) => v && !shown.includes(v)).at(-1);
    }, ids);
    assert.ok(code, 'a code to add');
    await byTest('bulk-add-code').selectByAttribute('value', code);
    await byTest('bulk-stance').selectByAttribute('value', 'contests');
    await byTest('bulk-apply').click();
    await browser.waitUntil(async () => {
      const recoded = await browser.execute((ids) => ids.map((id) => document.querySelector(`[data-testid="table-row"][data-id="${id}"]`)?.innerText ?? ''), ids);
      return recoded.every((x) => x.includes(code) && /contests|bestreitet/i.test(x));
    }, { timeout: 8000, timeoutMsg: 'both rows show the new code and stance' });
    await shot('claims-table');
    // Only these two: the filter by stance finds exactly them (or more, if some already contested).
    await byTest('table-stance').selectByAttribute('value', 'contests');
    await browser.waitUntil(async () => {
      const shown = await browser.execute(() => [...document.querySelectorAll('[data-testid="table-row"]')].map((r) => r.dataset.id));
      return ids.every((id) => shown.includes(id));
    }, { timeout: 5000, timeoutMsg: 'the contested filter shows the recoded rows' });
    // The view's CSV through Rust (the save dialog cannot be driven here).
    const csvOut = path.join(work, 'table.csv');
    const view = await browser.execute(() => window.__TAURI_INTERNALS__.invoke('call', { command: 'claim_table', args: { query: { filter: { stance: 'contests' }, sort: { column: 'quote' } }, limit: 1 } }));
    const written = await browser.execute((v, out) => window.__TAURI_INTERNALS__.invoke('call', { command: 'export_claim_view', args: { view: v, out } }), view.view, csvOut);
    assert.equal(written, view.total);
    // Records begin with their article's id (a quote may hold line breaks).
    assert.equal(readFileSync(csvOut, 'utf8').match(/^[0-9a-f]{8}-[0-9a-f]{4}-/gm).length, view.total);
    // One Ctrl+Z takes back the recode of both.
    await byTest('table-body').click();
    await browser.keys(['Control', 'z']);
    await byTest('table-stance').selectByIndex(0);
    await browser.waitUntil(async () => {
      const back = await browser.execute((ids) => ids.map((id) => document.querySelector(`[data-testid="table-row"][data-id="${id}"]`)?.innerText ?? ''), ids);
      return back.every((x) => !x.includes(code));
    }, { timeout: 8000, timeoutMsg: 'undo takes the code off both' });
    await browser.keys(['Control', 't']);
  });

  await test('a translation kept with a claim, a code memo, and the glossary expanding a search', async () => {
    // The reader, the sample article: open a claim and translate its quote.
    await byTest('tab-articles').click();
    // First a memo on a set: why its articles belong together.
    await (await $$('[data-testid="set-memo"]'))[0].click();
    await byTest('set-memo-text').setValue('Quellen des China-Desks: **staatlich** und Firmen');
    await byTest('set-memo-save').click();
    await browser.waitUntil(async () => browser.execute(() => !!document.querySelector('[data-testid="set-memo"].has')), { timeout: 5000, timeoutMsg: 'the set shows it has a memo' });
    const listed = await texts('article-item');
    const at = listed.findIndex((x) => /^Offen[\s\S]*\d+ claims/.test(x));
    await (await $$('[data-testid="article-item"]'))[at].click();
    const mark = $('[data-testid="article-text"] mark[data-claims]');
    await mark.waitForExist({ timeout: 5000 });
    await clickFree(await mark, 'a claim in the reader');
    await byTest('translation-text').waitForDisplayed({ timeout: 5000 });
    await byTest('translation-lang').setValue('en');
    await byTest('translation-text').setValue('Open models and trust: a translation kept with the claim');
    await clickFree(await byTest('add-translation'), 'Add translation');
    await browser.waitUntil(async () => (await texts('claim-translation')).some((x) => x.includes('a translation kept with the claim')), { timeout: 5000, timeoutMsg: 'the translation shows under the quote' });
    assert.ok((await texts('translations')).join(' ').includes('a translation kept with the claim'));
    // Earlier tests' toasts would cover the form in the picture.
    await browser.execute(() => document.querySelectorAll('[data-testid="toast"] .x').forEach((x) => x.click()));
    await shot('translation');
    await browser.keys('Escape');
    // A memo on a code, and the glossary, in the codebook.
    await byTest('tab-codebook').click();
    await byTest('codebook').waitForDisplayed({ timeout: 5000 });
    await (await $$('[data-testid="edit-memo"]'))[0].click();
    await byTest('memo-text').setValue('**Definition:** claims about openness.\n\n- Include: licences, weights');
    await byTest('save-memo').click();
    await browser.waitUntil(async () => (await $$('.has-memo')).length > 0, { timeout: 5000, timeoutMsg: 'the code shows it has a memo' });
    await byTest('glossary-terms').setValue('de:Vertrauen en:confidence zh:信任');
    await byTest('add-glossary').click();
    await browser.waitUntil(async () => (await texts('glossary-concept')).some((x) => x.includes('Vertrauen') && x.includes('信任')), { timeout: 5000, timeoutMsg: 'the concept is listed' });
    // A codebook from CSV, merged by path (the file dialog cannot be driven: the same command, from the page).
    const book = path.join(work, 'codebook.csv');
    writeFileSync(book, 'path,color,description,memo\nGovernance/Chip exports,#224466,Export rules on chips,Include: BIS entity list\n');
    const imported = await browser.execute((p) => window.__TAURI_INTERNALS__.invoke('call', { command: 'import_codebook', args: { path: p } }), book);
    assert.equal(imported.added >= 1, true, JSON.stringify(imported));
    await byTest('table-button').click();
    await byTest('tab-codebook').click();
    await browser.waitUntil(async () => browser.execute(() => !!document.querySelector('[data-testid="code-row"][data-path="Governance/Chip exports"] .has-memo')), { timeout: 5000, timeoutMsg: 'the imported code shows with its memo' });
    // Search for the English term: the German claims come only with the glossary ticked.
    await browser.keys(['Control', 'k']);
    await byTest('search-input').waitForDisplayed({ timeout: 5000 });
    const expand = await byTest('search-expand');
    if (await expand.isSelected()) await expand.click();
    await byTest('search-input').setValue('confidence');
    await browser.pause(600);
    const plainHits = (await texts('search-hit')).filter((x) => /Vertrauen/.test(x)).length;
    await expand.click();
    await browser.waitUntil(async () => (await texts('search-hit')).filter((x) => /Vertrauen/.test(x)).length > plainHits, { timeout: 5000, timeoutMsg: 'the glossary brings the German hits' });
    await expand.click();
    await browser.keys('Escape');
  });

  await test('a note added by the command line shows in the window within seconds', async () => {
    await byTest('tab-notes').click();
    const before = (await texts('note-item')).length;
    // The `dossier` CLI of this build, a second process on the same notebook.
    const cli = path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target'), 'debug', process.platform === 'win32' ? 'dossier.exe' : 'dossier');
    const started = Date.now();
    const out = spawnSync(cli, ['--json', 'note', 'add', '--title', 'Vom Terminal', '--body', 'Geschrieben mit dossier note add'], { env: { ...process.env, DOSSIER_NOTEBOOK: env.DOSSIER_NOTEBOOK }, encoding: 'utf8' });
    assert.equal(out.status, 0, `the CLI ran: ${out.stderr}`);
    await browser.waitUntil(async () => (await texts('note-item')).length === before + 1, { timeout: 4000, timeoutMsg: 'the window shows the new note without being asked' });
    assert.ok((await texts('note-item')).some((x) => x.includes('Vom Terminal')));
    console.log(`     (shown ${Date.now() - started} ms after the CLI started)`);
  });

  await test('a link back (dossier://claim/ID) pasted in the palette opens the claim in its article', async () => {
    const view = await browser.execute(() => window.__TAURI_INTERNALS__.invoke('call', { command: 'claim_table', args: { query: { filter: { text: 'Offene Gewichte' }, sort: { column: 'created' } }, limit: 1 } }));
    const row = view.rows[0];
    assert.ok(row, 'a claim to link to');
    // Nothing was handed to the app at start.
    assert.deepEqual(await browser.execute(() => window.__TAURI_INTERNALS__.invoke('call', { command: 'take_links', args: {} })), []);
    // Somewhere else first, so opening is visible.
    await byTest('tab-codebook').click();
    await browser.keys(['Control', 'k']);
    await byTest('search-input').waitForDisplayed({ timeout: 5000 });
    await byTest('search-input').setValue(`dossier://claim/${row.id}`);
    await byTest('open-link').waitForDisplayed({ timeout: 5000 });
    await browser.keys('Enter');
    await browser.waitUntil(async () => (await texts('article-title'))[0] === row.article_title, { timeout: 5000, timeoutMsg: 'the claim\'s article opens' });
    await browser.waitUntil(async () => browser.execute((q) => [...document.querySelectorAll('[data-testid="claim-item"].active')].some((b) => b.innerText.startsWith(q.slice(0, 20))), row.exact), { timeout: 5000, timeoutMsg: 'the claim is selected' });
    // A link into nothing says so.
    const missing = await browser.execute(() => window.__TAURI_INTERNALS__.invoke('call', { command: 'resolve_link', args: { url: 'dossier://claim/0190a1b2-0000-7000-8000-000000000011' } }).then(() => null, (e) => e));
    assert.equal(missing.code, 'not_found');
  });

  await test('a PDF read as pages: a sentence selected on page 2 becomes a claim on p. 2, drawn on the page and in the text', async () => {
    // A PDF LibreOffice printed from our own German, English and Chinese text, imported by the CLI.
    const pdf = path.join(work, 'trilingual.pdf');
    writeFileSync(pdf, readFileSync(path.join(repo, 'crates/ingest/tests/fixtures/trilingual.pdf')));
    const cli = path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target'), 'debug', process.platform === 'win32' ? 'dossier.exe' : 'dossier');
    const out = spawnSync(cli, ['--json', 'import', pdf], { env: { ...process.env, DOSSIER_NOTEBOOK: env.DOSSIER_NOTEBOOK }, encoding: 'utf8' });
    assert.equal(out.status, 0, `the CLI imported it: ${out.stderr}`);
    await byTest('tab-articles').click();
    const item = await browser.$('//*[@data-testid="article-item"][contains(., "Offene Modelle, offene Fragen")]');
    await item.waitForDisplayed({ timeout: 5000 });
    await clickFree(item, 'the PDF in the library');
    await browser.waitUntil(async () => (await texts('article-title'))[0] === 'Offene Modelle, offene Fragen', { timeout: 5000 });

    await byTest('mode-page').click();
    await byTest('page-view').waitForDisplayed({ timeout: 5000 });
    // Every page drawn by pdf.js; our words laid over page 2.
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('[data-page="1"] canvas[data-rendered="1"]').length === 1), { timeout: 15000, timeoutMsg: 'page 1 rendered' });
    await browser.execute(() => document.querySelector('[data-page="2"]').scrollIntoView({ block: 'start' }));
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('[data-page="2"] [data-testid="page-words"] span').length > 20), { timeout: 10000, timeoutMsg: 'page 2 has its words' });
    await browser.waitUntil(async () => (await byTest('page-input').getValue()) === '2', { timeout: 5000, timeoutMsg: 'the bar says page 2' });
    const ink = await browser.execute(() => {
      // The canvas is not blank: pdf.js drew the page.
      const c = document.querySelector('[data-page="2"] canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) dark += 1;
      return dark;
    });
    assert.ok(ink > 1000, `page 2 is drawn (${ink} dark pixels)`);

    // Select a sentence on page 2 the way a mouse does: a range over the word spans.
    const phrase = 'Which labs disclose their training data sources';
    const selected = await browser.execute((phrase) => {
      const spans = [...document.querySelectorAll('[data-page="2"] [data-testid="page-words"] span')];
      const words = phrase.split(' ');
      const i = spans.findIndex((s, k) => words.every((w, j) => spans[k + j]?.textContent === w));
      if (i < 0) return false;
      const range = document.createRange();
      range.setStart(spans[i].firstChild, 0);
      const last = spans[i + words.length - 1];
      range.setEnd(last.firstChild, last.textContent.length);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      const r = last.getBoundingClientRect();
      last.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: r.right, clientY: r.bottom }));
      return true;
    }, phrase);
    assert.ok(selected, 'the words of the sentence are on page 2');
    await byTest('claim-form').waitForDisplayed({ timeout: 5000 });
    assert.equal(await $('[data-testid="claim-form"] blockquote').getText(), phrase);
    await byTest('code-input').addValue('Transparency');
    await browser.keys('Enter');
    await byTest('save-claim').click();
    await byTest('claim-form').waitForDisplayed({ reverse: true, timeout: 5000 });
    // In the claim panel with its page; drawn on page 2 over the words.
    await browser.waitUntil(async () => (await texts('claim-item')).some((x) => x.includes(phrase) && /p\. 2/.test(x)), { timeout: 5000, timeoutMsg: 'the claim is listed with p. 2' });
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('[data-page="2"] .mark').length === 1), { timeout: 5000, timeoutMsg: 'its highlight is drawn on page 2' });
    const covered = await browser.execute((phrase) => {
      const mark = document.querySelector('[data-page="2"] .mark').getBoundingClientRect();
      const spans = [...document.querySelectorAll('[data-page="2"] [data-testid="page-words"] span')];
      const words = phrase.split(' ');
      const i = spans.findIndex((s, k) => words.every((w, j) => spans[k + j]?.textContent === w));
      return words.every((_, j) => {
        const r = spans[i + j].getBoundingClientRect();
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        return cx > mark.left && cx < mark.right && cy > mark.top && cy < mark.bottom;
      });
    }, phrase);
    assert.ok(covered, 'the highlight covers every word of the sentence');
    // A region drawn around the Chinese paragraph on page 3 with the region tool, as a mouse drags.
    await byTest('region-tool').click();
    await browser.execute(() => document.querySelector('[data-page="3"]').scrollIntoView({ block: 'start' }));
    await browser.waitUntil(() => browser.execute(() => !!document.querySelector('[data-page="3"] canvas[data-rendered="1"]')), { timeout: 10000, timeoutMsg: 'page 3 rendered' });
    const drawn = await browser.execute(() => {
      const page = document.querySelector('[data-page="3"]');
      const box = page.getBoundingClientRect();
      const scale = box.width / 595.3;
      const at = (x, y) => ({ bubbles: true, button: 0, clientX: box.left + x * scale, clientY: box.top + y * scale });
      page.dispatchEvent(new MouseEvent('mousedown', at(50, 70)));
      window.dispatchEvent(new MouseEvent('mousemove', at(300, 90)));
      const draft = !!document.querySelector('[data-testid="region-draft"]');
      window.dispatchEvent(new MouseEvent('mouseup', at(510, 135)));
      return draft;
    });
    assert.ok(drawn, 'the rectangle is drawn while dragging');
    await byTest('claim-form').waitForDisplayed({ timeout: 5000 });
    assert.equal(await $('[data-testid="claim-form"] blockquote').getText(), 'Region on p. 3');
    await byTest('code-input').addValue('Data integrity');
    await browser.keys('Enter');
    await byTest('save-claim').click();
    await byTest('claim-form').waitForDisplayed({ reverse: true, timeout: 5000 });
    // Its text is the two paragraphs inside the rectangle.
    await browser.waitUntil(async () => (await texts('claim-item')).some((x) => x.includes('region') && x.includes('阿里巴巴') && x.includes('信任') && /p\. 3/.test(x)), { timeout: 5000, timeoutMsg: 'the region claim is listed with p. 3 and the text inside it' });
    await browser.waitUntil(async () => (await $$('[data-testid="toast"]')).length === 0, { timeout: 8000 }).catch(() => {});
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('[data-page="3"] .mark.region').length === 1), { timeout: 5000, timeoutMsg: 'the region is drawn on page 3' });
    await shot('page-region');

    // A region around the figure LibreOffice printed on page 4 (an image: no words inside).
    await byTest('region-tool').click();
    await browser.execute(() => document.querySelector('[data-page="4"]').scrollIntoView({ block: 'start' }));
    await browser.waitUntil(() => browser.execute(() => !!document.querySelector('[data-page="4"] canvas[data-rendered="1"]')), { timeout: 10000, timeoutMsg: 'page 4 rendered' });
    await browser.execute(() => {
      const page = document.querySelector('[data-page="4"]');
      const box = page.getBoundingClientRect();
      const scale = box.width / 595.3;
      const at = (x, y) => ({ bubbles: true, button: 0, clientX: box.left + x * scale, clientY: box.top + y * scale });
      page.dispatchEvent(new MouseEvent('mousedown', at(50, 262)));
      window.dispatchEvent(new MouseEvent('mousemove', at(200, 350)));
      window.dispatchEvent(new MouseEvent('mouseup', at(405, 440)));
    });
    await byTest('claim-form').waitForDisplayed({ timeout: 5000 });
    assert.equal(await $('[data-testid="claim-form"] blockquote').getText(), 'Region on p. 4');
    await byTest('code-input').addValue('Transparency');
    await browser.keys('Enter');
    await byTest('save-claim').click();
    await byTest('claim-form').waitForDisplayed({ reverse: true, timeout: 5000 });
    await browser.waitUntil(async () => (await texts('claim-item')).some((x) => x.includes('region') && /p\. 4/.test(x)), { timeout: 5000, timeoutMsg: 'the figure region is listed with p. 4' });
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('[data-page="4"] .mark.region').length === 1), { timeout: 5000, timeoutMsg: 'the figure region is drawn on page 4' });
    await browser.waitUntil(async () => (await $$('[data-testid="toast"]')).length === 0, { timeout: 8000 }).catch(() => {});
    await shot('page-figure-region');

    // Zoom re-renders the page and keeps the reader on it.
    const before = await byTest('zoom-level').getText();
    const onPage = await byTest('page-input').getValue();
    await byTest('zoom-in').click();
    await browser.waitUntil(async () => (await byTest('zoom-level').getText()) !== before, { timeout: 2000, timeoutMsg: 'the zoom changes' });
    await browser.waitUntil(async () => (await byTest('page-input').getValue()) === onPage, { timeout: 5000, timeoutMsg: `still on page ${onPage} after zooming` });
    await byTest('zoom-fit').click();
    await browser.execute(() => document.querySelector('[data-page="2"]').scrollIntoView({ block: 'start' }));
    await browser.waitUntil(() => browser.execute(() => document.querySelectorAll('[data-page="2"] canvas[data-rendered="1"]').length === 1), { timeout: 10000 });
    await browser.execute(() => document.querySelector('[data-page="2"]').scrollIntoView({ block: 'start' }));
    await browser.waitUntil(async () => (await $$('[data-testid="toast"]')).length === 0, { timeout: 8000 }).catch(() => {});
    await shot('page-view');

    // The same claim in the text view, at the same words; the position is kept (page 2).
    await byTest('mode-text').click();
    await byTest('article-text').waitForDisplayed({ timeout: 5000 });
    const marked = await browser.execute(() => [...document.querySelectorAll('[data-testid="article-text"] mark')].map((m) => m.textContent).join(''));
    assert.ok(marked.includes(phrase), `highlighted in the text: ${marked}`);
    await shot('page-view-text');
  });

  await test('a Word document and a saved web page show their tables and figures; a claim in a table cell', async () => {
    const fixtures = path.join(repo, 'crates/ingest/tests/fixtures');
    const saved = path.join(work, 'saved-page');
    mkdirSync(saved, { recursive: true });
    for (const f of ['trilingual.html', 'chart.png']) writeFileSync(path.join(saved, f), readFileSync(path.join(fixtures, f)));
    const docx = path.join(work, 'figures.docx');
    writeFileSync(docx, readFileSync(path.join(fixtures, 'figures.docx')));
    const cli = path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target'), 'debug', process.platform === 'win32' ? 'dossier.exe' : 'dossier');
    const out = spawnSync(cli, ['--json', 'import', docx, path.join(saved, 'trilingual.html')], { env: { ...process.env, DOSSIER_NOTEBOOK: env.DOSSIER_NOTEBOOK }, encoding: 'utf8' });
    assert.equal(out.status, 0, `the CLI imported them: ${out.stderr}`);

    for (const [title, cell] of [['Tabelle und Abbildung', '未公开'], ['Offene Modelle, offene Fragen', 'Benchmarks genannt']]) {
      await byTest('tab-articles').click();
      // The library learns of the CLI's imports through the change feed. The PDF of
      // the test before has the same title as the saved page: take the HTML one.
      const item = `//*[@data-testid="article-item"][contains(., "${title}")][not(contains(., "EN-US"))]`;
      await browser.waitUntil(async () => (await $$(item)).length > 0, { timeout: 8000, timeoutMsg: `${title} is in the library` });
      const items = await $$(item);
      let opened = false;
      for (const item of items) {
        await clickFree(item, title);
        await browser.waitUntil(async () => (await texts('article-title'))[0] === title, { timeout: 5000 });
        if (await browser.execute(() => !!document.querySelector('[data-testid="mode-page"]'))) continue;
        opened = true;
        break;
      }
      assert.ok(opened, `${title}: the document, not the PDF`);
      await byTest('table-block').waitForDisplayed({ timeout: 5000 });
      const rows = await browser.execute(() => [...document.querySelectorAll('[data-testid="table-block"] tr')].map((tr) => [...tr.children].map((td) => td.innerText.trim())));
      assert.equal(rows.length, 4, JSON.stringify(rows));
      assert.deepEqual(rows[0], ['Modell', 'Anbieter', 'Gewichte', 'Trainingsdaten']);
      assert.ok(rows.flat().includes(cell), JSON.stringify(rows));
      // The image comes through the app's own protocol from the notebook, and is drawn.
      await browser.waitUntil(() => browser.execute(() => {
        const img = document.querySelector('[data-testid="figure-image"]');
        return !!img && img.complete && img.naturalWidth === 480 && img.naturalHeight === 240;
      }), { timeout: 10000, timeoutMsg: `${title}: the figure's image is loaded (480 × 240)` });
      const src = await browser.execute(() => document.querySelector('[data-testid="figure-image"]').getAttribute('src'));
      assert.match(src, /^(dossier-image:\/\/localhost\/|http:\/\/dossier-image\.localhost\/)/, src);
      const caption = await browser.execute(() => document.querySelector('[data-testid="figure-block"] figcaption').innerText);
      assert.match(caption, /^Abbildung 1: Offengelegte Angaben je Modell/);

      // Select the text of one cell, as a mouse would, and code it: the claim's quote is the cell's text.
      await browser.execute((cell) => {
        const td = [...document.querySelectorAll('[data-testid="table-block"] td')].find((td) => td.innerText.trim() === cell);
        const span = td.querySelector('[data-from]');
        const range = document.createRange();
        range.setStart(span.firstChild, 0);
        range.setEnd(span.firstChild, span.textContent.length);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        const r = span.getBoundingClientRect();
        span.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: r.right, clientY: r.bottom }));
      }, cell);
      await byTest('claim-form').waitForDisplayed({ timeout: 5000 });
      assert.equal(await $('[data-testid="claim-form"] blockquote').getText(), cell);
      await byTest('code-input').addValue('Transparency');
      await browser.keys('Enter');
      await byTest('save-claim').click();
      await byTest('claim-form').waitForDisplayed({ reverse: true, timeout: 5000 });
      await browser.waitUntil(() => browser.execute((cell) => [...document.querySelectorAll('[data-testid="table-block"] td mark')].some((m) => m.textContent === cell), cell), { timeout: 5000, timeoutMsg: `${title}: the claim is highlighted in its cell` });
    }
    await browser.waitUntil(async () => (await $$('[data-testid="toast"]')).length === 0, { timeout: 8000 }).catch(() => {});
    await browser.execute(() => document.querySelector('[data-testid="table-block"]').scrollIntoView({ block: 'start' }));
    await shot('table-and-figure');
  });

  await test('a team: joined in the window, a teammate\'s article and claim arrive, the badge tells offline from synced', async () => {
    const target = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
    const cli = path.join(target, 'debug', 'dossier');
    const hubExe = path.join(target, 'debug', 'dossier-hub');
    const pg = startPostgres();
    let hub;
    try {
      const db = pg.database('team');
      const run = (exe, args, extra = {}) => {
        const out = spawnSync(exe, args, { encoding: 'utf8', env: { ...process.env, ...extra } });
        assert.equal(out.status, 0, `${path.basename(exe)} ${args.join(' ')}: ${out.stderr}`);
        return out.stdout;
      };
      run(hubExe, ['migrate', '--database', db]);
      const token = (name, role) => JSON.parse(run(hubExe, ['--json', 'token', 'add', name, '--role', role, '--database', db])).token;
      const annToken = token('ann', 'analyst');
      const windowToken = token('window', 'owner');
      hub = spawn(hubExe, ['serve', '--database', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const url = await new Promise((resolve, reject) => {
        let buf = '';
        hub.stdout.on('data', (d) => { buf += d; const m = buf.match(/serving (http:\/\/\S+)/); if (m) resolve(m[1]); });
        hub.on('exit', (c) => reject(new Error(`the hub exited (${c})`)));
      });
      // Ann, on her own machine, imports an article, marks a claim and syncs.
      const ann = path.join(work, 'ann.dossier');
      const doc = path.join(work, 'team-bericht.md');
      writeFileSync(doc, '# Team-Bericht: Hunyuan und Exportkontrollen\n\nTencent legte für Hunyuan die Trainingsdaten nur teilweise offen.\n\n腾讯仅部分公开了混元的训练数据。\n');
      const annEnv = { DOSSIER_NOTEBOOK: ann, DOSSIER_ANALYST: 'ann' };
      run(cli, ['init'], annEnv);
      const imported = JSON.parse(run(cli, ['--json', 'import', doc], annEnv));
      const articleId = imported.imported?.[0]?.id ?? imported[0]?.id ?? JSON.parse(run(cli, ['--json', 'articles'], annEnv))[0].id;
      run(cli, ['claim', 'add', articleId, '--quote', 'die Trainingsdaten nur teilweise offen', '--code', 'Transparency/Training-data disclosure'], annEnv);
      run(cli, ['team', 'join', url, '--token', annToken], annEnv);
      run(cli, ['sync'], annEnv);

      // The analyst joins the team in the window.
      await $('details.menu summary').click();
      await byTest('open-team').click();
      await byTest('team-dialog').waitForDisplayed({ timeout: 5000 });
      await byTest('team-url').setValue(url);
      await byTest('team-token').setValue(windowToken);
      await byTest('team-join').click();
      await byTest('team-summary').waitForDisplayed({ timeout: 10000 });
      // It syncs at once: Ann's article arrives in the library with her claim.
      await browser.waitUntil(async () => (await byTest('team-badge').getAttribute('data-state')) === 'idle' && /synced/.test(await byTest('team-badge').getText()), { timeout: 60000, timeoutMsg: 'the badge says synced' });
      await browser.keys('Escape');
      await byTest('tab-articles').click();
      await browser.waitUntil(async () => (await texts('article-item')).some((x) => x.includes('Team-Bericht')), { timeout: 10000, timeoutMsg: 'Ann\'s article is in the library' });
      const item = await browser.execute(() => [...document.querySelectorAll('[data-testid="article-item"]')].findIndex((e) => e.innerText.includes('Team-Bericht')));
      await (await $$('[data-testid="article-item"]'))[item].click();
      await browser.waitUntil(async () => (await texts('claim-item')).some((x) => x.includes('Trainingsdaten nur teilweise offen')), { timeout: 10000, timeoutMsg: 'Ann\'s claim is shown' });
      await browser.waitUntil(() => browser.execute(() => [...document.querySelectorAll('mark')].some((m) => m.textContent.includes('teilweise'))), { timeout: 5000, timeoutMsg: 'her claim is highlighted in the text' });
      await shot('team');
      // The team's record now holds the window's notebook too, once.
      assert.equal(pg.query('team', "SELECT count(*) FROM origin"), '2');
      // Checked against the team: every item the team holds is alike here.
      await byTest('team-badge').click();
      await byTest('team-verify').click();
      await byTest('team-verified').waitForDisplayed({ timeout: 30000 });
      assert.match(await byTest('team-verified').getText(), /compared with the team: (\d+) alike/);
      const [, checked, same] = (await byTest('team-verified').getText()).match(/(\d+) items compared with the team: (\d+) alike/);
      assert.equal(checked, same, 'every item alike');
      assert.ok(!(await byTest('team-repair').isExisting()), 'nothing to repair');
      await shot('team-verified');
      await browser.keys('Escape');
      // In the agreement view, Ann's claim is hers: the window offers neither to adopt it for a third
      // analyst nor to delete it (the hub would refuse both), and says whose it is.
      await $('details.menu summary').click();
      await byTest('open-agreement').click();
      // Chosen in the page: analysts' names from earlier tests need not make valid CSS selectors.
      const choose = (id, value) => browser.execute((id, value) => {
        const select = document.querySelector(`[data-testid="${id}"]`);
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }, id, value);
      await byTest('analyst-a').waitForDisplayed({ timeout: 5000 });
      await choose('analyst-a', 'ann');
      const others = await browser.execute(() => [...document.querySelectorAll('[data-testid="analyst-b"] option')].map((o) => o.value));
      const third = others.find((x) => x !== 'ann' && x !== 'window');
      assert.ok(third, `a third analyst to compare with: ${others}`);
      await choose('analyst-b', third);
      await browser.waitUntil(async () => (await texts('teammates-claim')).some((x) => x.includes('ann')), { timeout: 10000, timeoutMsg: 'Ann\'s claim is marked as hers' });
      const annItem = await browser.execute(() => [...document.querySelectorAll('[data-testid="disagreement"]')].find((e) => e.innerText.includes('teilweise'))?.querySelectorAll('button').length);
      assert.equal(annItem, 0, 'no adopt or delete on a teammate\'s claim');
      await browser.keys('Escape');

      // Selective sync: the window pulls whole only articles coded with a disclosure code; Ann's
      // uncoded article comes as metadata, listed with its date, and whole when asked for.
      await byTest('team-badge').click();
      await byTest('team-scope-edit').click();
      await browser.execute(() => document.querySelector('[data-testid="team-scope-code"][data-path="Transparency/Training-data disclosure"]').click());
      await byTest('team-scope-from').setValue('2023');
      await browser.waitUntil(async () => (await $$('[data-testid="toast"]')).length === 0, { timeout: 12000 }).catch(() => {});
      await shot('team-scope-edit');
      await byTest('team-scope-save').click();
      await browser.waitUntil(async () => /coded Transparency\/Training-data disclosure · dated 2023/.test(await byTest('team-scope').getText()), { timeout: 20000, timeoutMsg: 'the scope is shown' });
      const coded = path.join(work, 'team-ernie.md');
      writeFileSync(coded, '---\ntitle: ERNIE-Bericht\ndate: 2024-03-16\n---\n\nBaidu nennt die Herkunft der Trainingsdaten für ERNIE nicht.\n');
      const uncoded = path.join(work, 'team-qwen.md');
      writeFileSync(uncoded, '---\ntitle: Qwen-Lizenzbericht\ndate: 2024-09-19\n---\n\nAlibaba veröffentlichte die Gewichte von Qwen unter einer offenen Lizenz.\n');
      const both = JSON.parse(run(cli, ['--json', 'import', coded, uncoded], annEnv));
      const ernieId = both.find((r) => r.title === 'ERNIE-Bericht').id;
      run(cli, ['claim', 'add', ernieId, '--quote', 'die Herkunft der Trainingsdaten', '--code', 'Transparency/Training-data disclosure'], annEnv);
      run(cli, ['sync'], annEnv);
      await byTest('team-sync').click();
      await browser.waitUntil(async () => (await texts('team-stub')).some((x) => x.includes('Qwen-Lizenzbericht') && x.includes('2024-09-19')), { timeout: 30000, timeoutMsg: 'the uncoded article is listed, not pulled' });
      assert.equal(await byTest('team-not-pulled').getText(), '1');
      await shot('team-scope');
      await browser.keys('Escape');
      await byTest('tab-articles').click();
      await browser.waitUntil(async () => (await texts('article-item')).some((x) => x.includes('ERNIE-Bericht')), { timeout: 10000, timeoutMsg: 'the coded article is in the library' });
      assert.ok(!(await texts('article-item')).some((x) => x.includes('Qwen-Lizenzbericht')), 'the uncoded one is not');
      await byTest('team-badge').click();
      await byTest('team-stub-pull').click();
      await browser.waitUntil(async () => !(await byTest('team-stub').isExisting()), { timeout: 20000, timeoutMsg: 'pulled on demand' });
      assert.equal(await byTest('team-not-pulled').getText(), '0');
      await browser.keys('Escape');
      await browser.waitUntil(async () => (await texts('article-item')).some((x) => x.includes('Qwen-Lizenzbericht')), { timeout: 10000, timeoutMsg: 'the pulled article is in the library' });

      // The hub goes away: syncing says offline, and the notebook works on.
      hub.kill('SIGKILL');
      await new Promise((r) => hub.once('exit', r));
      hub = null;
      await byTest('team-badge').click();
      await byTest('team-sync').click();
      await browser.waitUntil(async () => (await byTest('team-badge').getAttribute('data-state')) === 'offline', { timeout: 20000, timeoutMsg: 'the badge says offline' });
      assert.match(await byTest('team-error').getText(), /cannot be reached/);
      await browser.keys('Escape');
      await browser.waitUntil(async () => (await $$('[data-testid="toast"]')).length === 0, { timeout: 12000 }).catch(() => {});
      await shot('team-offline');
      // Leave the team so the later tests see a notebook of one analyst.
      await byTest('team-badge').click();
      await byTest('team-leave').click();
      await browser.waitUntil(async () => !(await byTest('team-badge').isExisting()), { timeout: 5000, timeoutMsg: 'the badge goes with the team' });
      await browser.keys('Escape');
    } finally {
      if (hub) hub.kill('SIGKILL');
      pg.stop();
    }
  });

  await test('errors arrive as {code, message}', async () => {
    const err = await browser.execute(() =>
      window.__TAURI_INTERNALS__.invoke('call', { command: 'get_article', args: { id: 'nope' } }).then(() => null, (e) => e),
    );
    assert.deepEqual(err, { code: 'not_found', message: "no article with id 'nope'" });
  });
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  driver.kill();
}

const failed = results.filter((r) => r[1] !== 'ok');
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length === 0 && results.length > 0 ? 0 : 1);
