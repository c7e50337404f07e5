//! Dossier's desktop shell. Everything here is glue: window setup, the current
//! notebook, and commands that each forward to one `Notebook` method off the
//! UI thread. Domain logic lives in `crates/`.

mod commands;
mod grants;
mod images;
pub mod memory;
pub mod rendering;
mod state;

use tauri::Manager;

pub use state::AppState;

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_deep_link::init())
        .setup(|app| {
            let config_dir = app.path().app_config_dir().ok();
            let state = AppState::new(config_dir);
            follow_links(app, &state);
            // Opening may rebuild a stale index: do it off the main thread so the
            // window paints at once; commands wait for it through the state.
            state.open_initial_in_background();
            memory::start_trimming_when_idle();
            app.manage(state);
            Ok(())
        })
        // Figures' images, read from the notebook off the UI thread.
        .register_asynchronous_uri_scheme_protocol(images::SCHEME, |ctx, request, responder| {
            let state = ctx.app_handle().state::<AppState>().inner().clone();
            let path = request.uri().path().to_string();
            std::thread::spawn(move || responder.respond(images::respond(&state, &path)));
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
            commands::original,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Dossier");
}

/// Links back (`dossier://claim/ID`) the OS opens while the app runs (macOS
/// hands them to the running app; Linux and Windows start a new instance with
/// the link as its argument, which `CommandLine` reads): queued for the window,
/// which is told to take them. An AppImage registers the scheme itself, since
/// nothing installed it; the deb, rpm, MSI, NSIS and dmg bundles register it
/// when installed.
fn follow_links(app: &tauri::App, state: &AppState) {
    use tauri::Emitter;
    use tauri_plugin_deep_link::DeepLinkExt;
    #[cfg(target_os = "linux")]
    if std::env::var_os("APPIMAGE").is_some() {
        let _ = app.deep_link().register_all();
    }
    let queue = state.links.clone();
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        if let Ok(mut q) = queue.lock() {
            q.extend(event.urls().into_iter().map(String::from));
        }
        let _ = handle.emit("dossier-link", ());
    });
}
