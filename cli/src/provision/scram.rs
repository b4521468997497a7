//! SCRAM-SHA-256 verifiers computed by the client, so that a role's password reaches the
//! server only as the verifier the server stores (`PASSWORD 'SCRAM-SHA-256$…'`):
//! statement logging, `pg_stat_statements` and error reports never hold the password.
//! The computation is libpq's `PQencryptPasswordConn` (RFC 5802 and 7677): SASLprep,
//! PBKDF2-HMAC-SHA-256 with a random 16-byte salt and 4096 iterations.

use anyhow::anyhow;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// PostgreSQL's default (`scram_iterations`).
const ITERATIONS: u32 = 4096;
const SALT_LEN: usize = 16;

/// The verifier of `password` with a fresh random salt.
pub fn verifier(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("cannot draw a random salt: {e}"))?;
    verifier_with(password, &salt, ITERATIONS)
}

/// The verifier of `password` for a given salt and iteration count.
pub fn verifier_with(password: &str, salt: &[u8], iterations: u32) -> anyhow::Result<String> {
    // The server prepares the password the same way at login; one SASLprep refuses (such
    // as one with unassigned code points) is used as its raw bytes, as libpq and the
    // server both do.
    let prepared = stringprep::saslprep(password)
        .map(|p| p.into_owned())
        .unwrap_or_else(|_| password.to_string());
    let salted = salted_password(prepared.as_bytes(), salt, iterations)?;
    let client_key = hmac(&salted, b"Client Key")?;
    let stored_key = Sha256::digest(client_key);
    let server_key = hmac(&salted, b"Server Key")?;
    Ok(format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        STANDARD.encode(salt),
        STANDARD.encode(stored_key),
        STANDARD.encode(server_key)
    ))
}

fn hmac(key: &[u8], data: &[u8]) -> anyhow::Result<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| anyhow!("HMAC key: {e}"))?;
    mac.update(data);
    Ok(mac.finalize().into_bytes().into())
}

/// `Hi()` of RFC 5802: PBKDF2 with HMAC-SHA-256, one block.
fn salted_password(password: &[u8], salt: &[u8], iterations: u32) -> anyhow::Result<[u8; 32]> {
    let mut first = salt.to_vec();
    first.extend_from_slice(&1u32.to_be_bytes());
    let mut u = hmac(password, &first)?;
    let mut result = u;
    for _ in 1..iterations {
        u = hmac(password, &u)?;
        for (r, x) in result.iter_mut().zip(u.iter()) {
            *r ^= x;
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7677's example password and salt; the expected verifier was computed
    /// independently (Python's hashlib.pbkdf2_hmac and hmac). That the server accepts a
    /// login with a verifier from here is tested against PostgreSQL (cli/tests/suite/roles_managed.rs).
    #[test]
    fn rfc_7677_example() {
        let salt = STANDARD
            .decode("W22ZaJ0SNY7soEsUEjb6gQ==")
            .unwrap_or_default();
        let v = verifier_with("pencil", &salt, 4096).unwrap_or_default();
        assert_eq!(
            v,
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="
        );
    }

    #[test]
    fn salts_differ() {
        let a = verifier("secret").unwrap_or_default();
        let b = verifier("secret").unwrap_or_default();
        assert!(a.starts_with("SCRAM-SHA-256$4096:"), "{a}");
        assert_ne!(a, b);
    }
}
