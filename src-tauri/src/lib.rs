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
            commands::call,
            commands::call_with_progress,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Dossier");
}
