//! Every command the desktop window can call, declared once.
//!
//! Each declaration below is a typed Rust function over the façade. The
//! [`declare_commands!`](crate::declare_commands) macro also generates
//! `dispatch` (name + JSON arguments → JSON result, what the shell's one Tauri
//! command calls) and `signatures` (what `cargo test -p dossier` turns into
//! `ui/src/lib/bindings/commands.ts`, the typed calls the window uses). Adding a
//! command is adding a declaration here and using it in the UI; renaming an
//! argument changes the generated TypeScript, which the type check and the
//! bindings-drift check then hold the window to.
//!
//! The shell declares its own few commands (dialogs, switching notebooks) with
//! the same macro over its own context.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use crate::model::matrix::{Axis, ChartFormat, Matrix};
use crate::model::table::{ClaimPage, ClaimQuery, ClaimView, Recode, RecodeOutcome};
use crate::model::*;
use crate::Notebook;

pub use host::{__private, unknown, CommandSignature, Host};

crate::declare_commands! {
    context: Notebook;

    /// What the notebook holds, and where it is.
    fn notebook_info(nb, host) -> NotebookInfo { nb.info() }

    /// Every article, newest first.
    fn list_articles(nb, host) -> Vec<ArticleSummary> { nb.articles() }

    /// One article with its text.
    fn get_article(nb, host, id: String) -> Article { nb.article(&id) }

    /// The blocks of an article's text: headings, paragraphs, tables with
    /// their cells, figures with their images.
    fn article_blocks(nb, host, id: String) -> Vec<crate::model::blocks::Block> { nb.blocks(&id) }

    /// Corrects the language an article was tagged with (re-indexes it).
    fn set_article_language(nb, host, id: String, language: String) -> Article {
        nb.set_article_language(&id, &language)
    }

    /// One page of a PDF article for the page view: its size, its words (with
    /// their spans in the text) and the rectangles of the claims on it.
    fn page_view(nb, host, article_id: String, page: u32) -> PageView { nb.page_view(&article_id, page) }

    /// Where a span of an article's text is on its PDF pages (none for other articles).
    fn locate_span(nb, host, article_id: String, start: u32, end: u32) -> Option<Location> {
        nb.locate(&article_id, start, end)
    }

    /// Deletes an article with its claims (to the trash).
    fn delete_article(nb, host, id: String) -> () { nb.delete_article(&id) }

    /// Every attribute the notebook defines (outlet, country, outlet type…), in their order.
    fn list_attributes(nb, host) -> Vec<AttributeDef> { nb.attributes() }

    /// Defines an attribute: text, number, date or choice (with its choices).
    fn define_attribute(nb, host, name: String, kind: AttributeType, choices: Vec<String>) -> AttributeDef {
        nb.define_attribute(&name, kind, &choices)
    }

    /// Removes an attribute with every article's value of it (undoable).
    fn delete_attribute(nb, host, name: String) -> () { nb.delete_attribute(&name) }

    /// Every article's value of one attribute (a column of the library).
    fn attribute_values(nb, host, name: String) -> Vec<crate::model::attributes::ArticleValue> { nb.attribute_values(&name) }

    /// An article's attribute values.
    fn article_attributes(nb, host, article_id: String) -> Vec<AttributeValue> {
        nb.article_attributes(&article_id)
    }

    /// Claims counted by two dimensions, each cell split by stance and verdict.
    fn matrix(nb, host, rows: Axis, cols: Axis) -> Matrix { nb.matrix(&rows, &cols) }

    /// The claims in one cell of a matrix (at most 1 000).
    fn matrix_cell(nb, host, rows: Axis, cols: Axis, row_label: String, col_label: String) -> Vec<Claim> {
        nb.matrix_cell(&rows, &cols, &row_label, &col_label)
    }

    /// Writes a matrix as CSV (one row per cell) to a picked path.
    fn export_matrix(nb, host, rows: Axis, cols: Axis, out: PathBuf) -> () {
        host.allow_path(&out)?;
        nb.export_matrix(&rows, &cols, &out)
    }

    /// Opens a view of the table of claims (filter and order) with its first rows.
    fn claim_table(nb, host, query: ClaimQuery, limit: u32) -> ClaimView { nb.claim_table(&query, limit) }

    /// Rows of a view of the table of claims (at most 2 000 at a time).
    fn claim_table_page(nb, host, view: u32, offset: u32, limit: u32) -> ClaimPage {
        nb.claim_table_page(view, offset, limit)
    }

    /// Every claim id of a view, in its order (select all).
    fn claim_table_ids(nb, host, view: u32) -> Vec<String> { nb.claim_table_ids(view) }

    /// Changes many claims at once (codes, stance, hedging, verdict), as one undo step.
    fn recode_claims(nb, host, ids: Vec<String>, change: Recode) -> RecodeOutcome { nb.recode(&ids, &change) }

    /// Writes a view of the table of claims as CSV to a picked path; how many rows.
    fn export_claim_view(nb, host, view: u32, out: PathBuf) -> u32 {
        host.allow_path(&out)?;
        nb.export_claim_view(view, &out, true)
    }

    /// Writes a chart the window drew (SVG, or PNG as base64) to a picked path.
    fn save_chart(nb, host, out: PathBuf, format: ChartFormat, content: String) -> () {
        host.allow_path(&out)?;
        nb.save_chart(&out, format, &content)
    }

    /// Every set of articles.
    fn list_sets(nb, host) -> Vec<ArticleSet> { nb.sets() }

    /// Makes an empty set of articles.
    fn create_set(nb, host, name: String, description: String) -> ArticleSet {
        nb.create_set(&name, &description)
    }

    /// Removes a set; its articles stay.
    fn delete_set(nb, host, name: String) -> () { nb.delete_set(&name) }

    /// Puts articles into a set, or takes them out (`remove`); one undoable change.
    fn put_in_set(nb, host, name: String, article_ids: Vec<String>, remove: bool) -> ArticleSet {
        nb.put_in_set(&name, &article_ids, remove)
    }

    /// The ids of a set's articles.
    fn set_members(nb, host, name: String) -> Vec<String> { nb.set_members(&name) }

    /// The sets an article is in.
    fn article_sets(nb, host, article_id: String) -> Vec<String> { nb.article_sets(&article_id) }

    /// Every saved search.
    fn list_saved_searches(nb, host) -> Vec<SavedSearch> { nb.saved_searches() }

    /// Saves a search under a name (a name in use gets the new query).
    fn save_search(nb, host, name: String, query: String) -> SavedSearch { nb.save_search(&name, &query) }

    /// Removes a saved search.
    fn delete_saved_search(nb, host, name: String) -> () { nb.delete_saved_search(&name) }

    /// Sets an article's value of an attribute (`null` clears it); returns its values.
    fn set_article_attribute(nb, host, article_id: String, name: String, value: Option<String>) -> Vec<AttributeValue> {
        nb.set_article_attribute(&article_id, &name, value.as_deref())
    }

    /// Imports files and folders; progress after each file; `cancel_import` stops between files.
    fn import_paths(nb, host, paths: Vec<PathBuf>) -> Vec<ImportOutcome>, progress: ImportProgress {
        host.allow_paths(&paths)?;
        let cancel = host.cancel_flag();
        cancel.store(false, Ordering::Relaxed);
        nb.import_paths(&paths, cancel, &mut |p| host.report(p))
    }

    /// Imports a file as the new version of an article and carries its claims over.
    fn import_new_version(nb, host, path: PathBuf, replaces: String) -> CarryReport {
        host.allow_path(&path)?;
        nb.import_new_version(&path, &replaces)
    }

    /// The codebook, parents before children.
    fn list_codes(nb, host) -> Vec<Code> { nb.codes() }

    /// Adds a code (`Parent/Child` paths create the parents).
    fn add_code(nb, host, path: String, color: Option<String>, description: String) -> Code {
        nb.add_code(&path, color.as_deref(), &description)
    }

    /// Changes a code's colour or description (`null` keeps it).
    fn update_code(nb, host, path: String, color: Option<String>, description: Option<String>) -> Code {
        nb.update_code(&path, color.as_deref(), description.as_deref())
    }

    /// Merges a codebook file (.qdc, or CSV with path, color, description, memo) by path.
    fn import_codebook(nb, host, path: PathBuf) -> CodebookImport {
        host.allow_path(&path)?;
        nb.import_codebook(&path)
    }

    /// Writes a set's memo (Markdown); empty removes it.
    fn set_set_memo(nb, host, name: String, memo: String) -> ArticleSet { nb.set_set_memo(&name, &memo) }

    /// Writes a code's memo (Markdown); empty removes it.
    fn set_code_memo(nb, host, path: String, memo: String) -> Code { nb.set_code_memo(&path, &memo) }

    /// Keeps a translation of a claim's quote with it.
    fn translate_claim(nb, host, claim_id: String, language: String, text: String, translator: Option<String>) -> Claim {
        nb.translate_claim(&claim_id, &language, &text, translator.as_deref())
    }

    /// Removes one translation; returns its claim.
    fn delete_translation(nb, host, translation_id: String) -> Claim { nb.delete_translation(&translation_id) }

    /// The glossary: concepts with their terms across languages.
    fn glossary(nb, host) -> Vec<GlossaryConcept> { nb.glossary() }

    /// Adds terms that name one concept (joining the concept of a known term).
    fn add_glossary_terms(nb, host, terms: Vec<GlossaryTerm>) -> GlossaryConcept { nb.add_glossary_terms(&terms) }

    /// Removes one term of the glossary.
    fn remove_glossary_term(nb, host, term: GlossaryTerm) -> () { nb.remove_glossary_term(&term) }

    /// Renames a code; its children and claims follow.
    fn rename_code(nb, host, path: String, new_name: String) -> Code { nb.rename_code(&path, &new_name) }

    /// Moves a code under another parent (`null`: to the top level).
    fn move_code(nb, host, path: String, new_parent: Option<String>) -> Code {
        nb.move_code(&path, new_parent.as_deref())
    }

    /// Merges one code into another; its claims are recoded.
    fn merge_code(nb, host, from: String, into: String) -> Code { nb.merge_code(&from, &into) }

    /// Deletes a code; `force` also when claims use it.
    fn delete_code(nb, host, path: String, force: bool) -> () { nb.delete_code(&path, force) }

    /// Claims, of one article and/or one code (with its sub-codes).
    fn list_claims(nb, host, article_id: Option<String>, code: Option<String>) -> Vec<Claim> {
        nb.claims(article_id.as_deref(), code.as_deref())
    }

    /// One claim.
    fn get_claim(nb, host, id: String) -> Claim { nb.claim(&id) }

    /// The ids of the articles with a claim under `code`.
    fn articles_with_code(nb, host, code: String) -> Vec<String> { nb.articles_with_code(&code) }

    /// Marks a claim.
    fn add_claim(nb, host, claim: NewClaim) -> Claim { nb.add_claim(claim) }

    /// Edits a claim (a new version of it).
    fn update_claim(nb, host, id: String, patch: ClaimPatch) -> Claim { nb.update_claim(&id, &patch) }

    /// Moves a claim to another span of its article (a quote or a range); all else stays.
    fn edit_claim_span(nb, host, id: String, target: ClaimTarget) -> Claim { nb.edit_claim_span(&id, &target) }

    /// Deletes a claim (to the trash); returns it as it was.
    fn delete_claim(nb, host, id: String) -> Claim { nb.delete_claim(&id) }

    /// The notes that link to a claim.
    fn claim_backlinks(nb, host, id: String) -> Vec<Note> { nb.claim_backlinks(&id) }

    /// Where a link back (dossier://claim/ID, …/note/ID, …/article/ID) leads.
    fn resolve_link(nb, host, url: String) -> LinkTarget { nb.resolve_link(&url) }

    /// Notes that link to a note.
    fn note_backlinks(nb, host, id: String) -> Vec<Note> { nb.note_backlinks(&id) }

    /// Carries the claims of one version of an article to another.
    fn carry_claims(nb, host, from: String, to: String) -> CarryReport { nb.carry_claims(&from, &to) }

    /// Claims whose quote could not be found again in a new version.
    fn orphaned_claims(nb, host) -> Vec<Claim> { nb.orphaned_claims() }

    /// Anchors an orphaned claim to a place in an article.
    fn reattach_claim(nb, host, id: String, target: ClaimTarget) -> Claim { nb.reattach_claim(&id, &target) }

    /// Leaves an orphaned claim as it is (no longer listed as orphaned).
    fn dismiss_orphan(nb, host, id: String) -> Claim { nb.dismiss_orphan(&id) }

    /// The ids of an article's versions, oldest first.
    fn article_versions(nb, host, id: String) -> Vec<String> { nb.article_versions(&id) }

    /// Everyone who has marked a claim.
    fn analysts(nb, host) -> Vec<String> { nb.analysts() }

    /// How far two analysts agree (over one article, or all).
    fn agreement(nb, host, a: String, b: String, article_id: Option<String>) -> AgreementReport {
        nb.agreement(&a, &b, article_id.as_deref(), None)
    }

    /// Where two analysts disagree in one article.
    fn disagreements(nb, host, a: String, b: String, article_id: String) -> Vec<Disagreement> {
        nb.disagreements(&a, &b, &article_id)
    }

    /// Undoes the last change (`null`: nothing to undo).
    fn undo(nb, host) -> Option<UndoOutcome> { nb.undo() }

    /// Redoes the last undone change (`null`: nothing to redo).
    fn redo(nb, host) -> Option<UndoOutcome> { nb.redo() }

    /// What was deleted, newest first.
    fn trash(nb, host) -> Vec<TrashItem> { nb.trash() }

    /// Brings a deleted item back.
    fn restore_from_trash(nb, host, id: String) -> TrashItem { nb.restore_from_trash(&id) }

    /// The change log of one entity.
    fn history(nb, host, entity: EntityKind, id: String) -> Vec<ChangeEntry> { nb.history(entity, &id) }

    /// Claims the notebook suggests in an article (hedged or quoted statements).
    fn suggest(nb, host, article_id: String) -> Vec<Suggestion> { nb.suggest(&article_id) }

    /// Turns a suggestion into a claim.
    fn accept_suggestion(nb, host, article_id: String, suggestion: Suggestion, analyst: Option<String>) -> Claim {
        nb.accept_suggestion(&article_id, &suggestion, analyst.as_deref())
    }

    /// Stops suggesting this passage.
    fn dismiss_suggestion(nb, host, article_id: String, suggestion: Suggestion) -> () {
        nb.dismiss_suggestion(&article_id, &suggestion)
    }

    /// A claim's relations to other claims.
    fn relations(nb, host, claim_id: String) -> Vec<ClaimRelation> { nb.relations(&claim_id) }

    /// Relates two claims (supports, contradicts…).
    fn add_relation(nb, host, from: String, to: String, kind: RelationKind, comment: Option<String>, analyst: Option<String>) -> ClaimRelation {
        nb.add_relation(&from, &to, kind, comment.as_deref(), analyst.as_deref())
    }

    /// Removes a relation.
    fn delete_relation(nb, host, id: String) -> () { nb.delete_relation(&id) }

    /// Records a verdict on a claim, with its evidence.
    fn set_verdict(nb, host, claim_id: String, verdict: Verdict, note: Option<String>, evidence: Vec<Evidence>, analyst: Option<String>) -> Claim {
        nb.set_verdict(&claim_id, verdict, analyst.as_deref(), note.as_deref(), &evidence)
    }

    /// Every verdict a claim has had, oldest first.
    fn verdict_history(nb, host, claim_id: String) -> Vec<VerdictChange> { nb.verdict_history(&claim_id) }

    /// Notes, of one article or all.
    fn list_notes(nb, host, article_id: Option<String>) -> Vec<Note> { nb.notes(article_id.as_deref()) }

    /// Writes a new note.
    fn add_note(nb, host, title: String, body: String, article_id: Option<String>) -> Note {
        nb.add_note(&title, &body, article_id.as_deref())
    }

    /// Saves a note.
    fn update_note(nb, host, id: String, title: String, body: String, article_id: Option<String>) -> Note {
        nb.update_note(&id, &title, &body, article_id.as_deref())
    }

    /// Deletes a note (to the trash); returns it as it was.
    fn delete_note(nb, host, id: String) -> Note { nb.delete_note(&id) }

    /// Searches articles, claims and notes.
    fn search(nb, host, request: SearchRequest) -> SearchResults { nb.search(&request) }

    /// Where the notebook's change feed stands (a window follows it from here).
    fn change_head(nb, host) -> i64 { nb.change_head() }

    /// What other processes changed since `since`, grouped by kind of entity.
    fn changes_since(nb, host, since: i64) -> ChangeFeed { nb.changes_since(since) }

    /// Whether the index is in step with the notebook (or rebuilding).
    fn index_status(nb, host) -> IndexStatus { Ok(nb.index_status()) }

    /// The team this notebook is in (`null`: none).
    fn team_status(nb, host) -> Option<crate::model::sync::TeamStatus> { nb.team_status() }

    /// Links the notebook to a team's hub with an analyst's token.
    fn team_join(nb, host, url: String, token: String, ca: Option<PathBuf>) -> crate::model::sync::TeamStatus {
        host.allow_paths(&ca)?;
        nb.team_join(&url, &token, ca.as_deref())
    }

    /// Unlinks the notebook from its team (its content stays).
    fn team_leave(nb, host) -> bool { nb.team_leave() }

    /// What the team's merges decided against, newest first.
    fn team_conflicts(nb, host, limit: u32) -> Vec<crate::model::sync::ConflictEntry> {
        nb.team_conflicts(limit as usize)
    }

    /// Sets which of the team's articles this notebook pulls whole (`null`: all).
    fn team_scope(nb, host, scope: Option<crate::model::sync::ScopeView>) -> crate::model::sync::TeamStatus {
        nb.team_scope(scope)
    }

    /// The team's articles not pulled here, with their metadata.
    fn team_stubs(nb, host, limit: u32) -> Vec<crate::model::sync::StubArticle> {
        nb.team_stubs(limit as usize)
    }

    /// Pulls articles not pulled (by id) from the team's hub.
    fn team_pull(nb, host, ids: Vec<String>) -> crate::model::sync::SyncReport { nb.team_pull(&ids) }

    /// Pushes this notebook's changes to the team's hub and pulls the team's.
    fn sync(nb, host) -> crate::model::sync::SyncReport { nb.sync() }

    /// Compares every entity the team holds with this notebook's by hash
    /// (after a sync); `repair` sets divergent ones to the team's state.
    fn verify_sync(nb, host, repair: bool) -> crate::model::sync::VerifyReport { nb.verify_sync(repair) }

    /// Exports into `out` (a folder or file, by format); returns the files written.
    fn export(nb, host, format: ExportFormat, out: PathBuf, scope: ExportScope, force: bool) -> Vec<String>, progress: Progress {
        host.allow_path(&out)?;
        let files = nb.export_with_progress(format, &out, &scope, force, &mut |done, total| {
            host.report(&Progress { done, total })
        })?;
        Ok(files.iter().map(|p| p.display().to_string()).collect())
    }

    /// The HTML report of a scope, as one self-contained page.
    fn report_html(nb, host, scope: ExportScope) -> String { nb.report_html(&scope) }

    /// Compares the index with the notebook.
    fn check(nb, host) -> CheckReport {
        nb.flush_index()?;
        nb.check()
    }

    /// Repairs what `check` found (after a backup).
    fn repair(nb, host) -> RepairReport { nb.repair() }

    /// Rebuilds the index from the notebook; returns the documents indexed.
    fn reindex(nb, host) -> u32, progress: Progress {
        let n = nb.reindex(&mut |done, total| host.report(&Progress { done, total }))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}

mod host {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::AtomicBool;

    use dossier_model::{Error, ErrorCode, Result};

    #[doc(hidden)]
    pub mod __private {
        pub use serde_json;
        pub use ts_rs;

        use dossier_model::{Error, ErrorCode, Result};

        /// A command's arguments, from the JSON object the window sent.
        pub fn parse_args<T: serde::de::DeserializeOwned>(
            command: &str,
            args: serde_json::Value,
        ) -> Result<T> {
            let args = match args {
                serde_json::Value::Null => serde_json::Value::Object(Default::default()),
                other => other,
            };
            serde_json::from_value(args).map_err(|e| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("the arguments of '{command}' do not fit: {e}"),
                )
            })
        }

        /// A command's result, as the JSON the window receives.
        pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
            serde_json::to_string(value)
                .map_err(|e| Error::internal(format!("the result could not be written: {e}")))
        }

        /// How ts-rs names the types of the generated calls.
        pub fn ts_config() -> ts_rs::Config {
            ts_rs::Config::new().with_large_int("number")
        }
    }

    /// The error for a command nobody declared.
    pub fn unknown(name: &str) -> Error {
        Error::new(ErrorCode::NotFound, format!("there is no command '{name}'"))
    }

    /// What a command may ask of whoever runs it: the desktop shell (which
    /// allows only the paths the user picked), or a test (which allows all).
    pub trait Host: Sync {
        /// Refuses a path the user did not choose.
        fn allow_path(&self, path: &Path) -> Result<()>;
        /// Receives a long command's progress reports (as JSON).
        fn progress(&self, report: serde_json::Value);
        /// Set when the user asks to cancel the running import.
        fn cancel_flag(&self) -> &AtomicBool;
    }

    impl dyn Host + '_ {
        /// Sends one progress report.
        pub fn report<T: serde::Serialize>(&self, report: &T) {
            if let Ok(value) = serde_json::to_value(report) {
                self.progress(value);
            }
        }

        /// Refuses the first path of a list (or of an `Option`) the user did not choose.
        pub fn allow_paths<'a>(&self, paths: impl IntoIterator<Item = &'a PathBuf>) -> Result<()> {
            paths.into_iter().try_for_each(|p| self.allow_path(p))
        }
    }

    /// A command as the TypeScript generator sees it.
    #[derive(Debug)]
    pub struct CommandSignature {
        pub name: &'static str,
        pub doc: Vec<&'static str>,
        /// `(name, TypeScript type)`, in order.
        pub args: Vec<(&'static str, String)>,
        pub returns: String,
        /// The type of its progress reports, when it sends any.
        pub progress: Option<String>,
        /// `(TypeScript name, file)` of every generated type it mentions.
        pub imports: Vec<(String, PathBuf)>,
    }

    impl CommandSignature {
        pub fn new(name: &'static str, doc: &[&'static str]) -> Self {
            CommandSignature {
                name,
                doc: doc.to_vec(),
                args: Vec::new(),
                returns: String::new(),
                progress: None,
                imports: Vec::new(),
            }
        }

        pub fn arg<T: ts_rs::TS + ?Sized + 'static>(
            &mut self,
            cfg: &ts_rs::Config,
            name: &'static str,
        ) {
            self.args.push((name, T::name(cfg)));
            self.import::<T>(cfg);
        }

        pub fn returns<T: ts_rs::TS + ?Sized + 'static>(&mut self, cfg: &ts_rs::Config) {
            self.returns = T::name(cfg);
            self.import::<T>(cfg);
        }

        pub fn progress<T: ts_rs::TS + ?Sized + 'static>(&mut self, cfg: &ts_rs::Config) {
            self.progress = Some(T::name(cfg));
            self.import::<T>(cfg);
        }

        /// Records `T` and the types it is built from (`Vec<Claim>`: `Claim`).
        fn import<T: ts_rs::TS + ?Sized + 'static>(&mut self, cfg: &ts_rs::Config) {
            struct Collect<'a>(&'a ts_rs::Config, &'a mut Vec<(String, PathBuf)>);
            impl ts_rs::TypeVisitor for Collect<'_> {
                fn visit<U: ts_rs::TS + 'static + ?Sized>(&mut self) {
                    if let Some(path) = U::output_path() {
                        self.1.push((U::ident(self.0), path));
                    }
                    U::visit_generics(self);
                }
            }
            let mut found = Vec::new();
            ts_rs::TypeVisitor::visit::<T>(&mut Collect(cfg, &mut found));
            self.imports.extend(found);
        }
    }
}

/// Declares commands once: each becomes a typed function, an entry of
/// `dispatch` (JSON in, JSON out) and of `signatures` (for the TypeScript
/// calls). The caller's crate needs `serde` (for the argument structs).
///
/// ```text
/// declare_commands! {
///     context: Notebook;
///     /// Doc comment, carried into TypeScript.
///     fn name(ctx, host, arg: Type, …) -> Returns { body returning Result<Returns> }
///     fn long(ctx, host, …) -> Returns, progress: Report { … host.report(&report) … }
/// }
/// ```
#[macro_export]
macro_rules! declare_commands {
    (
        context: $ctx:ty;
        $(
            $(#[doc = $doc:literal])*
            fn $name:ident($c:ident, $host:ident $(, $arg:ident : $ty:ty)* $(,)?) -> $ret:ty
            $(, progress: $prog:ty)?
            $body:block
        )*
    ) => {
        $(
            $(#[doc = $doc])*
            #[allow(unused_variables, clippy::unused_unit)]
            pub fn $name(
                $c: &$ctx,
                $host: &dyn $crate::commands::Host
                $(, $arg: $ty)*
            ) -> $crate::model::Result<$ret> $body
        )*

        /// The name of every command declared here.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Runs the command `name` with `args` (a JSON object keyed by the
        /// argument names); returns its result as JSON.
        pub fn dispatch(
            context: &$ctx,
            host: &dyn $crate::commands::Host,
            name: &str,
            args: $crate::commands::__private::serde_json::Value,
        ) -> $crate::model::Result<String> {
            match name {
                $(
                    stringify!($name) => {
                        #[derive(::serde::Deserialize)]
                        #[serde(deny_unknown_fields)]
                        struct Args { $($arg: $ty,)* }
                        let Args { $($arg,)* } =
                            $crate::commands::__private::parse_args(stringify!($name), args)?;
                        $crate::commands::__private::to_json(&$name(context, host $(, $arg)*)?)
                    }
                )*
                _ => Err($crate::commands::unknown(name)),
            }
        }

        /// The signature of every command declared here, for the TypeScript calls.
        pub fn signatures() -> Vec<$crate::commands::CommandSignature> {
            let cfg = $crate::commands::__private::ts_config();
            vec![$({
                let mut s = $crate::commands::CommandSignature::new(stringify!($name), &[$($doc),*]);
                $( s.arg::<$ty>(&cfg, stringify!($arg)); )*
                s.returns::<$ret>(&cfg);
                $( s.progress::<$prog>(&cfg); )?
                s
            }),*]
        }
    };
}

/// The TypeScript module of a set of commands: `export function {factory}(invoke)`
/// returning one typed call per command (camelCase names; trailing `null`able
/// arguments may be left out).
pub fn typescript(source: &str, factory: &str, commands: &[CommandSignature]) -> String {
    use std::collections::BTreeMap;
    // Import the generated types the signatures name (ts-rs lists their
    // dependencies too, which the calls do not mention).
    let mut imports: BTreeMap<String, String> = BTreeMap::new();
    for c in commands {
        let named: Vec<&str> = c
            .args
            .iter()
            .map(|(_, ty)| ty.as_str())
            .chain([c.returns.as_str()])
            .chain(c.progress.as_deref())
            .flat_map(|ty| ty.split(|ch: char| !ch.is_alphanumeric() && ch != '_'))
            .collect();
        for (name, path) in &c.imports {
            if named.contains(&name.as_str()) {
                let file = path.with_extension("");
                imports.insert(
                    name.clone(),
                    format!("./{}", file.display()).replace('\\', "/"),
                );
            }
        }
    }
    let mut out = format!(
        "// Generated from {source} by `cargo test -p dossier -p dossier-app`; do not edit.\n\n"
    );
    for (name, file) in &imports {
        out.push_str(&format!("import type {{ {name} }} from '{file}';\n"));
    }
    out.push_str(
        "\n/** Runs one command with its arguments; `onProgress` receives its progress reports. */\n\
         export type Invoke = <T>(command: string, args: Record<string, unknown>, onProgress?: (report: never) => void) => Promise<T>;\n\n",
    );
    out.push_str(&format!(
        "export function {factory}(invoke: Invoke) {{\n  return {{\n"
    ));
    for c in commands {
        let doc: Vec<&str> = c.doc.iter().map(|d| d.trim()).collect();
        if !doc.is_empty() {
            out.push_str(&format!("    /** {} */\n", doc.join(" ")));
        }
        // Trailing arguments that may be null may also be left out.
        let optional_from = c
            .args
            .iter()
            .rposition(|(_, ty)| !ty.ends_with("| null"))
            .map_or(0, |i| i + 1);
        let mut params: Vec<String> = c
            .args
            .iter()
            .enumerate()
            .map(|(i, (name, ty))| {
                let default = if i >= optional_from { " = null" } else { "" };
                format!("{}: {ty}{default}", camel(name))
            })
            .collect();
        if let Some(p) = &c.progress {
            params.push(format!("onProgress?: (report: {p}) => void"));
        }
        let keys: Vec<String> = c
            .args
            .iter()
            .map(|(name, _)| {
                let js = camel(name);
                if js == *name {
                    js
                } else {
                    format!("{name}: {js}")
                }
            })
            .collect();
        let args = if keys.is_empty() {
            "{}".to_string()
        } else {
            format!("{{ {} }}", keys.join(", "))
        };
        let progress = if c.progress.is_some() {
            ", onProgress"
        } else {
            ""
        };
        out.push_str(&format!(
            "    {}: ({}) => invoke<{}>('{}', {args}{progress}),\n",
            camel(c.name),
            params.join(", "),
            c.returns,
            c.name,
        ));
    }
    out.push_str("  };\n}\n");
    out
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// Writes `text` to `file` in the bindings folder when it differs (what the
/// bindings tests call; the drift check then sees any change).
pub fn write_binding(file: &str, text: &str) -> std::io::Result<()> {
    let dir = std::env::var_os("TS_RS_EXPORT_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings")
        });
    let path = dir.join(file);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::write(&path, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::AtomicBool;

    use serde_json::json;

    use super::*;

    struct AllowAll(AtomicBool, std::sync::Mutex<Vec<serde_json::Value>>);

    impl Host for AllowAll {
        fn allow_path(&self, _: &Path) -> Result<()> {
            Ok(())
        }
        fn progress(&self, report: serde_json::Value) {
            self.1.lock().unwrap().push(report);
        }
        fn cancel_flag(&self) -> &AtomicBool {
            &self.0
        }
    }

    struct AllowNone(AtomicBool);

    impl Host for AllowNone {
        fn allow_path(&self, p: &Path) -> Result<()> {
            Err(Error::new(
                ErrorCode::Forbidden,
                format!("'{}' was not picked", p.display()),
            ))
        }
        fn progress(&self, _: serde_json::Value) {}
        fn cancel_flag(&self) -> &AtomicBool {
            &self.0
        }
    }

    #[test]
    fn the_typescript_calls_are_current() {
        let ts = typescript(
            "crates/notebook/src/commands.rs",
            "notebookCommands",
            &signatures(),
        );
        write_binding("commands.ts", &ts).unwrap();
        assert!(ts.contains(
            "listClaims: (articleId: string | null = null, code: string | null = null) => invoke<Array<Claim>>('list_claims', { article_id: articleId, code }),"
        ));
        assert!(ts.contains("import type { ImportProgress } from './ImportProgress';"));
        assert!(ts.contains("onProgress?: (report: ImportProgress) => void"));
    }

    #[test]
    fn dispatch_runs_a_command_from_json_and_refuses_bad_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let nb = Notebook::init(&dir.path().join("nb.dossier"), false).unwrap();
        let host = AllowAll(AtomicBool::new(false), Default::default());
        let code: Code = serde_json::from_str(
            &dispatch(
                &nb,
                &host,
                "add_code",
                json!({"path": "Trust/Transparency", "color": null, "description": "open weights"}),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(code.path, "Trust/Transparency");
        let codes: Vec<Code> =
            serde_json::from_str(&dispatch(&nb, &host, "list_codes", json!(null)).unwrap())
                .unwrap();
        assert!(codes.iter().any(|c| c.path == "Trust/Transparency"));

        let renamed = dispatch(&nb, &host, "add_code", json!({"code_path": "X"})).unwrap_err();
        assert_eq!(renamed.code, ErrorCode::InvalidInput);
        assert!(renamed.message.contains("code_path"), "{}", renamed.message);
        let missing = dispatch(&nb, &host, "add_code", json!({"path": "X"})).unwrap_err();
        assert_eq!(missing.code, ErrorCode::InvalidInput);
        assert_eq!(
            dispatch(&nb, &host, "drop_tables", json!({}))
                .unwrap_err()
                .code,
            ErrorCode::NotFound
        );
    }

    #[test]
    fn paths_go_through_the_host_and_progress_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let nb = Notebook::init(&dir.path().join("nb.dossier"), false).unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "# Qwen\n\nOpen weights, closed data.\n").unwrap();
        let refused = dispatch(
            &nb,
            &AllowNone(AtomicBool::new(false)),
            "import_paths",
            json!({ "paths": [file] }),
        )
        .unwrap_err();
        assert_eq!(refused.code, ErrorCode::Forbidden);
        assert!(nb.articles().unwrap().is_empty());

        let host = AllowAll(AtomicBool::new(true), Default::default());
        let out: Vec<ImportOutcome> = serde_json::from_str(
            &dispatch(&nb, &host, "import_paths", json!({ "paths": [file] })).unwrap(),
        )
        .unwrap();
        assert_eq!(
            out.len(),
            1,
            "a cancel left from before does not stop a new import"
        );
        let reports = host.1.lock().unwrap();
        assert!(!reports.is_empty());
        let _: ImportProgress = serde_json::from_value(reports[0].clone()).unwrap();
    }
}
