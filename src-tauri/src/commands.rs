//! Tauri commands: each is a one-line adapter into the `Notebook` façade.
//! `on_notebook` runs the call on the blocking pool, never on the UI thread;
//! errors cross the bridge as `{code, message}` (dossier_model::Error).

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use dossier::model::*;
use dossier::Notebook;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;

use crate::AppState;

type S<'a> = State<'a, AppState>;

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let result = tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::internal(format!("background task failed: {e}")))?;
    crate::memory::work_done();
    result
}

async fn on_notebook<T, F>(state: &AppState, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Notebook) -> Result<T> + Send + 'static,
{
    let state = state.clone();
    blocking(move || f(&*state.notebook()?)).await
}

/// A file type offered in a dialog.
#[derive(Deserialize)]
pub struct PickFilter {
    name: String,
    extensions: Vec<String>,
}

/// What the user is asked to pick.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pick {
    /// One or more files to read.
    Files {
        title: String,
        #[serde(default)]
        filters: Vec<PickFilter>,
    },
    /// One file to read.
    File {
        title: String,
        #[serde(default)]
        filters: Vec<PickFilter>,
    },
    /// One folder (to import from, export into, or open as a notebook).
    Folder { title: String },
    /// Where to write a file.
    Save {
        title: String,
        default_name: Option<String>,
        #[serde(default)]
        filters: Vec<PickFilter>,
    },
}

/// Opens a native dialog from the shell and grants what the user picked: the
/// window learns the paths, and may then pass exactly those to other commands.
/// `None` when the dialog was cancelled.
#[tauri::command]
pub async fn pick(
    app: tauri::AppHandle,
    state: S<'_>,
    request: Pick,
) -> Result<Option<Vec<String>>> {
    use tauri_plugin_dialog::DialogExt;
    let with_filters = |mut d: tauri_plugin_dialog::FileDialogBuilder<tauri::Wry>,
                        filters: &[PickFilter]| {
        for f in filters {
            let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
            d = d.add_filter(&f.name, &exts);
        }
        d
    };
    let picked: Option<Vec<tauri_plugin_dialog::FilePath>> =
        tauri::async_runtime::spawn_blocking(move || {
            let d = app.dialog().file();
            match request {
                Pick::Files { title, filters } => {
                    with_filters(d.set_title(title), &filters).blocking_pick_files()
                }
                Pick::File { title, filters } => with_filters(d.set_title(title), &filters)
                    .blocking_pick_file()
                    .map(|p| vec![p]),
                Pick::Folder { title } => {
                    d.set_title(title).blocking_pick_folder().map(|p| vec![p])
                }
                Pick::Save {
                    title,
                    default_name,
                    filters,
                } => {
                    let mut d = with_filters(d.set_title(title), &filters);
                    if let Some(name) = default_name {
                        d = d.set_file_name(name);
                    }
                    d.blocking_save_file().map(|p| vec![p])
                }
            }
        })
        .await
        .map_err(|e| Error::internal(format!("the dialog failed: {e}")))?;
    let Some(picked) = picked else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for p in picked {
        let path = p.into_path().map_err(|e| {
            Error::new(
                ErrorCode::Unsupported,
                format!("the picked location is not a file path: {e}"),
            )
        })?;
        state.grants.grant(&path);
        out.push(path.display().to_string());
    }
    Ok(Some(out))
}

/// Called by the UI after its first painted frame. With `DOSSIER_REPORT_FIRST_FRAME`
/// set, prints a marker the benchmark script times (launch → first frame).
#[tauri::command]
pub fn first_frame() {
    if std::env::var_os("DOSSIER_REPORT_FIRST_FRAME").is_some() {
        println!("first-frame");
    }
}

#[tauri::command]
pub async fn notebook_info(state: S<'_>) -> Result<NotebookInfo> {
    on_notebook(&state, |nb| nb.info()).await
}

#[tauri::command]
pub async fn open_notebook(state: S<'_>, path: PathBuf) -> Result<NotebookInfo> {
    state.grants.check(&path)?;
    let st = state.inner().clone();
    blocking(move || st.switch_to(&path, false)?.info()).await
}

#[tauri::command]
pub async fn create_notebook(state: S<'_>, path: PathBuf) -> Result<NotebookInfo> {
    state.grants.check(&path)?;
    let st = state.inner().clone();
    blocking(move || st.switch_to(&path, true)?.info()).await
}

#[tauri::command]
pub async fn list_articles(state: S<'_>) -> Result<Vec<ArticleSummary>> {
    on_notebook(&state, |nb| nb.articles()).await
}

#[tauri::command]
pub async fn get_article(state: S<'_>, id: String) -> Result<Article> {
    on_notebook(&state, move |nb| nb.article(&id)).await
}

#[tauri::command]
pub async fn set_article_language(state: S<'_>, id: String, language: String) -> Result<Article> {
    on_notebook(&state, move |nb| nb.set_article_language(&id, &language)).await
}

#[tauri::command]
pub async fn delete_article(state: S<'_>, id: String) -> Result<()> {
    on_notebook(&state, move |nb| nb.delete_article(&id)).await
}

#[tauri::command]
pub async fn import_paths(
    state: S<'_>,
    paths: Vec<PathBuf>,
    on_progress: Channel<ImportProgress>,
) -> Result<Vec<ImportOutcome>> {
    state.grants.check_all(&paths)?;
    let cancel = state.cancel_import.clone();
    cancel.store(false, Ordering::Relaxed);
    on_notebook(&state, move |nb| {
        nb.import_paths(&paths, &cancel, &mut |p| {
            let _ = on_progress.send(p.clone());
        })
    })
    .await
}

#[tauri::command]
pub fn cancel_import(state: S<'_>) {
    state.cancel_import.store(true, Ordering::Relaxed);
}

#[tauri::command]
pub async fn list_codes(state: S<'_>) -> Result<Vec<Code>> {
    on_notebook(&state, |nb| nb.codes()).await
}

#[tauri::command]
pub async fn add_code(
    state: S<'_>,
    path: String,
    color: Option<String>,
    description: String,
) -> Result<Code> {
    on_notebook(&state, move |nb| {
        nb.add_code(&path, color.as_deref(), &description)
    })
    .await
}

#[tauri::command]
pub async fn update_code(
    state: S<'_>,
    path: String,
    color: Option<String>,
    description: Option<String>,
) -> Result<Code> {
    on_notebook(&state, move |nb| {
        nb.update_code(&path, color.as_deref(), description.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn rename_code(state: S<'_>, path: String, new_name: String) -> Result<Code> {
    on_notebook(&state, move |nb| nb.rename_code(&path, &new_name)).await
}

#[tauri::command]
pub async fn move_code(state: S<'_>, path: String, new_parent: Option<String>) -> Result<Code> {
    on_notebook(&state, move |nb| nb.move_code(&path, new_parent.as_deref())).await
}

#[tauri::command]
pub async fn merge_code(state: S<'_>, from: String, into: String) -> Result<Code> {
    on_notebook(&state, move |nb| nb.merge_code(&from, &into)).await
}

#[tauri::command]
pub async fn delete_code(state: S<'_>, path: String, force: bool) -> Result<()> {
    on_notebook(&state, move |nb| nb.delete_code(&path, force)).await
}

#[tauri::command]
pub async fn list_claims(
    state: S<'_>,
    article_id: Option<String>,
    code: Option<String>,
) -> Result<Vec<Claim>> {
    on_notebook(&state, move |nb| {
        nb.claims(article_id.as_deref(), code.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn articles_with_code(state: S<'_>, code: String) -> Result<Vec<String>> {
    on_notebook(&state, move |nb| nb.articles_with_code(&code)).await
}

#[tauri::command]
pub async fn add_claim(state: S<'_>, claim: NewClaim) -> Result<Claim> {
    on_notebook(&state, move |nb| nb.add_claim(claim)).await
}

#[tauri::command]
pub async fn update_claim(state: S<'_>, id: String, patch: ClaimPatch) -> Result<Claim> {
    on_notebook(&state, move |nb| nb.update_claim(&id, &patch)).await
}

#[tauri::command]
pub async fn delete_claim(state: S<'_>, id: String) -> Result<Claim> {
    on_notebook(&state, move |nb| nb.delete_claim(&id)).await
}

#[tauri::command]
pub async fn import_new_version(
    state: S<'_>,
    path: PathBuf,
    replaces: String,
) -> Result<CarryReport> {
    state.grants.check(&path)?;
    on_notebook(&state, move |nb| nb.import_new_version(&path, &replaces)).await
}

#[tauri::command]
pub async fn carry_claims(state: S<'_>, from: String, to: String) -> Result<CarryReport> {
    on_notebook(&state, move |nb| nb.carry_claims(&from, &to)).await
}

#[tauri::command]
pub async fn orphaned_claims(state: S<'_>) -> Result<Vec<Claim>> {
    on_notebook(&state, |nb| nb.orphaned_claims()).await
}

#[tauri::command]
pub async fn reattach_claim(state: S<'_>, id: String, target: ClaimTarget) -> Result<Claim> {
    on_notebook(&state, move |nb| nb.reattach_claim(&id, &target)).await
}

#[tauri::command]
pub async fn dismiss_orphan(state: S<'_>, id: String) -> Result<Claim> {
    on_notebook(&state, move |nb| nb.dismiss_orphan(&id)).await
}

#[tauri::command]
pub async fn article_versions(state: S<'_>, id: String) -> Result<Vec<String>> {
    on_notebook(&state, move |nb| nb.article_versions(&id)).await
}

#[tauri::command]
pub async fn suggest(state: S<'_>, article_id: String) -> Result<Vec<Suggestion>> {
    on_notebook(&state, move |nb| nb.suggest(&article_id)).await
}

#[tauri::command]
pub async fn accept_suggestion(
    state: S<'_>,
    article_id: String,
    suggestion: Suggestion,
    analyst: Option<String>,
) -> Result<Claim> {
    on_notebook(&state, move |nb| {
        nb.accept_suggestion(&article_id, &suggestion, analyst.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn dismiss_suggestion(
    state: S<'_>,
    article_id: String,
    suggestion: Suggestion,
) -> Result<()> {
    on_notebook(&state, move |nb| {
        nb.dismiss_suggestion(&article_id, &suggestion)
    })
    .await
}

#[tauri::command]
pub async fn analysts(state: S<'_>) -> Result<Vec<String>> {
    on_notebook(&state, |nb| nb.analysts()).await
}

#[tauri::command]
pub async fn agreement(
    state: S<'_>,
    a: String,
    b: String,
    article_id: Option<String>,
) -> Result<AgreementReport> {
    on_notebook(&state, move |nb| {
        nb.agreement(&a, &b, article_id.as_deref(), None)
    })
    .await
}

#[tauri::command]
pub async fn disagreements(
    state: S<'_>,
    a: String,
    b: String,
    article_id: String,
) -> Result<Vec<Disagreement>> {
    on_notebook(&state, move |nb| nb.disagreements(&a, &b, &article_id)).await
}

#[tauri::command]
pub async fn undo(state: S<'_>) -> Result<Option<UndoOutcome>> {
    on_notebook(&state, |nb| nb.undo()).await
}

#[tauri::command]
pub async fn redo(state: S<'_>) -> Result<Option<UndoOutcome>> {
    on_notebook(&state, |nb| nb.redo()).await
}

#[tauri::command]
pub async fn trash(state: S<'_>) -> Result<Vec<TrashItem>> {
    on_notebook(&state, |nb| nb.trash()).await
}

#[tauri::command]
pub async fn restore_from_trash(state: S<'_>, id: String) -> Result<TrashItem> {
    on_notebook(&state, move |nb| nb.restore_from_trash(&id)).await
}

#[tauri::command]
pub async fn history(state: S<'_>, entity: String, id: String) -> Result<Vec<ChangeEntry>> {
    on_notebook(&state, move |nb| nb.history(&entity, &id)).await
}

#[tauri::command]
pub async fn get_claim(state: S<'_>, id: String) -> Result<Claim> {
    on_notebook(&state, move |nb| nb.claim(&id)).await
}

#[tauri::command]
pub async fn relations(state: S<'_>, claim_id: String) -> Result<Vec<ClaimRelation>> {
    on_notebook(&state, move |nb| nb.relations(&claim_id)).await
}

#[tauri::command]
pub async fn add_relation(
    state: S<'_>,
    from: String,
    to: String,
    kind: RelationKind,
    comment: Option<String>,
    analyst: Option<String>,
) -> Result<ClaimRelation> {
    on_notebook(&state, move |nb| {
        nb.add_relation(&from, &to, kind, comment.as_deref(), analyst.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn delete_relation(state: S<'_>, id: String) -> Result<()> {
    on_notebook(&state, move |nb| nb.delete_relation(&id)).await
}

#[tauri::command]
pub async fn set_verdict(
    state: S<'_>,
    claim_id: String,
    verdict: Verdict,
    note: Option<String>,
    evidence: Vec<Evidence>,
    analyst: Option<String>,
) -> Result<Claim> {
    on_notebook(&state, move |nb| {
        nb.set_verdict(
            &claim_id,
            verdict,
            analyst.as_deref(),
            note.as_deref(),
            &evidence,
        )
    })
    .await
}

#[tauri::command]
pub async fn verdict_history(state: S<'_>, claim_id: String) -> Result<Vec<VerdictChange>> {
    on_notebook(&state, move |nb| nb.verdict_history(&claim_id)).await
}

#[tauri::command]
pub async fn claim_backlinks(state: S<'_>, id: String) -> Result<Vec<Note>> {
    on_notebook(&state, move |nb| nb.claim_backlinks(&id)).await
}

#[tauri::command]
pub async fn list_notes(state: S<'_>, article_id: Option<String>) -> Result<Vec<Note>> {
    on_notebook(&state, move |nb| nb.notes(article_id.as_deref())).await
}

#[tauri::command]
pub async fn add_note(
    state: S<'_>,
    title: String,
    body: String,
    article_id: Option<String>,
) -> Result<Note> {
    on_notebook(&state, move |nb| {
        nb.add_note(&title, &body, article_id.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn update_note(
    state: S<'_>,
    id: String,
    title: String,
    body: String,
    article_id: Option<String>,
) -> Result<Note> {
    on_notebook(&state, move |nb| {
        nb.update_note(&id, &title, &body, article_id.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn delete_note(state: S<'_>, id: String) -> Result<Note> {
    on_notebook(&state, move |nb| nb.delete_note(&id)).await
}

#[tauri::command]
pub async fn search(state: S<'_>, request: SearchRequest) -> Result<SearchResults> {
    on_notebook(&state, move |nb| nb.search(&request)).await
}

#[tauri::command]
pub async fn index_status(state: S<'_>) -> Result<IndexStatus> {
    on_notebook(&state, |nb| Ok(nb.index_status())).await
}

/// `(done, total)` of a long operation, streamed to the window.
#[derive(Clone, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

#[tauri::command]
pub async fn export(
    state: S<'_>,
    format: ExportFormat,
    out: PathBuf,
    scope: ExportScope,
    force: bool,
    on_progress: Channel<Progress>,
) -> Result<Vec<String>> {
    state.grants.check(&out)?;
    on_notebook(&state, move |nb| {
        nb.export_with_progress(format, &out, &scope, force, &mut |done, total| {
            let _ = on_progress.send(Progress { done, total });
        })
        .map(|f| f.iter().map(|p| p.display().to_string()).collect())
    })
    .await
}

#[tauri::command]
pub async fn report_html(state: S<'_>, scope: ExportScope) -> Result<String> {
    on_notebook(&state, move |nb| nb.report_html(&scope)).await
}

#[tauri::command]
pub async fn restore_backup(state: S<'_>, backup: PathBuf, into: PathBuf) -> Result<NotebookInfo> {
    state.grants.check(&backup)?;
    state.grants.check(&into)?;
    let st = state.inner().clone();
    blocking(move || st.restore(&backup, &into)?.info()).await
}

#[tauri::command]
pub async fn repair(state: S<'_>) -> Result<RepairReport> {
    on_notebook(&state, |nb| nb.repair()).await
}

#[tauri::command]
pub async fn check(state: S<'_>) -> Result<CheckReport> {
    on_notebook(&state, |nb| nb.flush_index().and_then(|_| nb.check())).await
}

#[tauri::command]
pub async fn reindex(state: S<'_>, on_progress: Channel<Progress>) -> Result<usize> {
    on_notebook(&state, move |nb| {
        nb.reindex(&mut |done, total| {
            let _ = on_progress.send(Progress { done, total });
        })
    })
    .await
}
