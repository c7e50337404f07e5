//! The images of a document's figures, checked before they are kept.
//!
//! An image is kept only when its bytes are a PNG, JPEG, GIF or WebP whose
//! header names a size within the limits: the window decodes it (through the
//! app's own protocol, from the notebook), so what reaches the decoder is
//! bounded here. SVG (a document that can carry scripts and references) and
//! every other format are dropped, and said so; so is an image beyond a limit.
//! Identical images are kept once (by SHA-256).

use sha2::{Digest, Sha256};

/// Bytes of one image beyond this are not kept.
pub const MAX_IMAGE_BYTES: usize = 16 * 1024 * 1024;
/// Bytes of all of one document's images beyond this are not kept.
pub const MAX_IMAGES_BYTES: usize = 64 * 1024 * 1024;
/// Images of one document beyond this are not kept.
pub const MAX_IMAGES: usize = 500;
/// Different image references of one document read at most (a page naming
/// a large file a hundred thousand times reads it once; one naming a
/// hundred thousand files reads this many).
pub const MAX_IMAGE_READS: usize = 2 * MAX_IMAGES;
/// A side longer than this (pixels) is refused.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// More pixels than this (width × height) are refused: a small file can
/// name a huge canvas, and decoding it would take gigabytes.
pub const MAX_IMAGE_PIXELS: u64 = 50_000_000;

/// An image kept with a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Image {
    pub sha256: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// The images of one document, with what was dropped and why.
#[derive(Debug, Default)]
pub struct Images {
    pub kept: Vec<Image>,
    pub notes: Vec<String>,
    bytes: usize,
    /// Notes beyond this many are counted, not listed.
    dropped: usize,
    /// What each reference read gave (its image's SHA-256, or nothing).
    read: std::collections::HashMap<String, Option<String>>,
    /// References read in the whole document (also in parts read before).
    reads: usize,
}

/// Notes listed by name; beyond, one line counts the rest.
const MAX_NOTES: usize = 20;

impl Images {
    /// Checks `bytes` (named `what` in a note) and keeps them; returns the
    /// image's SHA-256, or `None` when it was dropped (the reason noted).
    pub fn add(&mut self, bytes: Vec<u8>, what: &str) -> Option<String> {
        let refuse = |this: &mut Images, why: String| {
            this.note(what, &why);
            None
        };
        if bytes.len() > MAX_IMAGE_BYTES {
            return refuse(
                self,
                format!(
                    "{} MB (limit {} MB)",
                    bytes.len() >> 20,
                    MAX_IMAGE_BYTES >> 20
                ),
            );
        }
        let Some((media_type, width, height)) = header(&bytes) else {
            let what_it_is = if looks_like_svg(&bytes) {
                "SVG is not kept (it can carry scripts and references)".to_string()
            } else {
                "not a PNG, JPEG, GIF or WebP image".to_string()
            };
            return refuse(self, what_it_is);
        };
        if width == 0 || height == 0 {
            return refuse(self, "its header names no size".into());
        }
        if width > MAX_IMAGE_SIDE
            || height > MAX_IMAGE_SIDE
            || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
        {
            return refuse(
                self,
                format!("{width} × {height} pixels is beyond the limit"),
            );
        }
        let sha = hex(&Sha256::digest(&bytes));
        if self.kept.iter().any(|i| i.sha256 == sha) {
            return Some(sha);
        }
        if self.kept.len() >= MAX_IMAGES || self.bytes + bytes.len() > MAX_IMAGES_BYTES {
            return refuse(self, "the document's images are beyond the limit".into());
        }
        self.bytes += bytes.len();
        self.kept.push(Image {
            sha256: sha.clone(),
            media_type: media_type.to_string(),
            width,
            height,
            bytes,
        });
        Some(sha)
    }

    /// The image a document names `name`: read once (`read` gives its bytes,
    /// or `None` with `missing` noted), checked and kept by `add`; the same name
    /// again gives the same answer without reading. Beyond `MAX_IMAGE_READS`
    /// different names nothing more is read.
    pub fn read(
        &mut self,
        name: &str,
        missing: &str,
        read: impl FnOnce() -> Option<Vec<u8>>,
    ) -> Option<String> {
        if let Some(known) = self.read.get(name) {
            return known.clone();
        }
        if self.reads >= MAX_IMAGE_READS {
            self.note(name, "the document names more images than are read");
            return None;
        }
        self.reads += 1;
        let kept = match read() {
            Some(bytes) => self.add(bytes, name),
            None => {
                self.note(name, missing);
                None
            }
        };
        self.read.insert(name.to_string(), kept.clone());
        kept
    }

    /// A new part of the document (an e-book's next chapter), whose relative
    /// names mean other files: names are read afresh, the limits go on.
    pub fn next_part(&mut self) {
        self.read.clear();
    }

    /// Says that the image named `what` was not kept, and why.
    pub fn note(&mut self, what: &str, why: &str) {
        self.dropped += 1;
        if self.notes.len() < MAX_NOTES {
            self.notes
                .push(format!("image '{}' not kept: {why}", short(what)));
        }
    }

    /// Notes with the count of those not listed.
    pub fn into_parts(mut self) -> (Vec<Image>, Vec<String>) {
        if self.dropped > self.notes.len() {
            self.notes.push(format!(
                "{} more image(s) not kept",
                self.dropped - self.notes.len()
            ));
        }
        (self.kept, self.notes)
    }
}

fn short(what: &str) -> String {
    let mut s: String = what.chars().take(80).collect();
    if what.chars().count() > 80 {
        s.push('…');
    }
    s
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    head.contains("<svg")
}

/// The media type and size a PNG, JPEG, GIF or WebP header names.
fn header(bytes: &[u8]) -> Option<(&'static str, u32, u32)> {
    use imagesize::ImageType;
    let media_type = match imagesize::image_type(bytes).ok()? {
        ImageType::Png => "image/png",
        ImageType::Jpeg => "image/jpeg",
        ImageType::Gif => "image/gif",
        ImageType::Webp => "image/webp",
        _ => return None,
    };
    let size = imagesize::blob_size(bytes).ok()?;
    Some((
        media_type,
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// The bytes of a `data:` URI with base64 content (the only kind an image
/// comes in); `None` for anything else or beyond the size limit.
pub fn data_uri(src: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let rest = src.trim().strip_prefix("data:")?;
    let (meta, payload) = rest.split_once(',')?;
    if !meta.ends_with(";base64") || payload.len() > MAX_IMAGE_BYTES / 3 * 4 + 4 {
        return None;
    }
    let clean: String = payload
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .ok()
}

/// The bytes of the file a saved page names by a relative address, below the
/// page's folder: no scheme, no absolute path, nothing above the folder (also
/// through a link), a regular file within the size limit.
pub fn beside(folder: &std::path::Path, src: &str) -> Option<Vec<u8>> {
    let src = src.split(['?', '#']).next()?;
    if src.is_empty() || src.contains(':') || src.starts_with(['/', '\\']) {
        return None;
    }
    let decoded = crate::epub::percent_decode(src);
    let mut path = folder.to_path_buf();
    for part in decoded.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            p => path.push(p),
        }
    }
    let root = folder.canonicalize().ok()?;
    let real = path.canonicalize().ok()?;
    if !real.starts_with(&root) {
        return None;
    }
    let meta = std::fs::metadata(&real).ok()?;
    if !meta.is_file() || meta.len() > MAX_IMAGE_BYTES as u64 {
        return None;
    }
    std::fs::read(&real).ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid 2 × 1 PNG.
    pub const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x7b, 0x40, 0xe8, 0xdd, 0, 0, 0, 0x0d, b'I', b'D', b'A',
        b'T', 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0, 0x05, 0x00, 0x01, 0xff, 0x56,
        0xc7, 0x2f, 0x0d, 0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn images_are_kept_once_within_their_limits() {
        let mut images = Images::default();
        let a = images.add(PNG.to_vec(), "a.png").expect("kept");
        assert_eq!(images.add(PNG.to_vec(), "copy.png"), Some(a.clone()));
        assert_eq!(images.kept.len(), 1);
        assert_eq!((images.kept[0].width, images.kept[0].height), (2, 1));
        assert_eq!(images.kept[0].media_type, "image/png");
        // A header naming a canvas of 100 000 × 100 000 pixels.
        let mut huge = PNG.to_vec();
        huge[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert_eq!(images.add(huge, "bomb.png"), None);
        assert_eq!(images.add(b"<svg onload='x()'/>".to_vec(), "x.svg"), None);
        assert_eq!(images.add(vec![0; 10], "zero"), None);
        let (kept, notes) = images.into_parts();
        assert_eq!(kept.len(), 1);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[1].contains("SVG"));
    }

    #[test]
    fn each_reference_is_read_once_and_only_so_many_are_read() {
        let mut images = Images::default();
        let mut reads = 0;
        for _ in 0..10_000 {
            images.read("big.png", "missing", || {
                reads += 1;
                Some(PNG.to_vec())
            });
        }
        assert_eq!(reads, 1, "the same name is read once");
        for i in 0..10_000 {
            images.read(&format!("m{i}.png"), "missing", || {
                reads += 1;
                None
            });
        }
        assert_eq!(reads, MAX_IMAGE_READS, "then no more reads");
        let (kept, notes) = images.into_parts();
        assert_eq!(kept.len(), 1);
        assert!(
            notes.last().unwrap().contains("more image(s) not kept"),
            "{notes:?}"
        );
    }

    #[test]
    fn data_uris_give_their_bytes() {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(PNG);
        assert_eq!(
            data_uri(&format!("data:image/png;base64,{b64}")).as_deref(),
            Some(PNG)
        );
        assert_eq!(data_uri("data:image/svg+xml,<svg/>"), None);
        assert_eq!(data_uri("https://example.org/a.png"), None);
    }

    #[test]
    fn a_saved_page_reads_images_below_its_folder_only() {
        let root = std::env::temp_dir().join(format!("dossier-beside-{}", std::process::id()));
        let page = root.join("page");
        std::fs::create_dir_all(page.join("page_files")).unwrap();
        std::fs::write(page.join("page_files/a b.png"), PNG).unwrap();
        std::fs::write(root.join("secret.png"), PNG).unwrap();
        assert_eq!(
            beside(&page, "page_files/a%20b.png?x=1#y").as_deref(),
            Some(PNG)
        );
        assert_eq!(beside(&page, "./page_files/a b.png").as_deref(), Some(PNG));
        for refused in [
            "../secret.png",
            "page_files/../../secret.png",
            "/etc/passwd",
            "file:///etc/passwd",
            "https://example.org/a.png",
            "C:\\secret.png",
            "",
            "page_files",
        ] {
            assert_eq!(beside(&page, refused), None, "{refused}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("secret.png"), page.join("link.png")).unwrap();
            assert_eq!(beside(&page, "link.png"), None, "a link out of the folder");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }
}
