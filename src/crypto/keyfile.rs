//! The key file beside an encrypted database: the data key wrapped under a key derived from
//! the passphrase with Argon2id, the Argon2id parameters and salt it was derived with, and
//! whether the store is encrypted or half-way through a switch. Small JSON, written atomically.

use super::{random, DataKey, Passphrase};
use crate::atomic::hex;
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// What the wrapping authenticates besides the key: a key file of another kind never unwraps.
const WRAP_AAD: &[u8] = b"redress key file v1";
const FORMAT: &str = "redress-key";
const VERSION: u32 = 1;

/// Argon2id's cost: memory in KiB, passes over it, and lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl KdfParams {
    /// What the app and the command line use: 64 MiB, 3 passes (OWASP's recommendation for
    /// Argon2id is at least 19 MiB and 2 passes).
    pub const STRONG: KdfParams = KdfParams { memory_kib: 64 * 1024, passes: 3, lanes: 1 };
}

/// Where the store is: encrypted, or half-way through a switch in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyState {
    Encrypted,
    /// `encrypt` began and has not finished.
    Encrypting,
    /// `decrypt` began and has not finished.
    Decrypting,
}

/// The key file's content.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeyFile {
    format: String,
    version: u32,
    pub state: KeyState,
    /// Always `argon2id`.
    kdf: String,
    pub params: KdfParams,
    salt: String,
    /// Always `xchacha20poly1305`.
    cipher: String,
    nonce: String,
    wrapped_key: String,
}

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// The passphrase does not unwrap the key.
    #[error("the passphrase is not this store's")]
    WrongPassphrase,
    /// Not a key file this version reads, or damaged.
    #[error("{0}")]
    Damaged(String),
}

impl KeyFile {
    /// A new data key, wrapped under `passphrase`, in state `state`.
    pub fn create(passphrase: &Passphrase, params: KdfParams, state: KeyState) -> std::io::Result<(KeyFile, DataKey)> {
        let key = DataKey::random()?;
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        random(&mut salt)?;
        random(&mut nonce)?;
        let kek = derive(passphrase, &salt, params).map_err(std::io::Error::other)?;
        let wrapped = XChaCha20Poly1305::new((&*kek).into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.bytes(), aad: WRAP_AAD })
            .map_err(|_| std::io::Error::other("the key could not be wrapped"))?;
        let file = KeyFile {
            format: FORMAT.into(),
            version: VERSION,
            state,
            kdf: "argon2id".into(),
            params,
            salt: hex(&salt),
            cipher: "xchacha20poly1305".into(),
            nonce: hex(&nonce),
            wrapped_key: hex(&wrapped),
        };
        Ok((file, key))
    }

    /// Reads a key file's text; a file of another kind or version is [`KeyFileError::Damaged`].
    pub fn parse(text: &[u8]) -> Result<KeyFile, KeyFileError> {
        let file: KeyFile = serde_json::from_slice(text).map_err(|_| KeyFileError::Damaged("it is not a Redress key file".into()))?;
        if file.format != FORMAT || file.kdf != "argon2id" || file.cipher != "xchacha20poly1305" {
            return Err(KeyFileError::Damaged("it is not a Redress key file".into()));
        }
        if file.version != VERSION {
            return Err(KeyFileError::Damaged(format!("it is key file version {}, which this Redress does not read", file.version)));
        }
        Ok(file)
    }

    /// The file's text.
    pub fn to_json(&self) -> Vec<u8> {
        let mut text = serde_json::to_vec_pretty(self).unwrap_or_default();
        text.push(b'\n');
        text
    }

    /// The data key, when `passphrase` is the one it was wrapped under.
    pub fn unwrap_key(&self, passphrase: &Passphrase) -> Result<DataKey, KeyFileError> {
        let damaged = || KeyFileError::Damaged("its salt, nonce or key is not what a key file holds".into());
        let salt = unhex(&self.salt).filter(|s| s.len() >= 8).ok_or_else(damaged)?;
        let nonce = unhex(&self.nonce).filter(|n| n.len() == 24).ok_or_else(damaged)?;
        let wrapped = unhex(&self.wrapped_key).filter(|w| w.len() == 48).ok_or_else(damaged)?;
        let kek = derive(passphrase, &salt, self.params).map_err(KeyFileError::Damaged)?;
        let plain = Zeroizing::new(
            XChaCha20Poly1305::new((&*kek).into())
                .decrypt(XNonce::from_slice(&nonce), Payload { msg: &wrapped, aad: WRAP_AAD })
                .map_err(|_| KeyFileError::WrongPassphrase)?,
        );
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&plain);
        Ok(DataKey::from_bytes(key))
    }
}

/// The key-encryption key: Argon2id of the passphrase.
fn derive(passphrase: &Passphrase, salt: &[u8], p: KdfParams) -> Result<Zeroizing<[u8; 32]>, String> {
    let params =
        Params::new(p.memory_kib, p.passes, p.lanes, Some(32)).map_err(|_| "its Argon2id parameters are out of range".to_string())?;
    // A key file asking for more memory than anyone would use is damaged, not a reason to try.
    if p.memory_kib > 4 * 1024 * 1024 || p.passes > 64 {
        return Err("its Argon2id parameters are out of range".into());
    }
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out[..])
        .map_err(|_| "its Argon2id parameters are out of range".to_string())?;
    Ok(out)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams { memory_kib: 64, passes: 1, lanes: 1 };

    #[test]
    fn the_right_passphrase_unwraps_the_key_and_a_wrong_one_is_refused() {
        let pass = Passphrase::new("a long passphrase");
        let (file, key) = KeyFile::create(&pass, CHEAP, KeyState::Encrypted).unwrap();
        let read = KeyFile::parse(&file.to_json()).unwrap();
        assert_eq!(read.unwrap_key(&pass).unwrap().bytes(), key.bytes());
        assert!(matches!(read.unwrap_key(&Passphrase::new("a long passphrasf")), Err(KeyFileError::WrongPassphrase)));
        let text = String::from_utf8(file.to_json()).unwrap();
        assert!(!text.contains(&hex(key.bytes())));
    }

    #[test]
    fn a_damaged_or_foreign_key_file_is_named_damaged() {
        assert!(matches!(KeyFile::parse(b"{}"), Err(KeyFileError::Damaged(_))));
        assert!(matches!(KeyFile::parse(b"\x00\x01"), Err(KeyFileError::Damaged(_))));
        let (mut file, _) = KeyFile::create(&Passphrase::new("p"), CHEAP, KeyState::Encrypted).unwrap();
        file.params.memory_kib = u32::MAX;
        assert!(matches!(file.unwrap_key(&Passphrase::new("p")), Err(KeyFileError::Damaged(_))));
        file.params = CHEAP;
        file.wrapped_key.truncate(10);
        assert!(matches!(file.unwrap_key(&Passphrase::new("p")), Err(KeyFileError::Damaged(_))));
    }
}
