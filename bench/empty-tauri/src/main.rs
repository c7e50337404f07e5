#[tauri::command]
fn first_frame() {
    if std::env::var_os("DOSSIER_REPORT_FIRST_FRAME").is_some() {
        println!("first-frame");
    }
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_frame])
        .run(tauri::generate_context!())
        .expect("error while running tauri application");
}
