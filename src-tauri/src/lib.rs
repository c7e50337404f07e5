//! Dossier's desktop shell. Everything here is glue: window setup, the current
//! notebook, and commands that each forward to one `Notebook` method off the
//! UI thread. Domain logic lives in `crates/`.

mod commands;
mod grants;
mod memory;
pub mod rendering;
mod state;

use tauri::Manager;

pub use state::AppState;

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let config_dir = app.path().app_config_dir().ok();
            let state = AppState::new(config_dir);
            // Opening may rebuild a stale index: do it off the main thread so the
            // window paints at once; commands wait for it through the state.
            state.open_initial_in_background();
            memory::start_trimming_when_idle();
            app.manage(state);
            Ok(())
        })
        .on_window_event(|window, event| {
            // Files dropped on the window are the user's choice: grant them before
            // the page (which sees the same drop) asks to import them.
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let state = window.state::<AppState>();
                for p in paths {
                    state.grants.grant(p);
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::pick,
            commands::first_frame,
            commands::notebook_info,
            commands::open_notebook,
            commands::create_notebook,
            commands::list_articles,
            commands::get_article,
            commands::delete_article,
            commands::set_article_language,
            commands::import_paths,
            commands::cancel_import,
            commands::list_codes,
            commands::add_code,
            commands::update_code,
            commands::rename_code,
            commands::move_code,
            commands::merge_code,
            commands::delete_code,
            commands::list_claims,
            commands::articles_with_code,
            commands::add_claim,
            commands::update_claim,
            commands::delete_claim,
            commands::claim_backlinks,
            commands::list_notes,
            commands::add_note,
            commands::update_note,
            commands::delete_note,
            commands::search,
            commands::index_status,
            commands::import_new_version,
            commands::carry_claims,
            commands::orphaned_claims,
            commands::reattach_claim,
            commands::dismiss_orphan,
            commands::article_versions,
            commands::get_claim,
            commands::analysts,
            commands::agreement,
            commands::disagreements,
            commands::undo,
            commands::redo,
            commands::trash,
            commands::restore_from_trash,
            commands::history,
            commands::suggest,
            commands::accept_suggestion,
            commands::dismiss_suggestion,
            commands::relations,
            commands::add_relation,
            commands::delete_relation,
            commands::set_verdict,
            commands::verdict_history,
            commands::export,
            commands::report_html,
            commands::restore_backup,
            commands::check,
            commands::repair,
            commands::reindex,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Dossier");
}
