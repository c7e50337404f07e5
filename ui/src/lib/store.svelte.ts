// Application state (Svelte 5 runes). Components read from `app` and call the
// actions here; only actions talk to `api`. After every write the affected
// lists are reloaded from the Rust side, which is the single source of truth.
import { api, asDossierError, type Article, type ArticleSummary, type Claim, type Code, type Note, type NotebookInfo } from './api';
import { describeError, t } from './i18n.svelte';

export type View = 'reader' | 'note' | 'codebook';
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
  article = $state.raw<Article | null>(null);
  claims = $state.raw<Claim[]>([]);
  articleNotes = $state.raw<Note[]>([]);
  note = $state.raw<Note | null>(null);
  view = $state<View>('reader');
  tab = $state<SidebarTab>('articles');
  /** Code-point offset to scroll the reader to (a search hit or a claim). */
  focus = $state<{ start: number; end: number } | null>(null);
  selectedClaim = $state<string | null>(null);
  /** The versions of the open article, oldest first (one id when it has no other). */
  versions = $state.raw<string[]>([]);
  /** Claims not found in a newer version of their article (the review queue). */
  orphans = $state.raw<Claim[]>([]);
  /** An orphan waiting for the analyst to select the passage it belongs to. */
  attaching = $state<Claim | null>(null);
  toasts = $state.raw<Toast[]>([]);
  /** A long operation in flight (export, reindex), for the progress bar. */
  task = $state<{ label: string; done: number; total: number } | null>(null);
  loading = $state(true);
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
    if (!app.article && articles.length > 0) await openArticle(articles[0].id);
  });
  app.loading = false;
}

export async function refreshLists() {
  await attempt(async () => {
    const [info, articles, codes, notes] = await Promise.all([api.notebookInfo(), api.listArticles(), api.listCodes(), api.listNotes()]);
    Object.assign(app, { info, articles, codes, notes });
  });
}

export async function openArticle(id: string, focus: { start: number; end: number } | null = null) {
  await attempt(async () => {
    if (app.article?.id !== id) {
      const [article, claims, articleNotes, versions, orphans] = await Promise.all([
        api.getArticle(id), api.listClaims(id), api.listNotes(id), api.articleVersions(id), api.orphanedClaims(),
      ]);
      Object.assign(app, { article, claims, articleNotes, versions, orphans, attaching: null });
    }
    app.view = 'reader';
    app.focus = focus;
  });
}

export async function reloadClaims() {
  if (!app.article) return;
  const id = app.article.id;
  await attempt(async () => {
    const [claims, articleNotes, versions, orphans] = await Promise.all([api.listClaims(id), api.listNotes(id), api.articleVersions(id), api.orphanedClaims()]);
    Object.assign(app, { claims, articleNotes, versions, orphans });
  });
  await refreshLists();
}

export function codeColor(path: string | undefined): string {
  return app.codes.find((c) => c.path === path)?.color ?? '#8a8f98';
}

/** Deletes a claim (into the trash) and offers to undo it. */
export async function deleteClaimWithUndo(id: string) {
  const old = await attempt(() => api.deleteClaim(id));
  if (!old) return;
  app.selectedClaim = null;
  await reloadClaims();
  toast(t('claimDeleted'), 'info', { label: t('undo'), run: () => undoRedo(true) });
}

/** Ctrl+Z / Ctrl+Shift+Z: undo or redo the last change to a claim, note or article. */
export async function undoRedo(undo: boolean) {
  const r = await attempt(() => (undo ? api.undo() : api.redo()));
  if (r === undefined) return;
  if (r === null) { toast(t(undo ? 'nothingToUndo' : 'nothingToRedo')); return; }
  const known = ['add', 'edit', 'delete', 'restore'].includes(r.action);
  toast(t(undo ? 'undid' : 'redid', { what: known ? t(`action_${r.action}` as never) : r.action, entity: t(`entity_${r.entity}` as never) }));
  await refreshLists();
  if (r.entity === 'note' && app.note?.id === r.entity_id) app.note = app.notes.find((n) => n.id === r.entity_id) ?? null;
  if (r.entity === 'article' && app.article?.id === r.entity_id) {
    const still = app.articles.some((a) => a.id === r.entity_id);
    app.article = null;
    if (still) await openArticle(r.entity_id);
    else if (app.articles[0]) await openArticle(app.articles[0].id);
  } else {
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

export async function dismissOrphan(id: string) {
  if (await attempt(() => api.dismissOrphan(id))) await reloadClaims();
}

/** Who is working (asked once, kept in this window's storage); recorded with claims, relations and verdicts. */
export function analyst(): string | null {
  return localStorage.getItem('dossier.analyst');
}
