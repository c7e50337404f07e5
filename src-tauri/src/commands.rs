//! The window's one way in: `call` runs a command by name with JSON arguments,
//! off the UI thread, and answers with its JSON result or `{code, message}`
//! (dossier_model::Error). The notebook's commands are declared once in
//! `dossier::commands`; the few that belong to the shell (dialogs, switching
//! notebooks) are declared below with the same macro. Both become the typed
//! calls of `ui/src/lib/bindings/{commands,shell}.ts`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dossier::commands::Host;
use dossier::model::*;
use serde::Deserialize;
use tauri::ipc::{Channel, Response};
use tauri::State;
use ts_rs::TS;

use crate::grants::Grants;
use crate::AppState;

/// What the shell's commands work on.
pub struct Shell {
    app: tauri::AppHandle,
    state: AppState,
}

/// The shell as a command's host: only paths the user picked pass, progress
/// goes to the window's channel, and `cancel_import` sets the flag imports watch.
struct ShellHost {
    grants: Arc<Grants>,
    cancel: Arc<AtomicBool>,
    progress: Option<Channel<serde_json::Value>>,
}

impl Host for ShellHost {
    fn allow_path(&self, path: &Path) -> Result<()> {
        self.grants.check(path)
    }
    fn progress(&self, report: serde_json::Value) {
        if let Some(channel) = &self.progress {
            let _ = channel.send(report);
        }
    }
    fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }
}

/// Runs a command by name. Everything runs on the blocking pool, never on the
/// UI thread; the result is sent as the JSON the command wrote.
#[tauri::command]
pub async fn call(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    command: String,
    args: serde_json::Value,
) -> Result<Response> {
    run(app, state.inner().clone(), command, args, None).await
}

/// `call` for a long command: its progress reports arrive on `on_progress`.
#[tauri::command]
pub async fn call_with_progress(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    command: String,
    args: serde_json::Value,
    on_progress: Channel<serde_json::Value>,
) -> Result<Response> {
    run(app, state.inner().clone(), command, args, Some(on_progress)).await
}

async fn run(
    app: tauri::AppHandle,
    state: AppState,
    command: String,
    args: serde_json::Value,
    progress: Option<Channel<serde_json::Value>>,
) -> Result<Response> {
    let host = ShellHost {
        grants: state.grants.clone(),
        cancel: state.cancel_import.clone(),
        progress,
    };
    let json = tauri::async_runtime::spawn_blocking(move || {
        if shell::NAMES.contains(&command.as_str()) {
            shell::dispatch(&Shell { app, state }, &host, &command, args)
        } else {
            dossier::commands::dispatch(&*state.notebook()?, &host, &command, args)
        }
    })
    .await
    .map_err(|e| Error::internal(format!("background task failed: {e}")))?;
    crate::memory::work_done();
    Ok(Response::new(json?))
}

/// The bytes of an article's original file (the page view renders a PDF from
/// them), sent as raw bytes rather than JSON: a 60 MB PDF as a JSON array of
/// numbers would be four times larger and parsed on the UI thread. Read on the
/// blocking pool, checked against its SHA-256 by the notebook.
#[tauri::command]
pub async fn original(state: State<'_, AppState>, article_id: String) -> Result<Response> {
    let state = state.inner().clone();
    let bytes =
        tauri::async_runtime::spawn_blocking(move || state.notebook()?.original_bytes(&article_id))
            .await
            .map_err(|e| Error::internal(format!("background task failed: {e}")))??;
    Ok(Response::new(bytes))
}

/// A file type offered in a dialog.
#[derive(Deserialize, TS)]
#[ts(export)]
pub struct PickFilter {
    name: String,
    extensions: Vec<String>,
}

/// What the user is asked to pick.
#[derive(Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Pick {
    /// One or more files to read.
    Files {
        title: String,
        #[serde(default)]
        #[ts(optional)]
        filters: Option<Vec<PickFilter>>,
    },
    /// One file to read.
    File {
        title: String,
        #[serde(default)]
        #[ts(optional)]
        filters: Option<Vec<PickFilter>>,
    },
    /// One folder (to import from, export into, or open as a notebook).
    Folder { title: String },
    /// Where to write a file.
    Save {
        title: String,
        #[serde(default)]
        #[ts(optional)]
        default_name: Option<String>,
        #[serde(default)]
        #[ts(optional)]
        filters: Option<Vec<PickFilter>>,
    },
}

/// Opens a native dialog and grants what the user picked.
fn pick_paths(shell: &Shell, request: Pick) -> Result<Option<Vec<String>>> {
    use tauri_plugin_dialog::DialogExt;
    let with_filters = |mut d: tauri_plugin_dialog::FileDialogBuilder<tauri::Wry>,
                        filters: Option<Vec<PickFilter>>| {
        for f in filters.unwrap_or_default() {
            let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
            d = d.add_filter(&f.name, &exts);
        }
        d
    };
    let d = shell.app.dialog().file();
    let picked = match request {
        Pick::Files { title, filters } => {
            with_filters(d.set_title(title), filters).blocking_pick_files()
        }
        Pick::File { title, filters } => with_filters(d.set_title(title), filters)
            .blocking_pick_file()
            .map(|p| vec![p]),
        Pick::Folder { title } => d.set_title(title).blocking_pick_folder().map(|p| vec![p]),
        Pick::Save {
            title,
            default_name,
            filters,
        } => {
            let mut d = with_filters(d.set_title(title), filters);
            if let Some(name) = default_name {
                d = d.set_file_name(name);
            }
            d.blocking_save_file().map(|p| vec![p])
        }
    };
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
        shell.state.grants.grant(&path);
        out.push(path.display().to_string());
    }
    Ok(Some(out))
}

/// The shell's own commands.
pub mod shell {
    use super::*;

    dossier::declare_commands! {
        context: Shell;

        /// A native dialog; the paths it returns are the only ones other commands accept. `null` when cancelled.
        fn pick(shell, host, request: Pick) -> Option<Vec<String>> { pick_paths(shell, request) }

        /// Tells the shell the first frame is painted (with `DOSSIER_REPORT_FIRST_FRAME` set,
        /// prints the marker scripts/bench-app.sh times).
        fn first_frame(shell, host) -> () {
            if std::env::var_os("DOSSIER_REPORT_FIRST_FRAME").is_some() {
                println!("first-frame");
            }
            Ok(())
        }

        /// Opens the notebook in a picked folder.
        fn open_notebook(shell, host, path: PathBuf) -> NotebookInfo {
            host.allow_path(&path)?;
            shell.state.switch_to(&path, false)?.info()
        }

        /// Creates a notebook in a picked (new or empty) folder and opens it.
        fn create_notebook(shell, host, path: PathBuf) -> NotebookInfo {
            host.allow_path(&path)?;
            shell.state.switch_to(&path, true)?.info()
        }

        /// Restores a backup into a new folder and opens it there.
        fn restore_backup(shell, host, backup: PathBuf, into: PathBuf) -> NotebookInfo {
            host.allow_path(&backup)?;
            host.allow_path(&into)?;
            shell.state.restore(&backup, &into)?.info()
        }

        /// The links back the OS handed the app since the window last asked (oldest first).
        fn take_links(shell, host) -> Vec<String> {
            Ok(shell
                .state
                .links
                .lock()
                .map(|mut q| std::mem::take(&mut *q))
                .unwrap_or_default())
        }

        /// Stops the running import after the file it is reading.
        fn cancel_import(shell, host) -> () {
            shell.state.cancel_import.store(true, Ordering::Relaxed);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_typescript_calls_are_current() {
        let ts = dossier::commands::typescript(
            "src-tauri/src/commands.rs",
            "shellCommands",
            &super::shell::signatures(),
        );
        dossier::commands::write_binding("shell.ts", &ts).unwrap();
        assert!(ts.contains("import type { Pick } from './Pick';"));
        let overlap: Vec<_> = super::shell::NAMES
            .iter()
            .filter(|n| dossier::commands::NAMES.contains(n))
            .collect();
        assert!(overlap.is_empty(), "declared twice: {overlap:?}");
    }
}
