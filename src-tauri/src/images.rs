//! The app's own protocol for figures' images: `dossier-image://localhost/
//! ARTICLE/SHA256` (`http://dossier-image.localhost/…` on Windows), answered
//! from the open notebook only — an image one of that article's figures
//! shows, checked against its SHA-256 (`Notebook::figure_image`). Nothing else
//! of the disk and nothing of the network is reachable through it; the
//! window's CSP allows images from here, `'self'` and `data:` alone.

use tauri::http::{header, Response, StatusCode};

use crate::AppState;

/// The protocol's name, as the window's CSP and `ui/src/lib/images.ts` spell it.
pub const SCHEME: &str = "dossier-image";

/// The answer to a request for `path` (`/ARTICLE/SHA256`, the slash possibly
/// percent-encoded as the front end's `convertFileSrc` writes it).
pub fn respond(state: &AppState, path: &str) -> Response<Vec<u8>> {
    let path = path
        .trim_start_matches('/')
        .replace("%2F", "/")
        .replace("%2f", "/");
    let found = path
        .split_once('/')
        .ok_or_else(|| dossier::model::Error::invalid("an image is asked for as ARTICLE/SHA256"))
        .and_then(|(article, sha)| state.notebook()?.figure_image(article, sha));
    let built = match found {
        Ok((bytes, media_type)) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, media_type)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            // Named by its hash: the same address is always the same image.
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .body(bytes),
        Err(e) => Response::builder()
            .status(if e.code == dossier::model::ErrorCode::NotFound {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::BAD_REQUEST
            })
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(e.message.into_bytes()),
    };
    built.unwrap_or_else(|_| {
        let mut r = Response::new(Vec::new());
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}
