//! How WebKitGTK draws the window on Linux.
//!
//! With accelerated compositing, WebKitGTK renders every layer through OpenGL.
//! On a machine without a GPU render node (virtual machines, remote desktops,
//! Xvfb) that OpenGL is Mesa's software rasteriser, which buys no speed and
//! costs about 70–100 MB per window in the web process (measured: 218 → 119 MB
//! PSS for Dossier's window, 167 → 95 MB for Tauri's bare template; see
//! docs/BENCHMARKS.md). There the window is drawn without compositing.
//! A machine with a GPU keeps WebKit's default. Either choice can be forced:
//! `WEBKIT_DISABLE_COMPOSITING_MODE` set by the user is left alone, and
//! `DOSSIER_COMPOSITING=1` keeps compositing on.

/// Call first thing in `main`, before any thread or window exists.
pub fn choose() {
    #[cfg(target_os = "linux")]
    {
        let forced = std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some()
            || std::env::var("DOSSIER_COMPOSITING").is_ok_and(|v| v == "1");
        if !forced && !has_gpu_render_node() {
            std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        }
    }
}

/// True when the kernel offers a DRM render node (`/dev/dri/renderD128`…),
/// i.e. OpenGL can run on a GPU.
#[cfg(target_os = "linux")]
fn has_gpu_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}
