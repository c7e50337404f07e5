// Application state (Svelte 5 runes). Components read from `app` and call the
// actions here; only this module talks to `api` (src/lib/dataflow.test.ts
// checks it). A write applies the value Rust returns to `app`, then refetches
// only what the change touches (the counts it shows, or the lists it named);
// Rust stays the single source of truth.
import {
  api, asDossierError, originalBytes,
  type AgreementReport, type Article, type Block, type ArticleSet, type ArticleSummary, type AttributeDef, type AttributeType,
  type AttributeValue, type Axis, type ChartFormat, type Matrix, type SavedSearch, type ChangeEntry, type CheckReport, type Claim, type ClaimPatch,
  type ClaimRelation, type Code, type Disagreement, type Evidence, type ExportFormat, type ExportScope, type ImportOutcome,
  type ImportProgress, type IndexStatus, type NewClaim, type Note, type NotebookInfo, type Pick, type Progress,
  type RelationKind, type RepairReport, type SearchRequest, type SearchResults, type Suggestion, type TrashItem,
  type Verdict, type VerdictChange, type ClaimQuery, type ClaimView, type ClaimRow, type Recode, type GlossaryConcept, type GlossaryTerm, type ChangeBatch, type EntityKind,
  type TeamStatus, type ConflictEntry, type VerifyReport, type ScopeView, type StubArticle,
} from './api';
import { describeError, t } from './i18n.svelte';

export { asDossierError };

export type View = 'reader' | 'note' | 'codebook' | 'matrix' | 'table';
export type SidebarTab = 'articles' | 'notes' | 'codebook';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
}

/**
 * The app's state. Lists fetched from Rust are replaced wholesale, never
 * mutated in place, so they are `$state.raw`: no deep proxies over thousands
 * of articles (less memory, faster updates).
 */
class AppState {
  info = $state<NotebookInfo | null>(null);
  articles = $state.raw<ArticleSummary[]>([]);
  codes = $state.raw<Code[]>([]);
  notes = $state.raw<Note[]>([]);
  /** Article attributes, sets of articles and saved searches the notebook defines. */
  attributes = $state.raw<AttributeDef[]>([]);
  sets = $state.raw<ArticleSet[]>([]);
  saved = $state.raw<SavedSearch[]>([]);
  article = $state.raw<Article | null>(null);
  /** The open article's blocks (tables and figures are laid out from them). */
  blocks = $state.raw<Block[]>([]);
  /** The open article's attribute values and the sets it is in. */
  articleAttributes = $state.raw<AttributeValue[]>([]);
  articleSets = $state.raw<string[]>([]);
  /** The library shows only this set's articles (null: all). */
  librarySet = $state<{ name: string; ids: Set<string> } | null>(null);
  /** A query for the search palette to open with (a saved search). */
  pendingQuery = $state<string | null>(null);
  claims = $state.raw<Claim[]>([]);
  articleNotes = $state.raw<Note[]>([]);
  note = $state.raw<Note | null>(null);
  view = $state<View>('reader');
  /** The glossary's concepts (read when the codebook opens, and after changes). */
  glossary = $state.raw<GlossaryConcept[]>([]);
  /** Bumped after a change that the table of claims must read again (a recode, an undo). */
  tableEpoch = $state(0);
  tab = $state<SidebarTab>('articles');
  /** Code-point offset to scroll the reader to (a search hit or a claim). */
  focus = $state<{ start: number; end: number } | null>(null);
  /** How a PDF is read: its canonical text, or its pages as printed. */
  readingMode = $state<'text' | 'page'>('text');
  selectedClaim = $state<string | null>(null);
  /** The versions of the open article, oldest first (one id when it has no other). */
  versions = $state.raw<string[]>([]);
  /** Claims not found in a newer version of their article (the review queue). */
  orphans = $state.raw<Claim[]>([]);
  /** An orphan waiting for the analyst to select the passage it belongs to. */
  attaching = $state<Claim | null>(null);
  /** A claim whose span the analyst is moving: the next selection in the reader is its new span. */
  respanning = $state<Claim | null>(null);
  toasts = $state.raw<Toast[]>([]);
  /** A long operation in flight (export, reindex), for the progress bar. */
  task = $state<{ label: string; done: number; total: number } | null>(null);
  loading = $state(true);
  /** The team this notebook is in (null: none), and how its syncing goes. */
  team = $state.raw<TeamStatus | null>(null);
  syncState = $state<'idle' | 'syncing' | 'offline' | 'refused'>('idle');
  syncMessage = $state('');
}

export const app = new AppState();

let toastSeq = 0;
export function toast(text: string, kind: Toast['kind'] = 'info', action?: Toast['action']) {
  const id = ++toastSeq;
  app.toasts = [...app.toasts, { id, text, kind, action }];
  setTimeout(() => dismiss(id), kind === 'error' ? 9000 : action ? 7000 : 3500);
}
export function dismiss(id: number) {
  app.toasts = app.toasts.filter((x) => x.id !== id);
}

/** Runs an action; a failure becomes a readable toast instead of an exception. */
export async function attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    const err = asDossierError(e);
    toast(`${t('errorPrefix')}: ${describeError(err)}`, 'error');
    return undefined;
  }
}

export async function refreshAll() {
  await attempt(async () => {
    const [info, articles, codes, notes] = await Promise.all([api.notebookInfo(), api.listArticles(), api.listCodes(), api.listNotes()]);
    Object.assign(app, { info, articles, codes, notes });
    await reloadCases();
    if (!app.article && articles.length > 0) await openArticle(articles[0].id);
  });
  app.loading = false;
}

export async function refreshLists() {
  await attempt(async () => {
    const [info, articles, codes, notes] = await Promise.all([api.notebookInfo(), api.listArticles(), api.listCodes(), api.listNotes()]);
    Object.assign(app, { info, articles, codes, notes });
  });
  await reloadCases();
}

export async function openArticle(id: string, focus: { start: number; end: number } | null = null) {
  await attempt(async () => {
    if (app.article?.id !== id) {
      const [article, claims, articleNotes, versions, orphans, articleAttributes, articleSets, blocks] = await Promise.all([
        api.getArticle(id), api.listClaims(id), api.listNotes(id), api.articleVersions(id), api.orphanedClaims(),
        api.articleAttributes(id), api.articleSets(id), api.articleBlocks(id),
      ]);
      Object.assign(app, { article, claims, articleNotes, versions, orphans, articleAttributes, articleSets, blocks, attaching: null });
    }
    app.view = 'reader';
    app.focus = focus;
  });
}

/**
 * The lists that show counts (the notebook's totals, claims per article and
 * per code), after a write that changes them.
 */
export async function refreshCounts() {
  await attempt(async () => {
    const [info, articles, codes] = await Promise.all([api.notebookInfo(), api.listArticles(), api.listCodes()]);
    Object.assign(app, { info, articles, codes });
  });
}

/** Puts a claim Rust returned into the open article's list (in reading order). */
function applyClaim(c: Claim) {
  if (app.article?.id !== c.article_id) return;
  const rest = app.claims.filter((x) => x.id !== c.id);
  app.claims = [...rest, c].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Puts a note Rust returned into the lists (newest change first) and the editor. */
function applyNote(n: Note) {
  app.notes = [n, ...app.notes.filter((x) => x.id !== n.id)];
  const here = app.article && (n.article_id === app.article.id || n.links.some((l) => l.target_id === app.article!.id));
  app.articleNotes = here ? [n, ...app.articleNotes.filter((x) => x.id !== n.id)] : app.articleNotes.filter((x) => x.id !== n.id);
  if (app.note?.id === n.id || app.note === null) app.note = n;
}

export async function reloadClaims() {
  if (!app.article) return;
  const id = app.article.id;
  await attempt(async () => {
    const [claims, articleNotes, versions, orphans] = await Promise.all([api.listClaims(id), api.listNotes(id), api.articleVersions(id), api.orphanedClaims()]);
    Object.assign(app, { claims, articleNotes, versions, orphans });
  });
  await refreshCounts();
}

/** The notes lists, after a change to a note made elsewhere (undo, trash). */
async function reloadNotes() {
  await attempt(async () => {
    const id = app.article?.id ?? null;
    const [info, notes, articleNotes] = await Promise.all([api.notebookInfo(), api.listNotes(), id ? api.listNotes(id) : Promise.resolve([])]);
    Object.assign(app, { info, notes, articleNotes });
  });
}

export function codeColor(path: string | undefined): string {
  return app.codes.find((c) => c.path === path)?.color ?? '#8a8f98';
}

/** Deletes a claim (into the trash) and offers to undo it. */
export async function deleteClaimWithUndo(id: string) {
  const old = await attempt(() => api.deleteClaim(id));
  if (!old) return;
  app.selectedClaim = null;
  app.claims = app.claims.filter((c) => c.id !== id);
  await refreshCounts();
  toast(t('claimDeleted'), 'info', { label: t('undo'), run: () => undoRedo(true) });
}

/** Ctrl+Z / Ctrl+Shift+Z: undo or redo the last change to a claim, note or article. */
export async function undoRedo(undo: boolean) {
  const r = await attempt(() => (undo ? api.undo() : api.redo()));
  if (r === undefined) return;
  app.tableEpoch += 1;
  if (r === null) { toast(t(undo ? 'nothingToUndo' : 'nothingToRedo')); return; }
  const known = ['add', 'edit', 'delete', 'restore'].includes(r.action);
  toast(t(undo ? 'undid' : 'redid', { what: known ? t(`action_${r.action}` as never) : r.action, entity: t(`entity_${r.entity}` as never) }));
  // Refetch what the change names: the entity it was about. An import is one
  // step over claims, notes and codes together: everything is read again.
  if (r.action === 'import') {
    await refreshLists();
    await reloadClaims();
  } else if (r.entity === 'note') {
    await reloadNotes();
    if (app.note?.id === r.entity_id) app.note = app.notes.find((n) => n.id === r.entity_id) ?? null;
  } else if (r.entity === 'glossary') {
    await reloadGlossary();
  } else if (r.entity === 'attribute' || r.entity === 'set' || r.entity === 'search') {
    await reloadCases();
    if (app.article) await reloadArticleCases(app.article.id);
  } else if (r.entity === 'article') {
    await refreshLists();
    if (app.article?.id === r.entity_id) {
      const still = app.articles.some((a) => a.id === r.entity_id);
      app.article = null;
      if (still) await openArticle(r.entity_id);
      else if (app.articles[0]) await openArticle(app.articles[0].id);
    }
  } else {
    // A claim, or the codebook (claims show code paths): the open article's claims and the counts.
    await reloadClaims();
  }
}

/** Words for a carry report: how many claims came along and how. */
export function carryText(r: { exact: number; changed: number; orphaned: number }): string {
  return t('carried', { exact: r.exact, changed: r.changed, orphaned: r.orphaned });
}

/** Imports a revised file as the new version of the open article and opens it. */
export async function importNewVersion(path: string) {
  if (!app.article) return;
  const r = await attempt(() => api.importNewVersion(path, app.article!.id));
  if (!r) return;
  toast(carryText(r));
  await refreshLists();
  await openArticle(r.article_id);
}

/** Carries the claims of `from` to the just-imported `to` (same source address). */
export async function carryClaims(from: string, to: string) {
  const r = await attempt(() => api.carryClaims(from, to));
  if (!r) return;
  toast(carryText(r));
  await refreshLists();
  await openArticle(r.article_id);
}

/** Attaches the orphan being placed to a range of the open article. */
export async function attachOrphan(start: number, end: number) {
  const orphan = app.attaching;
  app.attaching = null;
  if (!orphan) return;
  const c = await attempt(() => api.reattachClaim(orphan.id, { type: 'range', start, end }));
  if (c) {
    toast(t('reattached'));
    await reloadClaims();
  }
}

/** Moves the claim being respanned to a range of its article; undoable. */
export async function moveClaimSpan(start: number, end: number) {
  const claim = app.respanning;
  app.respanning = null;
  if (!claim) return;
  const c = await attempt(() => api.editClaimSpan(claim.id, { type: 'range', start, end }));
  if (c) {
    applyClaim(c);
    app.selectedClaim = c.id;
    toast(t('spanMoved'), 'info', { label: t('undo'), run: () => undoRedo(true) });
  }
}

export async function dismissOrphan(id: string) {
  if (await attempt(() => api.dismissOrphan(id))) await reloadClaims();
}

/** Who is working (asked once, kept in this window's storage); recorded with claims, relations and verdicts. */
export function analyst(): string | null {
  return localStorage.getItem('dossier.analyst');
}

// ---------------------------------------------------------------- claims

/** Marks a new claim; it appears in the open article at once. */
export async function addClaim(c: NewClaim): Promise<Claim | undefined> {
  const made = await attempt(() => api.addClaim(c));
  if (made) {
    applyClaim(made);
    await refreshCounts();
  }
  return made;
}

/** Edits a claim (a new version of it). */
export async function updateClaim(id: string, patch: ClaimPatch): Promise<Claim | undefined> {
  const c = await attempt(() => api.updateClaim(id, patch));
  if (c) {
    applyClaim(c);
    if (patch.codes) await refreshCounts();
  }
  return c;
}

/** Records a verdict with its evidence. */
export async function setVerdict(id: string, verdict: Verdict, note: string | null, evidence: Evidence[]): Promise<Claim | undefined> {
  const c = await attempt(() => api.setVerdict(id, verdict, note, evidence, analyst()));
  if (c) applyClaim(c);
  return c;
}

/** Keeps a translation with a claim (made by the analyst unless `translator` says who or what). */
export async function translateClaim(id: string, language: string, text: string, translator: string | null): Promise<Claim | undefined> {
  const c = await attempt(() => api.translateClaim(id, language, text, translator ?? analyst()));
  if (c) applyClaim(c);
  return c;
}

export async function deleteTranslation(translationId: string): Promise<Claim | undefined> {
  const c = await attempt(() => api.deleteTranslation(translationId));
  if (c) {
    applyClaim(c);
    toast(t('translationRemoved'), 'info', { label: t('undo'), run: () => undoRedo(true) });
  }
  return c;
}

// ---------------------------------------------------------------- glossary and memos

export async function reloadGlossary() {
  const g = await attempt(() => api.glossary());
  if (g) app.glossary = g;
}
export async function addGlossaryTerms(terms: GlossaryTerm[]): Promise<boolean> {
  const g = await attempt(() => api.addGlossaryTerms(terms));
  if (!g) return false;
  await reloadGlossary();
  return true;
}
export async function removeGlossaryTerm(term: GlossaryTerm) {
  if ((await attempt(() => api.removeGlossaryTerm(term))) === undefined) return;
  await reloadGlossary();
  toast(t('termRemoved', { term: term.term }), 'info', { label: t('undo'), run: () => undoRedo(true) });
}
/** Asks for a codebook file (.qdc or CSV) and merges it into the codebook by path. */
export async function importCodebook(): Promise<boolean> {
  const path = (await pick({ kind: 'file', title: t('importCodebook'), filters: [{ name: 'REFI-QDA / CSV', extensions: ['qdc', 'csv'] }] }))?.[0];
  if (!path) return false;
  const r = await attempt(() => api.importCodebook(path));
  if (!r) return false;
  app.codes = (await attempt(() => api.listCodes())) ?? app.codes;
  const text = t('codebookImported', { added: r.added, updated: r.updated, unchanged: r.unchanged });
  toast(r.problems.length ? `${text} — ${r.problems.slice(0, 3).join('; ')}` : text, r.problems.length ? 'error' : 'info', { label: t('undo'), run: () => undoRedo(true) });
  return true;
}

/** Every article's value of one attribute (a column of the library). */
export const attributeValues = (name: string) => attempt(() => api.attributeValues(name));

export async function setSetMemo(name: string, memo: string): Promise<boolean> {
  const set = await attempt(() => api.setSetMemo(name, memo));
  if (!set) return false;
  app.sets = app.sets.map((x) => (x.name === set.name ? set : x));
  return true;
}

export async function setCodeMemo(path: string, memo: string): Promise<boolean> {
  const c = await attempt(() => api.setCodeMemo(path, memo));
  if (!c) return false;
  app.codes = app.codes.map((x) => (x.id === c.id ? c : x));
  return true;
}

/** The claims the notebook suggests in the open article. */
export const suggest = (articleId: string) => attempt(() => api.suggest(articleId));

/** Turns a suggestion into a claim. */
export async function acceptSuggestion(articleId: string, s: Suggestion): Promise<Claim | undefined> {
  const c = await attempt(() => api.acceptSuggestion(articleId, s, analyst()));
  if (c) {
    applyClaim(c);
    await refreshCounts();
  }
  return c;
}

export const dismissSuggestion = (articleId: string, s: Suggestion) => attempt(() => api.dismissSuggestion(articleId, s));

/** A claim's verdicts, relations and logged changes, for its details. */
export async function claimDetails(id: string): Promise<{ verdicts: VerdictChange[]; relations: ClaimRelation[]; changes: ChangeEntry[] }> {
  const [verdicts, relations, changes] = await Promise.all([api.verdictHistory(id), api.relations(id), api.history('claim', id)]);
  return { verdicts, relations, changes };
}

/** The quote of each claim (the id itself for one that is gone). */
export async function claimQuotes(ids: string[]): Promise<Record<string, string>> {
  const quotes = await Promise.all(ids.map((id) => api.getClaim(id).then((c) => [id, c.exact] as const).catch(() => [id, id] as const)));
  return Object.fromEntries(quotes);
}

export const addRelation = (from: string, to: string, kind: RelationKind, comment: string | null) =>
  attempt(() => api.addRelation(from, to, kind, comment, analyst()));
export const deleteRelation = (id: string) => attempt(() => api.deleteRelation(id));
export const claimBacklinks = (id: string): Promise<Note[]> => api.claimBacklinks(id);
export const noteBacklinks = (id: string): Promise<Note[]> => api.noteBacklinks(id);
/** Every claim of one article, or of all (`null`). */
export const claimsOf = (articleId: string | null): Promise<Claim[]> => api.listClaims(articleId);

// ---------------------------------------------------------------- pages of a PDF (reads only)

/** One page of a PDF article: its size, its words and the claims drawn on it. */
export const pageView = (articleId: string, page: number) => api.pageView(articleId, page);
/** Where a span of an article's text is on its pages (null for articles without pages). */
export const locateSpan = (articleId: string, start: number, end: number) => api.locateSpan(articleId, start, end);
/** The original file's bytes, for the page view to render. */
export const originalOf = (articleId: string): Promise<ArrayBuffer> => originalBytes(articleId);
export const articlesWithCode = (code: string): Promise<string[]> => api.articlesWithCode(code);

// ---------------------------------------------------------------- articles

/** Corrects the open article's language (Rust re-indexes it). */
export async function setArticleLanguage(language: string): Promise<Article | undefined> {
  if (!app.article) return undefined;
  const updated = await attempt(() => api.setArticleLanguage(app.article!.id, language));
  if (updated) {
    app.article = updated;
    app.articles = app.articles.map((x) => (x.id === updated.id ? { ...x, language: updated.language } : x));
  }
  return updated;
}

/** Imports files and folders with progress; the new articles are listed. */
export async function importPaths(paths: string[], onProgress: (p: ImportProgress) => void): Promise<ImportOutcome[] | undefined> {
  const result = await attempt(() => api.importPaths(paths, onProgress));
  if (result) await refreshLists();
  return result;
}

export const cancelImport = () => attempt(() => api.cancelImport());

// ---------------------------------------------------------------- codes

/** A codebook change: the codebook is read again, and, when paths moved, the open article's claims (they show paths). */
async function codebookChange<T>(run: () => Promise<T>, pathsMove: boolean): Promise<T | undefined> {
  const r = await attempt(run);
  if (r !== undefined) {
    await refreshCounts();
    if (pathsMove) await reloadClaims();
  }
  return r;
}

export const addCode = (path: string, color: string | null, description: string) => codebookChange(() => api.addCode(path, color, description), false);
export const updateCode = (path: string, color: string | null, description: string | null) => codebookChange(() => api.updateCode(path, color, description), false);
export const renameCode = (path: string, name: string) => codebookChange(() => api.renameCode(path, name), true);
export const moveCode = (path: string, parent: string | null) => codebookChange(() => api.moveCode(path, parent), true);
export const mergeCode = (from: string, into: string) => codebookChange(() => api.mergeCode(from, into), true);
export const deleteCode = (path: string, force: boolean) => codebookChange(() => api.deleteCode(path, force), true);

// ---------------------------------------------------------------- notes

/** Saves the note in the editor (a new one when `id` is null). */
export async function saveNote(id: string | null, title: string, body: string, articleId: string | null): Promise<Note | undefined> {
  const saved = await attempt(() => (id ? api.updateNote(id, title, body, articleId) : api.addNote(title, body, articleId)));
  if (saved) {
    app.note = saved;
    applyNote(saved);
    if (!id) app.info = app.info && { ...app.info, notes: app.info.notes + 1 };
  }
  return saved;
}

/** Deletes a note (into the trash). */
export async function deleteNote(id: string): Promise<boolean> {
  const gone = await attempt(() => api.deleteNote(id));
  if (!gone) return false;
  app.notes = app.notes.filter((n) => n.id !== id);
  app.articleNotes = app.articleNotes.filter((n) => n.id !== id);
  if (app.note?.id === id) app.note = null;
  app.info = app.info && { ...app.info, notes: Math.max(0, app.info.notes - 1) };
  return true;
}

// ---------------------------------------------------------------- search and analysis

export const search = (request: SearchRequest): Promise<SearchResults> => api.search(request);
export const indexStatus = (): Promise<IndexStatus> => api.indexStatus();
export const analysts = (): Promise<string[]> => api.analysts();
export const agreement = (a: string, b: string, articleId: string | null): Promise<AgreementReport> => api.agreement(a, b, articleId);
export const disagreements = (a: string, b: string, articleId: string): Promise<Disagreement[]> => api.disagreements(a, b, articleId);

// ---------------------------------------------------------------- the notebook

/** A native dialog; what it returns are the only paths the shell accepts from the window. */
export const pick = (request: Pick) => attempt(() => api.pick(request));

/** Opens (or creates) the notebook in a picked folder and shows it. */
export async function switchNotebook(dir: string, create: boolean): Promise<NotebookInfo | undefined> {
  const info = await attempt(() => (create ? api.createNotebook(dir) : api.openNotebook(dir)));
  if (info) await showNewNotebook();
  return info;
}

/** Restores a backup into a new folder and shows it. */
export async function restoreBackup(backup: string, into: string): Promise<NotebookInfo | undefined> {
  app.task = { label: t('restoreBackup'), done: 0, total: 1 };
  const info = await attempt(() => api.restoreBackup(backup, into));
  app.task = null;
  if (info) await showNewNotebook();
  return info;
}

async function showNewNotebook() {
  await followChanges();
  await loadTeam();
  app.article = null;
  app.note = null;
  await refreshAll();
}

export const check = (): Promise<CheckReport | undefined> => attempt(() => api.check());
export const repair = (): Promise<RepairReport | undefined> => attempt(() => api.repair());

/** Rebuilds the index, with the progress bar. */
export async function reindex(): Promise<number | undefined> {
  app.task = { label: t('reindexing'), done: 0, total: 1 };
  const n = await attempt(() => api.reindex((p) => (app.task = { label: t('reindexing'), ...p })));
  app.task = null;
  return n;
}

export const exportTo = (format: ExportFormat, out: string, scope: ExportScope, force: boolean, onProgress?: (p: Progress) => void) =>
  api.export(format, out, scope, force, onProgress);
export const reportHtml = (scope: ExportScope) => attempt(() => api.reportHtml(scope));

export const trash = (): Promise<TrashItem[] | undefined> => attempt(() => api.trash());

/** Puts a deleted item back and shows it where it belongs. */
export async function restoreFromTrash(item: TrashItem): Promise<boolean> {
  const back = await attempt(() => api.restoreFromTrash(item.id));
  if (!back) return false;
  await refreshLists();
  if (item.entity === 'claim' || item.entity === 'article') await reloadClaims();
  return true;
}

/** Tells the shell the first frame is painted (timed by scripts/bench-app.sh). */
export const firstFrame = () => api.firstFrame().catch(() => {});

// ---------------------------------------------------------------- attributes, sets, saved searches

/** The attributes, sets and saved searches (and the library's set filter, whose members may have changed). */
export async function reloadCases() {
  await attempt(async () => {
    const [attributes, sets, saved] = await Promise.all([api.listAttributes(), api.listSets(), api.listSavedSearches()]);
    Object.assign(app, { attributes, sets, saved });
    const shown = app.librarySet;
    if (shown) {
      app.librarySet = sets.some((x) => x.name === shown.name)
        ? { name: shown.name, ids: new Set(await api.setMembers(shown.name)) }
        : null;
    }
  });
}

async function reloadArticleCases(id: string) {
  await attempt(async () => {
    const [articleAttributes, articleSets] = await Promise.all([api.articleAttributes(id), api.articleSets(id)]);
    if (app.article?.id === id) Object.assign(app, { articleAttributes, articleSets });
  });
}

/** Defines an attribute; true when it was. */
export async function defineAttribute(name: string, kind: AttributeType, choices: string[]): Promise<boolean> {
  const def = await attempt(() => api.defineAttribute(name, kind, choices));
  if (!def) return false;
  app.attributes = [...app.attributes, def];
  return true;
}

export async function deleteAttribute(name: string) {
  if ((await attempt(() => api.deleteAttribute(name))) === undefined) return;
  await reloadCases();
  if (app.article) await reloadArticleCases(app.article.id);
  toast(t('attributeDeleted', { name }), 'info', { label: t('undo'), run: () => undoRedo(true) });
}

/** Sets (or, with an empty value, clears) the open article's value of an attribute. */
export async function setAttribute(name: string, value: string): Promise<boolean> {
  if (!app.article) return false;
  const id = app.article.id;
  const values = await attempt(() => api.setArticleAttribute(id, name, value.trim() === '' ? null : value));
  if (!values) return false;
  if (app.article?.id === id) app.articleAttributes = values;
  await reloadCases();
  // The library's attribute column and the table of claims show values.
  app.tableEpoch += 1;
  return true;
}

/** Makes a set; its name, as stored, when it was made. */
export async function createSet(name: string): Promise<string | undefined> {
  const set = await attempt(() => api.createSet(name, ''));
  if (!set) return undefined;
  app.sets = [...app.sets, set];
  return set.name;
}

export async function deleteSet(name: string) {
  if ((await attempt(() => api.deleteSet(name))) === undefined) return;
  if (app.librarySet?.name === name) app.librarySet = null;
  await reloadCases();
  if (app.article) await reloadArticleCases(app.article.id);
  toast(t('setDeleted', { name }), 'info', { label: t('undo'), run: () => undoRedo(true) });
}

/** Puts articles into a set (or takes them out). */
export async function putInSet(name: string, ids: string[], remove = false): Promise<boolean> {
  const set = await attempt(() => api.putInSet(name, ids, remove));
  if (!set) return false;
  await reloadCases();
  if (app.article && ids.includes(app.article.id)) await reloadArticleCases(app.article.id);
  return true;
}

/** Shows only a set's articles in the library (null: all). */
export async function showSet(name: string | null) {
  if (!name) { app.librarySet = null; return; }
  const ids = await attempt(() => api.setMembers(name));
  if (ids) app.librarySet = { name, ids: new Set(ids) };
}

export async function saveSearch(name: string, query: string): Promise<boolean> {
  const s = await attempt(() => api.saveSearch(name, query));
  if (!s) return false;
  app.saved = [...app.saved.filter((x) => x.name !== s.name), s];
  await reloadCases();
  return true;
}

export async function deleteSavedSearch(name: string) {
  if ((await attempt(() => api.deleteSavedSearch(name))) === undefined) return;
  app.saved = app.saved.filter((x) => x.name !== name);
}

// ---------------------------------------------------------------- matrices

export const matrix = (rows: Axis, cols: Axis): Promise<Matrix | undefined> => attempt(() => api.matrix(rows, cols));
export const matrixCell = (rows: Axis, cols: Axis, row: string, col: string): Promise<Claim[] | undefined> =>
  attempt(() => api.matrixCell(rows, cols, row, col));

/** Asks where to save, then writes the matrix as CSV there (Rust writes it). */
export async function exportMatrix(rows: Axis, cols: Axis): Promise<boolean> {
  const out = (await pick({ kind: 'save', title: t('exportCsv'), default_name: 'matrix.csv' }))?.[0];
  if (!out) return false;
  return (await attempt(() => api.exportMatrix(rows, cols, out))) !== undefined;
}

/** Asks where to save, then hands Rust the chart (which checks it is only a drawing). */
export async function saveChart(format: ChartFormat, content: string): Promise<boolean> {
  const out = (await pick({ kind: 'save', title: t('saveChart'), default_name: `chart.${format}` }))?.[0];
  if (!out) return false;
  return (await attempt(() => api.saveChart(out, format, content))) !== undefined;
}

// ---------------------------------------------------------------- the table of claims

export const claimTable = (query: ClaimQuery, limit: number): Promise<ClaimView | undefined> => attempt(() => api.claimTable(query, limit));
/** A page of a view; `undefined` (no toast) when the view is gone, so the table makes a new one. */
export const claimTablePage = async (view: number, offset: number, limit: number): Promise<ClaimRow[] | undefined> => {
  try {
    return (await api.claimTablePage(view, offset, limit)).rows;
  } catch {
    return undefined;
  }
};
export const claimTableIds = (view: number): Promise<string[] | undefined> => attempt(() => api.claimTableIds(view));

/** Changes many claims at once; a toast offers to undo it (one step). */
export async function recodeClaims(ids: string[], change: Recode): Promise<boolean> {
  const r = await attempt(() => api.recodeClaims(ids, change));
  if (!r) return false;
  app.tableEpoch += 1;
  await reloadClaims();
  toast(t('recoded', { changed: r.changed, claims: r.claims }), 'info', { label: t('undo'), run: () => undoRedo(true) });
  return true;
}

/** Asks where to save, then writes the view's claims as CSV (Rust writes it). */
export async function exportClaimView(view: number): Promise<boolean> {
  const out = (await pick({ kind: 'save', title: t('exportCsv'), default_name: 'claims.csv' }))?.[0];
  if (!out) return false;
  const n = await attempt(() => api.exportClaimView(view, out));
  if (n === undefined) return false;
  toast(t('wroteClaims', { n }));
  return true;
}

// ---------------------------------------------------------------- other processes' changes

// The window follows the notebook's change feed: every second it asks Rust
// what other processes (the CLI, a second window, a merge) changed since it
// last looked, and reloads only the lists those changes name. Its own
// changes are not in the answer (Rust leaves them out). Selection, the open
// article and scroll positions stay: lists are replaced item by item (keyed).
let feedAt: number | null = null;
let following: ReturnType<typeof setInterval> | undefined;
let polling = false;

/** Starts (or, after switching notebooks, restarts) following the change feed. */
export async function followChanges() {
  clearInterval(following);
  feedAt = (await attempt(() => api.changeHead())) ?? null;
  following = setInterval(pollChanges, 1000);
}

async function pollChanges() {
  if (polling || feedAt === null) return;
  polling = true;
  try {
    const f = await api.changesSince(feedAt);
    feedAt = f.seq;
    if (f.reset) await refreshAll();
    else if (f.batches.length > 0) await applyChanges(f.batches);
  } catch {
    // The notebook is being switched or closed: the next tick asks again.
  } finally {
    polling = false;
  }
}

async function applyChanges(batches: ChangeBatch[]) {
  const ids = (kind: EntityKind) => batches.find((b) => b.entity === kind)?.ids ?? [];
  const has = (kind: EntityKind) => batches.some((b) => b.entity === kind);
  if (has('article')) {
    await refreshLists();
    const open = app.article?.id;
    if (open && ids('article').includes(open)) {
      const still = app.articles.some((a) => a.id === open);
      if (!still) { app.article = null; if (app.articles[0]) await openArticle(app.articles[0].id); }
      else {
        const article = await attempt(() => api.getArticle(open));
        if (article) app.article = article;
      }
    }
  }
  if (has('claim') || has('codebook') || has('article')) {
    await reloadClaims();
    if (has('codebook')) app.codes = (await attempt(() => api.listCodes())) ?? app.codes;
  }
  if (has('note')) await reloadNotes();
  if (has('attribute') || has('set') || has('search')) {
    await reloadCases();
    if (app.article) await reloadArticleCases(app.article.id);
  }
  if (has('glossary')) await reloadGlossary();
  app.tableEpoch += 1;
}

// ---------------------------------------------------------------- links back

/** The link back to a claim, note or article (what exports carry). */
export const linkTo = (kind: 'claim' | 'note' | 'article', id: string) => `dossier://${kind}/${id}`;

/** Opens what a link back names in this notebook: a claim in its article, a note, an article. */
export async function openLink(url: string): Promise<boolean> {
  const target = await attempt(() => api.resolveLink(url));
  if (!target) return false;
  if (target.kind === 'note') {
    const n = app.notes.find((x) => x.id === target.id) ?? (await attempt(() => api.listNotes()))?.find((x) => x.id === target.id);
    if (n) { app.tab = 'notes'; app.note = n; app.view = 'note'; }
  } else if (target.article_id) {
    if (target.kind === 'claim') app.selectedClaim = target.id;
    app.tab = 'articles';
    await openArticle(target.article_id, target.start != null && target.end != null ? { start: target.start, end: target.end } : null);
  }
  return true;
}

/** Opens the links the OS handed the app (at start, or when one is clicked while it runs). */
export async function takeLinks() {
  const links = (await attempt(() => api.takeLinks())) ?? [];
  for (const url of links) await openLink(url);
}

/** Copies a link back to the clipboard (or shows it, where the clipboard is refused). */
export async function copyLink(url: string) {
  try {
    await navigator.clipboard.writeText(url);
    toast(t('linkCopied'));
  } catch {
    toast(url);
  }
}

// ---------------------------------------------------------------- the team

// A notebook in a team syncs in the background: at once when the window opens
// it, then every 30 seconds, and on demand. Offline it keeps working; the badge
// says so and the next sync catches up. What a sync pulls was written by this
// process, so the change feed leaves it out: the lists are reloaded here.
const SYNC_EVERY_MS = 30_000;
let syncTimer: ReturnType<typeof setInterval> | undefined;

/** Reads the notebook's team and starts (or stops) syncing in the background. */
export async function loadTeam() {
  clearInterval(syncTimer);
  app.team = (await api.teamStatus().catch(() => null)) ?? null;
  app.syncState = 'idle';
  app.syncMessage = '';
  if (app.team) {
    syncTimer = setInterval(() => void syncNow(true), SYNC_EVERY_MS);
    void syncNow(true);
  }
}

/** Pushes and pulls now; in the background only failures change the badge. */
export async function syncNow(background = false) {
  if (!app.team || app.syncState === 'syncing') return;
  app.syncState = 'syncing';
  try {
    const r = await api.sync();
    app.syncState = 'idle';
    app.syncMessage = '';
    if (r.pulled > 0) {
      await refreshLists();
      if (app.article) await reloadClaims();
      app.tableEpoch += 1;
    }
    if (r.conflicts > 0) toast(t('syncConflicts', { n: r.conflicts }));
    else if (!background) toast(t('synced', { pushed: r.pushed, pulled: r.pulled }));
  } catch (e) {
    const err = asDossierError(e);
    app.syncState = err.code === 'unreachable' ? 'offline' : 'refused';
    app.syncMessage = describeError(err);
    if (!background) toast(`${t('errorPrefix')}: ${app.syncMessage}`, 'error');
  }
  app.team = (await api.teamStatus().catch(() => null)) ?? app.team;
}

export async function joinTeam(url: string, token: string, ca: string | null = null): Promise<TeamStatus | undefined> {
  const status = await attempt(() => api.teamJoin(url, token, ca));
  if (status) await loadTeam();
  return status;
}

export async function leaveTeam() {
  const left = await attempt(() => api.teamLeave());
  if (left) toast(t('teamLeft'));
  await loadTeam();
}

export const teamConflicts = (): Promise<ConflictEntry[] | undefined> => attempt(() => api.teamConflicts(200));

/** Sets which of the team's articles are pulled whole (`null`: all), then syncs so it takes effect. */
export async function setTeamScope(scope: ScopeView | null): Promise<TeamStatus | undefined> {
  const status = await attempt(() => api.teamScope(scope));
  if (!status) return undefined;
  app.team = status;
  await syncNow(false);
  return app.team ?? status;
}

/** The team's articles not pulled here (outside the scope). */
export const teamStubs = (): Promise<StubArticle[] | undefined> => attempt(() => api.teamStubs(1000));

/** Pulls articles not pulled, on demand. */
export async function pullStubs(ids: string[]): Promise<number | undefined> {
  const r = await attempt(() => api.teamPull(ids));
  if (!r) return undefined;
  toast(t('teamPulled', { n: r.pulled }));
  await refreshLists();
  app.team = (await api.teamStatus().catch(() => null)) ?? app.team;
  return r.pulled;
}

/** Syncs, then compares every entity the team holds with this notebook's (and, with `repair`, mends them). */
export async function verifyTeam(repair: boolean): Promise<VerifyReport | undefined> {
  await syncNow(false);
  return attempt(() => api.verifySync(repair));
}
