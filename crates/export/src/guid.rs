//! Stable GUIDs for things that have no id of their own in Dossier (a coding,
//! an analyst), so that exporting twice gives the same file.

use sha2::{Digest, Sha256};

/// A GUID in the canonical 8-4-4-4-12 form, derived from `parts`. The version
/// nibble says 8 (custom) and the variant is RFC 4122, so it is a valid UUID.
pub fn guid_from(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// An id as a GUID: Dossier's own ids are canonical UUIDs and pass unchanged;
/// anything else (an id a notebook took from another program's file before ids
/// were checked at import) is replaced by a GUID derived from it, the same one
/// everywhere it appears, so it is safe in XML attributes and zip entry names.
pub fn as_guid(id: &str) -> std::borrow::Cow<'_, str> {
    if dossier_model::limits::is_canonical_uuid(id) {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(guid_from(&["dossier-foreign-id", id]))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stable_and_well_formed() {
        let a = super::guid_from(&["claim", "code"]);
        assert_eq!(a, super::guid_from(&["claim", "code"]));
        assert_ne!(a, super::guid_from(&["claimc", "ode"]));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
    }
}
