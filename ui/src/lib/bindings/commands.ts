// Generated from crates/notebook/src/commands.rs by `cargo test -p dossier -p dossier-app`; do not edit.

import type { AgreementReport } from './AgreementReport';
import type { Article } from './Article';
import type { ArticleSet } from './ArticleSet';
import type { ArticleSummary } from './ArticleSummary';
import type { ArticleValue } from './ArticleValue';
import type { AttributeDef } from './AttributeDef';
import type { AttributeType } from './AttributeType';
import type { AttributeValue } from './AttributeValue';
import type { Axis } from './Axis';
import type { Block } from './Block';
import type { CarryReport } from './CarryReport';
import type { ChangeEntry } from './ChangeEntry';
import type { ChangeFeed } from './ChangeFeed';
import type { ChartFormat } from './ChartFormat';
import type { CheckReport } from './CheckReport';
import type { Claim } from './Claim';
import type { ClaimPage } from './ClaimPage';
import type { ClaimPatch } from './ClaimPatch';
import type { ClaimQuery } from './ClaimQuery';
import type { ClaimRelation } from './ClaimRelation';
import type { ClaimTarget } from './ClaimTarget';
import type { ClaimView } from './ClaimView';
import type { Code } from './Code';
import type { CodebookImport } from './CodebookImport';
import type { ConflictEntry } from './ConflictEntry';
import type { Disagreement } from './Disagreement';
import type { EntityKind } from './EntityKind';
import type { Evidence } from './Evidence';
import type { ExportFormat } from './ExportFormat';
import type { ExportScope } from './ExportScope';
import type { GlossaryConcept } from './GlossaryConcept';
import type { GlossaryTerm } from './GlossaryTerm';
import type { ImportOutcome } from './ImportOutcome';
import type { ImportProgress } from './ImportProgress';
import type { IndexStatus } from './IndexStatus';
import type { LinkTarget } from './LinkTarget';
import type { Location } from './Location';
import type { Matrix } from './Matrix';
import type { NewClaim } from './NewClaim';
import type { Note } from './Note';
import type { NotebookInfo } from './NotebookInfo';
import type { PageView } from './PageView';
import type { Progress } from './Progress';
import type { Recode } from './Recode';
import type { RecodeOutcome } from './RecodeOutcome';
import type { RelationKind } from './RelationKind';
import type { RepairReport } from './RepairReport';
import type { SavedSearch } from './SavedSearch';
import type { ScopeView } from './ScopeView';
import type { SearchRequest } from './SearchRequest';
import type { SearchResults } from './SearchResults';
import type { StubArticle } from './StubArticle';
import type { Suggestion } from './Suggestion';
import type { SyncReport } from './SyncReport';
import type { TeamStatus } from './TeamStatus';
import type { TrashItem } from './TrashItem';
import type { UndoOutcome } from './UndoOutcome';
import type { Verdict } from './Verdict';
import type { VerdictChange } from './VerdictChange';
import type { VerifyReport } from './VerifyReport';

/** Runs one command with its arguments; `onProgress` receives its progress reports. */
export type Invoke = <T>(command: string, args: Record<string, unknown>, onProgress?: (report: never) => void) => Promise<T>;

export function notebookCommands(invoke: Invoke) {
  return {
    /** What the notebook holds, and where it is. */
    notebookInfo: () => invoke<NotebookInfo>('notebook_info', {}),
    /** Every article, newest first. */
    listArticles: () => invoke<Array<ArticleSummary>>('list_articles', {}),
    /** One article with its text. */
    getArticle: (id: string) => invoke<Article>('get_article', { id }),
    /** The blocks of an article's text: headings, paragraphs, tables with their cells, figures with their images. */
    articleBlocks: (id: string) => invoke<Array<Block>>('article_blocks', { id }),
    /** Corrects the language an article was tagged with (re-indexes it). */
    setArticleLanguage: (id: string, language: string) => invoke<Article>('set_article_language', { id, language }),
    /** One page of a PDF article for the page view: its size, its words (with their spans in the text) and the rectangles of the claims on it. */
    pageView: (articleId: string, page: number) => invoke<PageView>('page_view', { article_id: articleId, page }),
    /** Where a span of an article's text is on its PDF pages (none for other articles). */
    locateSpan: (articleId: string, start: number, end: number) => invoke<Location | null>('locate_span', { article_id: articleId, start, end }),
    /** Deletes an article with its claims (to the trash). */
    deleteArticle: (id: string) => invoke<null>('delete_article', { id }),
    /** Every attribute the notebook defines (outlet, country, outlet type…), in their order. */
    listAttributes: () => invoke<Array<AttributeDef>>('list_attributes', {}),
    /** Defines an attribute: text, number, date or choice (with its choices). */
    defineAttribute: (name: string, kind: AttributeType, choices: Array<string>) => invoke<AttributeDef>('define_attribute', { name, kind, choices }),
    /** Removes an attribute with every article's value of it (undoable). */
    deleteAttribute: (name: string) => invoke<null>('delete_attribute', { name }),
    /** Every article's value of one attribute (a column of the library). */
    attributeValues: (name: string) => invoke<Array<ArticleValue>>('attribute_values', { name }),
    /** An article's attribute values. */
    articleAttributes: (articleId: string) => invoke<Array<AttributeValue>>('article_attributes', { article_id: articleId }),
    /** Claims counted by two dimensions, each cell split by stance and verdict. */
    matrix: (rows: Axis, cols: Axis) => invoke<Matrix>('matrix', { rows, cols }),
    /** The claims in one cell of a matrix (at most 1 000). */
    matrixCell: (rows: Axis, cols: Axis, rowLabel: string, colLabel: string) => invoke<Array<Claim>>('matrix_cell', { rows, cols, row_label: rowLabel, col_label: colLabel }),
    /** Writes a matrix as CSV (one row per cell) to a picked path. */
    exportMatrix: (rows: Axis, cols: Axis, out: string) => invoke<null>('export_matrix', { rows, cols, out }),
    /** Opens a view of the table of claims (filter and order) with its first rows. */
    claimTable: (query: ClaimQuery, limit: number) => invoke<ClaimView>('claim_table', { query, limit }),
    /** Rows of a view of the table of claims (at most 2 000 at a time). */
    claimTablePage: (view: number, offset: number, limit: number) => invoke<ClaimPage>('claim_table_page', { view, offset, limit }),
    /** Every claim id of a view, in its order (select all). */
    claimTableIds: (view: number) => invoke<Array<string>>('claim_table_ids', { view }),
    /** Changes many claims at once (codes, stance, hedging, verdict), as one undo step. */
    recodeClaims: (ids: Array<string>, change: Recode) => invoke<RecodeOutcome>('recode_claims', { ids, change }),
    /** Writes a view of the table of claims as CSV to a picked path; how many rows. */
    exportClaimView: (view: number, out: string) => invoke<number>('export_claim_view', { view, out }),
    /** Writes a chart the window drew (SVG, or PNG as base64) to a picked path. */
    saveChart: (out: string, format: ChartFormat, content: string) => invoke<null>('save_chart', { out, format, content }),
    /** Every set of articles. */
    listSets: () => invoke<Array<ArticleSet>>('list_sets', {}),
    /** Makes an empty set of articles. */
    createSet: (name: string, description: string) => invoke<ArticleSet>('create_set', { name, description }),
    /** Removes a set; its articles stay. */
    deleteSet: (name: string) => invoke<null>('delete_set', { name }),
    /** Puts articles into a set, or takes them out (`remove`); one undoable change. */
    putInSet: (name: string, articleIds: Array<string>, remove: boolean) => invoke<ArticleSet>('put_in_set', { name, article_ids: articleIds, remove }),
    /** The ids of a set's articles. */
    setMembers: (name: string) => invoke<Array<string>>('set_members', { name }),
    /** The sets an article is in. */
    articleSets: (articleId: string) => invoke<Array<string>>('article_sets', { article_id: articleId }),
    /** Every saved search. */
    listSavedSearches: () => invoke<Array<SavedSearch>>('list_saved_searches', {}),
    /** Saves a search under a name (a name in use gets the new query). */
    saveSearch: (name: string, query: string) => invoke<SavedSearch>('save_search', { name, query }),
    /** Removes a saved search. */
    deleteSavedSearch: (name: string) => invoke<null>('delete_saved_search', { name }),
    /** Sets an article's value of an attribute (`null` clears it); returns its values. */
    setArticleAttribute: (articleId: string, name: string, value: string | null = null) => invoke<Array<AttributeValue>>('set_article_attribute', { article_id: articleId, name, value }),
    /** Imports files and folders; progress after each file; `cancel_import` stops between files. */
    importPaths: (paths: Array<string>, onProgress?: (report: ImportProgress) => void) => invoke<Array<ImportOutcome>>('import_paths', { paths }, onProgress),
    /** Imports a file as the new version of an article and carries its claims over. */
    importNewVersion: (path: string, replaces: string) => invoke<CarryReport>('import_new_version', { path, replaces }),
    /** The codebook, parents before children. */
    listCodes: () => invoke<Array<Code>>('list_codes', {}),
    /** Adds a code (`Parent/Child` paths create the parents). */
    addCode: (path: string, color: string | null, description: string) => invoke<Code>('add_code', { path, color, description }),
    /** Changes a code's colour or description (`null` keeps it). */
    updateCode: (path: string, color: string | null = null, description: string | null = null) => invoke<Code>('update_code', { path, color, description }),
    /** Merges a codebook file (.qdc, or CSV with path, color, description, memo) by path. */
    importCodebook: (path: string) => invoke<CodebookImport>('import_codebook', { path }),
    /** Writes a set's memo (Markdown); empty removes it. */
    setSetMemo: (name: string, memo: string) => invoke<ArticleSet>('set_set_memo', { name, memo }),
    /** Writes a code's memo (Markdown); empty removes it. */
    setCodeMemo: (path: string, memo: string) => invoke<Code>('set_code_memo', { path, memo }),
    /** Keeps a translation of a claim's quote with it. */
    translateClaim: (claimId: string, language: string, text: string, translator: string | null = null) => invoke<Claim>('translate_claim', { claim_id: claimId, language, text, translator }),
    /** Removes one translation; returns its claim. */
    deleteTranslation: (translationId: string) => invoke<Claim>('delete_translation', { translation_id: translationId }),
    /** The glossary: concepts with their terms across languages. */
    glossary: () => invoke<Array<GlossaryConcept>>('glossary', {}),
    /** Adds terms that name one concept (joining the concept of a known term). */
    addGlossaryTerms: (terms: Array<GlossaryTerm>) => invoke<GlossaryConcept>('add_glossary_terms', { terms }),
    /** Removes one term of the glossary. */
    removeGlossaryTerm: (term: GlossaryTerm) => invoke<null>('remove_glossary_term', { term }),
    /** Renames a code; its children and claims follow. */
    renameCode: (path: string, newName: string) => invoke<Code>('rename_code', { path, new_name: newName }),
    /** Moves a code under another parent (`null`: to the top level). */
    moveCode: (path: string, newParent: string | null = null) => invoke<Code>('move_code', { path, new_parent: newParent }),
    /** Merges one code into another; its claims are recoded. */
    mergeCode: (from: string, into: string) => invoke<Code>('merge_code', { from, into }),
    /** Deletes a code; `force` also when claims use it. */
    deleteCode: (path: string, force: boolean) => invoke<null>('delete_code', { path, force }),
    /** Claims, of one article and/or one code (with its sub-codes). */
    listClaims: (articleId: string | null = null, code: string | null = null) => invoke<Array<Claim>>('list_claims', { article_id: articleId, code }),
    /** One claim. */
    getClaim: (id: string) => invoke<Claim>('get_claim', { id }),
    /** The ids of the articles with a claim under `code`. */
    articlesWithCode: (code: string) => invoke<Array<string>>('articles_with_code', { code }),
    /** Marks a claim. */
    addClaim: (claim: NewClaim) => invoke<Claim>('add_claim', { claim }),
    /** Edits a claim (a new version of it). */
    updateClaim: (id: string, patch: ClaimPatch) => invoke<Claim>('update_claim', { id, patch }),
    /** Moves a claim to another span of its article (a quote or a range); all else stays. */
    editClaimSpan: (id: string, target: ClaimTarget) => invoke<Claim>('edit_claim_span', { id, target }),
    /** Deletes a claim (to the trash); returns it as it was. */
    deleteClaim: (id: string) => invoke<Claim>('delete_claim', { id }),
    /** The notes that link to a claim. */
    claimBacklinks: (id: string) => invoke<Array<Note>>('claim_backlinks', { id }),
    /** Where a link back (dossier://claim/ID, …/note/ID, …/article/ID) leads. */
    resolveLink: (url: string) => invoke<LinkTarget>('resolve_link', { url }),
    /** Notes that link to a note. */
    noteBacklinks: (id: string) => invoke<Array<Note>>('note_backlinks', { id }),
    /** Carries the claims of one version of an article to another. */
    carryClaims: (from: string, to: string) => invoke<CarryReport>('carry_claims', { from, to }),
    /** Claims whose quote could not be found again in a new version. */
    orphanedClaims: () => invoke<Array<Claim>>('orphaned_claims', {}),
    /** Anchors an orphaned claim to a place in an article. */
    reattachClaim: (id: string, target: ClaimTarget) => invoke<Claim>('reattach_claim', { id, target }),
    /** Leaves an orphaned claim as it is (no longer listed as orphaned). */
    dismissOrphan: (id: string) => invoke<Claim>('dismiss_orphan', { id }),
    /** The ids of an article's versions, oldest first. */
    articleVersions: (id: string) => invoke<Array<string>>('article_versions', { id }),
    /** Everyone who has marked a claim. */
    analysts: () => invoke<Array<string>>('analysts', {}),
    /** How far two analysts agree (over one article, or all). */
    agreement: (a: string, b: string, articleId: string | null = null) => invoke<AgreementReport>('agreement', { a, b, article_id: articleId }),
    /** Where two analysts disagree in one article. */
    disagreements: (a: string, b: string, articleId: string) => invoke<Array<Disagreement>>('disagreements', { a, b, article_id: articleId }),
    /** Undoes the last change (`null`: nothing to undo). */
    undo: () => invoke<UndoOutcome | null>('undo', {}),
    /** Redoes the last undone change (`null`: nothing to redo). */
    redo: () => invoke<UndoOutcome | null>('redo', {}),
    /** What was deleted, newest first. */
    trash: () => invoke<Array<TrashItem>>('trash', {}),
    /** Brings a deleted item back. */
    restoreFromTrash: (id: string) => invoke<TrashItem>('restore_from_trash', { id }),
    /** The change log of one entity. */
    history: (entity: EntityKind, id: string) => invoke<Array<ChangeEntry>>('history', { entity, id }),
    /** Claims the notebook suggests in an article (hedged or quoted statements). */
    suggest: (articleId: string) => invoke<Array<Suggestion>>('suggest', { article_id: articleId }),
    /** Turns a suggestion into a claim. */
    acceptSuggestion: (articleId: string, suggestion: Suggestion, analyst: string | null = null) => invoke<Claim>('accept_suggestion', { article_id: articleId, suggestion, analyst }),
    /** Stops suggesting this passage. */
    dismissSuggestion: (articleId: string, suggestion: Suggestion) => invoke<null>('dismiss_suggestion', { article_id: articleId, suggestion }),
    /** A claim's relations to other claims. */
    relations: (claimId: string) => invoke<Array<ClaimRelation>>('relations', { claim_id: claimId }),
    /** Relates two claims (supports, contradicts…). */
    addRelation: (from: string, to: string, kind: RelationKind, comment: string | null = null, analyst: string | null = null) => invoke<ClaimRelation>('add_relation', { from, to, kind, comment, analyst }),
    /** Removes a relation. */
    deleteRelation: (id: string) => invoke<null>('delete_relation', { id }),
    /** Records a verdict on a claim, with its evidence. */
    setVerdict: (claimId: string, verdict: Verdict, note: string | null, evidence: Array<Evidence>, analyst: string | null = null) => invoke<Claim>('set_verdict', { claim_id: claimId, verdict, note, evidence, analyst }),
    /** Every verdict a claim has had, oldest first. */
    verdictHistory: (claimId: string) => invoke<Array<VerdictChange>>('verdict_history', { claim_id: claimId }),
    /** Notes, of one article or all. */
    listNotes: (articleId: string | null = null) => invoke<Array<Note>>('list_notes', { article_id: articleId }),
    /** Writes a new note. */
    addNote: (title: string, body: string, articleId: string | null = null) => invoke<Note>('add_note', { title, body, article_id: articleId }),
    /** Saves a note. */
    updateNote: (id: string, title: string, body: string, articleId: string | null = null) => invoke<Note>('update_note', { id, title, body, article_id: articleId }),
    /** Deletes a note (to the trash); returns it as it was. */
    deleteNote: (id: string) => invoke<Note>('delete_note', { id }),
    /** Searches articles, claims and notes. */
    search: (request: SearchRequest) => invoke<SearchResults>('search', { request }),
    /** Where the notebook's change feed stands (a window follows it from here). */
    changeHead: () => invoke<number>('change_head', {}),
    /** What other processes changed since `since`, grouped by kind of entity. */
    changesSince: (since: number) => invoke<ChangeFeed>('changes_since', { since }),
    /** Whether the index is in step with the notebook (or rebuilding). */
    indexStatus: () => invoke<IndexStatus>('index_status', {}),
    /** The team this notebook is in (`null`: none). */
    teamStatus: () => invoke<TeamStatus | null>('team_status', {}),
    /** Links the notebook to a team's hub with an analyst's token. */
    teamJoin: (url: string, token: string, ca: string | null = null) => invoke<TeamStatus>('team_join', { url, token, ca }),
    /** Unlinks the notebook from its team (its content stays). */
    teamLeave: () => invoke<boolean>('team_leave', {}),
    /** What the team's merges decided against, newest first. */
    teamConflicts: (limit: number) => invoke<Array<ConflictEntry>>('team_conflicts', { limit }),
    /** Sets which of the team's articles this notebook pulls whole (`null`: all). */
    teamScope: (scope: ScopeView | null = null) => invoke<TeamStatus>('team_scope', { scope }),
    /** The team's articles not pulled here, with their metadata. */
    teamStubs: (limit: number) => invoke<Array<StubArticle>>('team_stubs', { limit }),
    /** Pulls articles not pulled (by id) from the team's hub. */
    teamPull: (ids: Array<string>) => invoke<SyncReport>('team_pull', { ids }),
    /** Pushes this notebook's changes to the team's hub and pulls the team's. */
    sync: () => invoke<SyncReport>('sync', {}),
    /** Compares every entity the team holds with this notebook's by hash (after a sync); `repair` sets divergent ones to the team's state. */
    verifySync: (repair: boolean) => invoke<VerifyReport>('verify_sync', { repair }),
    /** Exports into `out` (a folder or file, by format); returns the files written. */
    export: (format: ExportFormat, out: string, scope: ExportScope, force: boolean, onProgress?: (report: Progress) => void) => invoke<Array<string>>('export', { format, out, scope, force }, onProgress),
    /** The HTML report of a scope, as one self-contained page. */
    reportHtml: (scope: ExportScope) => invoke<string>('report_html', { scope }),
    /** Compares the index with the notebook. */
    check: () => invoke<CheckReport>('check', {}),
    /** Repairs what `check` found (after a backup). */
    repair: () => invoke<RepairReport>('repair', {}),
    /** Rebuilds the index from the notebook; returns the documents indexed. */
    reindex: (onProgress?: (report: Progress) => void) => invoke<number>('reindex', {}, onProgress),
  };
}
