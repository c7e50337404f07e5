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
    const [info, articles, codes, notes] = await Promise.all([api.notebookInfo(), api.articles(), api.codes(), api.notes()]);
    Object.assign(app, { info, articles, codes, notes });
    if (!app.article && articles.length > 0) await openArticle(articles[0].id);
  });
  app.loading = false;
}

export async function refreshLists() {
  await attempt(async () => {
    const [info, articles, codes, notes] = await Promise.all([api.notebookInfo(), api.articles(), api.codes(), api.notes()]);
    Object.assign(app, { info, articles, codes, notes });
  });
}

export async function openArticle(id: string, focus: { start: number; end: number } | null = null) {
  await attempt(async () => {
    if (app.article?.id !== id) {
      const [article, claims, articleNotes] = await Promise.all([api.article(id), api.claims(id), api.notes(id)]);
      Object.assign(app, { article, claims, articleNotes });
    }
    app.view = 'reader';
    app.focus = focus;
  });
}

export async function reloadClaims() {
  if (!app.article) return;
  const id = app.article.id;
  await attempt(async () => {
    const [claims, articleNotes] = await Promise.all([api.claims(id), api.notes(id)]);
    Object.assign(app, { claims, articleNotes });
  });
  await refreshLists();
}

export function codeColor(path: string | undefined): string {
  return app.codes.find((c) => c.path === path)?.color ?? '#8a8f98';
}

/** Deletes a claim and offers to undo it by re-creating it at the same range. */
export async function deleteClaimWithUndo(id: string) {
  const old = await attempt(() => api.deleteClaim(id));
  if (!old) return;
  app.selectedClaim = null;
  await reloadClaims();
  toast(t('claimDeleted'), 'info', {
    label: t('undo'),
    run: async () => {
      await attempt(() =>
        api.addClaim({
          article_id: old.article_id,
          target: { type: 'range', start: old.start, end: old.end },
          codes: old.codes,
          stance: old.stance,
          confidence: old.confidence,
          claimant: old.claimant,
          comment: old.comment,
          analyst: old.analyst,
        }),
      );
      await reloadClaims();
    },
  });
}
