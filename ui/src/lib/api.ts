// The one module that talks to the Rust side. Every call is typed with the
// bindings generated from the Rust types (ts-rs, `src/lib/bindings/`), and every
// failure arrives as `{code, message}` (the Rust `dossier_model::Error`).
import { Channel, invoke } from '@tauri-apps/api/core';
import type { Article } from './bindings/Article';
import type { ArticleSummary } from './bindings/ArticleSummary';
import type { RepairReport } from './bindings/RepairReport';
import type { CheckReport } from './bindings/CheckReport';
import type { Claim } from './bindings/Claim';
import type { ClaimPatch } from './bindings/ClaimPatch';
import type { Code } from './bindings/Code';
import type { Error as DossierError } from './bindings/Error';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ExportScope } from './bindings/ExportScope';
import type { ImportOutcome } from './bindings/ImportOutcome';
import type { NewClaim } from './bindings/NewClaim';
import type { Note } from './bindings/Note';
import type { NotebookInfo } from './bindings/NotebookInfo';
import type { SearchRequest } from './bindings/SearchRequest';
import type { SearchResults } from './bindings/SearchResults';

export type { Article, ArticleSummary, CheckReport, Claim, ClaimPatch, Code, DossierError, ExportFormat, ExportScope, ImportOutcome, NewClaim, Note, NotebookInfo, SearchRequest, SearchResults };
export type { Stance } from './bindings/Stance';
export type { Kind } from './bindings/Kind';
export type { SearchHit } from './bindings/SearchHit';
export type { IndexStatus } from './bindings/IndexStatus';
export type { CarryReport } from './bindings/CarryReport';
import type { CarryReport } from './bindings/CarryReport';
import type { ClaimTarget } from './bindings/ClaimTarget';
import type { ClaimRelation } from './bindings/ClaimRelation';
import type { RelationKind } from './bindings/RelationKind';
import type { Verdict } from './bindings/Verdict';
import type { Evidence } from './bindings/Evidence';
import type { VerdictChange } from './bindings/VerdictChange';
export type { ClaimRelation, RelationKind, Verdict, Evidence, VerdictChange };
export type { Hedging } from './bindings/Hedging';
export type { Suggestion } from './bindings/Suggestion';
import type { UndoOutcome } from './bindings/UndoOutcome';
import type { TrashItem } from './bindings/TrashItem';
import type { ChangeEntry } from './bindings/ChangeEntry';
export type { UndoOutcome, TrashItem, ChangeEntry };
import type { AgreementReport } from './bindings/AgreementReport';
import type { Disagreement } from './bindings/Disagreement';
export type { AgreementReport, Disagreement };
import type { Suggestion } from './bindings/Suggestion';
import type { IndexStatus } from './bindings/IndexStatus';
export type { ErrorCode } from './bindings/ErrorCode';

export type { ImportProgress } from './bindings/ImportProgress';
import type { ImportProgress } from './bindings/ImportProgress';

/** `(done, total)` of a long operation (export, reindex). */
export interface Progress {
  done: number;
  total: number;
}

function channel<T>(onMessage: (m: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = onMessage;
  return c;
}

/** A file type offered in a dialog. */
export interface PickFilter {
  name: string;
  extensions: string[];
}

/** What the user is asked to pick; the shell opens the dialog and grants the result. */
export type Pick =
  | { kind: 'files'; title: string; filters?: PickFilter[] }
  | { kind: 'file'; title: string; filters?: PickFilter[] }
  | { kind: 'folder'; title: string }
  | { kind: 'save'; title: string; default_name?: string; filters?: PickFilter[] };

/** Opens an http(s) link in the system browser (the capability allows nothing else). */
export async function openWebLink(url: string): Promise<void> {
  const { openUrl } = await import('@tauri-apps/plugin-opener');
  await openUrl(url);
}

/** Narrows anything thrown by `invoke` to Dossier's error shape. */
export function asDossierError(e: unknown): DossierError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return e as DossierError;
  return { code: 'internal', message: String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asDossierError(e);
  }
}

export const api = {
  /** Tells the shell the first frame is painted (timed by scripts/bench-app.sh). */
  firstFrame: () => call<void>('first_frame'),
  notebookInfo: () => call<NotebookInfo>('notebook_info'),
  /** A native dialog; the paths it returns are the only ones other commands accept. `null` when cancelled. */
  pick: (request: Pick) => call<string[] | null>('pick', { request }),
  openNotebook: (path: string) => call<NotebookInfo>('open_notebook', { path }),
  createNotebook: (path: string) => call<NotebookInfo>('create_notebook', { path }),
  articles: () => call<ArticleSummary[]>('list_articles'),
  article: (id: string) => call<Article>('get_article', { id }),
  deleteArticle: (id: string) => call<void>('delete_article', { id }),
  setArticleLanguage: (id: string, language: string) => call<Article>('set_article_language', { id, language }),
  importPaths: (paths: string[], onProgress: (p: ImportProgress) => void) =>
    call<ImportOutcome[]>('import_paths', { paths, onProgress: channel(onProgress) }),
  cancelImport: () => call<void>('cancel_import'),
  codes: () => call<Code[]>('list_codes'),
  addCode: (path: string, color: string | null, description: string) => call<Code>('add_code', { path, color, description }),
  updateCode: (path: string, color: string | null, description: string | null) =>
    call<Code>('update_code', { path, color, description }),
  renameCode: (path: string, newName: string) => call<Code>('rename_code', { path, newName }),
  moveCode: (path: string, newParent: string | null) => call<Code>('move_code', { path, newParent }),
  mergeCode: (from: string, into: string) => call<Code>('merge_code', { from, into }),
  deleteCode: (path: string, force: boolean) => call<void>('delete_code', { path, force }),
  claims: (articleId: string | null, code: string | null = null) => call<Claim[]>('list_claims', { articleId, code }),
  articlesWithCode: (code: string) => call<string[]>('articles_with_code', { code }),
  addClaim: (claim: NewClaim) => call<Claim>('add_claim', { claim }),
  updateClaim: (id: string, patch: ClaimPatch) => call<Claim>('update_claim', { id, patch }),
  deleteClaim: (id: string) => call<Claim>('delete_claim', { id }),
  importNewVersion: (path: string, replaces: string) => call<CarryReport>('import_new_version', { path, replaces }),
  carryClaims: (from: string, to: string) => call<CarryReport>('carry_claims', { from, to }),
  orphanedClaims: () => call<Claim[]>('orphaned_claims'),
  reattachClaim: (id: string, target: ClaimTarget) => call<Claim>('reattach_claim', { id, target }),
  dismissOrphan: (id: string) => call<Claim>('dismiss_orphan', { id }),
  articleVersions: (id: string) => call<string[]>('article_versions', { id }),
  claim: (id: string) => call<Claim>('get_claim', { id }),
  analysts: () => call<string[]>('analysts'),
  agreement: (a: string, b: string, articleId: string | null) => call<AgreementReport>('agreement', { a, b, articleId }),
  disagreements: (a: string, b: string, articleId: string) => call<Disagreement[]>('disagreements', { a, b, articleId }),
  undo: () => call<UndoOutcome | null>('undo'),
  redo: () => call<UndoOutcome | null>('redo'),
  trash: () => call<TrashItem[]>('trash'),
  restoreFromTrash: (id: string) => call<TrashItem>('restore_from_trash', { id }),
  history: (entity: string, id: string) => call<ChangeEntry[]>('history', { entity, id }),
  suggest: (articleId: string) => call<Suggestion[]>('suggest', { articleId }),
  acceptSuggestion: (articleId: string, suggestion: Suggestion) => call<Claim>('accept_suggestion', { articleId, suggestion, analyst: localStorage.getItem('dossier.analyst') }),
  dismissSuggestion: (articleId: string, suggestion: Suggestion) => call<void>('dismiss_suggestion', { articleId, suggestion }),
  relations: (claimId: string) => call<ClaimRelation[]>('relations', { claimId }),
  addRelation: (from: string, to: string, kind: RelationKind, comment: string | null) => call<ClaimRelation>('add_relation', { from, to, kind, comment, analyst: localStorage.getItem('dossier.analyst') }),
  deleteRelation: (id: string) => call<void>('delete_relation', { id }),
  setVerdict: (claimId: string, verdict: Verdict, note: string | null, evidence: Evidence[]) => call<Claim>('set_verdict', { claimId, verdict, note, evidence, analyst: localStorage.getItem('dossier.analyst') }),
  verdictHistory: (claimId: string) => call<VerdictChange[]>('verdict_history', { claimId }),
  claimBacklinks: (id: string) => call<Note[]>('claim_backlinks', { id }),
  notes: (articleId: string | null = null) => call<Note[]>('list_notes', { articleId }),
  addNote: (title: string, body: string, articleId: string | null) => call<Note>('add_note', { title, body, articleId }),
  updateNote: (id: string, title: string, body: string, articleId: string | null) =>
    call<Note>('update_note', { id, title, body, articleId }),
  deleteNote: (id: string) => call<Note>('delete_note', { id }),
  search: (request: SearchRequest) => call<SearchResults>('search', { request }),
  indexStatus: () => call<IndexStatus>('index_status'),
  export: (format: ExportFormat, out: string, scope: ExportScope, force: boolean, onProgress: (p: Progress) => void = () => {}) =>
    call<string[]>('export', { format, out, scope, force, onProgress: channel(onProgress) }),
  reportHtml: (scope: ExportScope) => call<string>('report_html', { scope }),
  restoreBackup: (backup: string, into: string) => call<NotebookInfo>('restore_backup', { backup, into }),
  check: () => call<CheckReport>('check'),
  repair: () => call<RepairReport>('repair'),
  reindex: (onProgress: (p: Progress) => void = () => {}) => call<number>('reindex', { onProgress: channel(onProgress) }),
};
