//! Tokens: `dsk1_<id>_<secret>`. The id (8 random bytes, hex) finds the
//! member's row; the secret (32 random bytes, hex) is checked against its
//! Argon2id hash. A check that passed is remembered by the secret's SHA-256
//! for the process's life, so a request costs one hash, not one Argon2 run;
//! revocation is read from the database on every request all the same.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use deadpool_postgres::Pool;
use dossier_model::sync::{valid_member_name, Role};
use dossier_model::{Error, ErrorCode, Result};
use sha2::{Digest, Sha256};

use crate::db::{self, Member};

const PREFIX: &str = "dsk1";

fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(buf))
}

fn unauthorized(message: &str) -> Error {
    Error::new(ErrorCode::Unauthorized, message)
}

/// Splits a token into its id and secret, or says it is none of ours.
fn parse(token: &str) -> Result<(&str, &str)> {
    let mut parts = token.trim().splitn(3, '_');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(PREFIX), Some(id), Some(secret))
            if id.len() == 16
                && secret.len() == 64
                && id
                    .bytes()
                    .chain(secret.bytes())
                    .all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok((id, secret))
        }
        _ => Err(unauthorized("not a Dossier team token")),
    }
}

/// Makes a token for a new member; only its hash is stored. Returns the token.
pub async fn add(pool: &Pool, name: &str, role: Role) -> Result<String> {
    if !valid_member_name(name) {
        return Err(Error::invalid(
            "a member's name is 1–64 letters, digits, '-', '_' or '.' (not first)",
        ));
    }
    let id = random_hex(8)?;
    let secret = random_hex(32)?;
    let salt_bytes = random_hex(16)?;
    let hash = tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(salt_bytes.as_bytes())
            .map_err(|e| Error::internal(e.to_string()))?;
        Argon2::default()
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| (h.to_string(), secret))
            .map_err(|e| Error::internal(e.to_string()))
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))?;
    let (hash, secret) = hash?;
    db::add_member(pool, name, role, &id, &hash).await?;
    Ok(format!("{PREFIX}_{id}_{secret}"))
}

/// Checks tokens, remembering the ones that passed.
#[derive(Default)]
pub struct Tokens {
    /// token id -> SHA-256 of the secret that passed Argon2.
    passed: Mutex<HashMap<String, [u8; 32]>>,
}

impl Tokens {
    /// The member a request's bearer token belongs to.
    pub async fn member(&self, pool: &Pool, token: &str) -> Result<Member> {
        let (id, secret) = parse(token)?;
        let row = db::token_row(pool, id)
            .await?
            .ok_or_else(|| unauthorized("unknown token"))?;
        if row.revoked {
            return Err(unauthorized("this token has been revoked"));
        }
        let digest: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let known = self
            .passed
            .lock()
            .map_err(|_| Error::internal("token cache poisoned"))?
            .get(id)
            .is_some_and(|d| *d == digest);
        if !known {
            let (hash, secret) = (row.hash.clone(), secret.to_string());
            let ok = tokio::task::spawn_blocking(move || {
                PasswordHash::new(&hash)
                    .map(|h| {
                        Argon2::default()
                            .verify_password(secret.as_bytes(), &h)
                            .is_ok()
                    })
                    .unwrap_or(false)
            })
            .await
            .map_err(|e| Error::internal(e.to_string()))?;
            if !ok {
                return Err(unauthorized("wrong token"));
            }
            let mut passed = self
                .passed
                .lock()
                .map_err(|_| Error::internal("token cache poisoned"))?;
            if passed.len() > 10_000 {
                passed.clear();
            }
            passed.insert(id.to_string(), digest);
        }
        Ok(row.member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_tokens_parse() {
        let t = format!("dsk1_{}_{}", "a".repeat(16), "0".repeat(64));
        assert!(parse(&t).is_ok());
        assert!(parse("dsk1_abc_def").is_err());
        assert!(parse(&t.replace("dsk1", "dsk2")).is_err());
        assert!(parse(&format!("dsk1_{}_{}", "g".repeat(16), "0".repeat(64))).is_err());
        assert!(parse("").is_err());
    }
}
