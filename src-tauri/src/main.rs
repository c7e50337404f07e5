// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before any window: this process may be a child that only parses a file.
    dossier::serve_extraction_child();
    dossier_app::rendering::choose();
    dossier_app::run();
}
