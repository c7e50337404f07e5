// The one module that talks to the Rust side. Every call is generated from the
// Rust declarations (`bindings/commands.ts` from crates/notebook/src/commands.rs,
// `bindings/shell.ts` from src-tauri/src/commands.rs) with the argument and result
// types ts-rs generates from the Rust types; a renamed argument fails the type
// check. Every failure arrives as `{code, message}` (the Rust `dossier_model::Error`).
import { Channel, invoke as tauriInvoke } from '@tauri-apps/api/core';
import { notebookCommands } from './bindings/commands';
import { shellCommands } from './bindings/shell';
import type { Error as DossierError } from './bindings/Error';
export type { AgreementReport } from './bindings/AgreementReport';
export type { Article } from './bindings/Article';
export type { Block } from './bindings/Block';
export type { ArticleSet } from './bindings/ArticleSet';
export type { ArticleSummary } from './bindings/ArticleSummary';
export type { AttributeDef } from './bindings/AttributeDef';
export type { AttributeType } from './bindings/AttributeType';
export type { AttributeValue } from './bindings/AttributeValue';
export type { Axis } from './bindings/Axis';
export type { ClaimColumn } from './bindings/ClaimColumn';
export type { ClaimFilter } from './bindings/ClaimFilter';
export type { ClaimQuery } from './bindings/ClaimQuery';
export type { ClaimRow } from './bindings/ClaimRow';
export type { ClaimView } from './bindings/ClaimView';
export type { Recode } from './bindings/Recode';
export type { GlossaryConcept } from './bindings/GlossaryConcept';
export type { GlossaryTerm } from './bindings/GlossaryTerm';
export type { Translation } from './bindings/Translation';
export type { ChangeBatch } from './bindings/ChangeBatch';
export type { EntityKind } from './bindings/EntityKind';
export type { AxisKind } from './bindings/AxisKind';
export type { ChartFormat } from './bindings/ChartFormat';
export type { Matrix } from './bindings/Matrix';
export type { MatrixCell } from './bindings/MatrixCell';
export type { SavedSearch } from './bindings/SavedSearch';
export type { CarryReport } from './bindings/CarryReport';
export type { ChangeEntry } from './bindings/ChangeEntry';
export type { CheckReport } from './bindings/CheckReport';
export type { Claim } from './bindings/Claim';
export type { ClaimPatch } from './bindings/ClaimPatch';
export type { ClaimRelation } from './bindings/ClaimRelation';
export type { ClaimTarget } from './bindings/ClaimTarget';
export type { Code } from './bindings/Code';
export type { Disagreement } from './bindings/Disagreement';
export type { ErrorCode } from './bindings/ErrorCode';
export type { Evidence } from './bindings/Evidence';
export type { ExportFormat } from './bindings/ExportFormat';
export type { ExportScope } from './bindings/ExportScope';
export type { Hedging } from './bindings/Hedging';
export type { ImportOutcome } from './bindings/ImportOutcome';
export type { ImportProgress } from './bindings/ImportProgress';
export type { IndexStatus } from './bindings/IndexStatus';
export type { TeamStatus } from './bindings/TeamStatus';
export type { SyncReport } from './bindings/SyncReport';
export type { ConflictEntry } from './bindings/ConflictEntry';
export type { VerifyReport } from './bindings/VerifyReport';
export type { ScopeView } from './bindings/ScopeView';
export type { StubArticle } from './bindings/StubArticle';
export type { Divergence } from './bindings/Divergence';
export type { Kind } from './bindings/Kind';
export type { NewClaim } from './bindings/NewClaim';
export type { Note } from './bindings/Note';
export type { NotebookInfo } from './bindings/NotebookInfo';
export type { RelationKind } from './bindings/RelationKind';
export type { RepairReport } from './bindings/RepairReport';
export type { SearchHit } from './bindings/SearchHit';
export type { SearchRequest } from './bindings/SearchRequest';
export type { SearchResults } from './bindings/SearchResults';
export type { Stance } from './bindings/Stance';
export type { Suggestion } from './bindings/Suggestion';
export type { TrashItem } from './bindings/TrashItem';
export type { UndoOutcome } from './bindings/UndoOutcome';
export type { Verdict } from './bindings/Verdict';
export type { VerdictChange } from './bindings/VerdictChange';
export type { DossierError };
export type { Pick } from './bindings/Pick';
export type { PageView } from './bindings/PageView';
export type { PageRect } from './bindings/PageRect';
export type { WordBox } from './bindings/WordBox';
export type { PickFilter } from './bindings/PickFilter';
export type { Progress } from './bindings/Progress';

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

/** Runs a command through the shell's one IPC command; `onProgress` gets its progress reports. */
async function invoke<T>(command: string, args: Record<string, unknown>, onProgress?: (report: never) => void): Promise<T> {
  try {
    if (onProgress) {
      const channel = new Channel<never>();
      channel.onmessage = onProgress;
      return await tauriInvoke<T>('call_with_progress', { command, args, onProgress: channel });
    }
    return await tauriInvoke<T>('call', { command, args });
  } catch (e) {
    throw asDossierError(e);
  }
}

export const api = { ...notebookCommands(invoke), ...shellCommands(invoke) };

/**
 * The bytes of an article's original file, for the page view. The one command
 * outside the generated calls: it answers with raw bytes (an ArrayBuffer), not
 * JSON, so a large PDF is neither inflated nor parsed on the way.
 */
export async function originalBytes(articleId: string): Promise<ArrayBuffer> {
  try {
    return await tauriInvoke<ArrayBuffer>('original', { articleId });
  } catch (e) {
    throw asDossierError(e);
  }
}
