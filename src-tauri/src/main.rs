// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Counts the heap; the extraction child caps it (see `dossier::Heap`).
#[global_allocator]
static HEAP: dossier::Heap = dossier::Heap::new(std::alloc::System, usize::MAX);

fn main() {
    // Before any window: this process may be a child that only parses a file.
    dossier::serve_extraction_child(&HEAP);
    dossier_app::rendering::choose();
    dossier_app::memory::size_script_heaps();
    dossier_app::run();
}
