//! `redress unlock IN OUT`: an unencrypted copy of a password-protected PDF, checked with qpdf
//! and pdftotext; a wrong password writes nothing.

use crate::util::*;
use redress::demo::fixtures;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `redress unlock` with the password in the environment, or piped to stdin.
fn unlock(dir: &std::path::Path, args: &[&str], env: Option<&str>, stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redress"));
    cmd.arg("unlock").args(args).current_dir(dir).env_remove("REDRESS_PDF_PASSWORD");
    if let Some(p) = env {
        cmd.env("REDRESS_PDF_PASSWORD", p);
    }
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run redress");
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

#[test]
fn unlock_writes_a_copy_without_encryption_that_keeps_the_text() {
    let t = TempDir::new("unlock");
    std::fs::write(t.join("locked.pdf"), fixtures::encrypted_pdf("user-secret", "owner-secret")).unwrap();
    let o = unlock(t.path(), &["locked.pdf", "open.pdf"], Some("user-secret"), None);
    ok(&o);
    assert_eq!(stdout(&o).trim(), "open.pdf");
    let copy = t.join("open.pdf");
    qpdf_check(&copy);
    let enc = tool("qpdf", &["--show-encryption", copy.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&enc.stdout).contains("File is not encrypted"), "{}", String::from_utf8_lossy(&enc.stdout));
    assert!(page_texts(&copy)[0].contains("readable only with the password"), "{:?}", page_texts(&copy));
    // The original is kept as it was.
    assert_eq!(std::fs::read(t.join("locked.pdf")).unwrap(), fixtures::encrypted_pdf("user-secret", "owner-secret"));

    // Piped on stdin, as a script would give it; the unlocked copy builds like any PDF.
    let o = unlock(t.path(), &["locked.pdf", "again.pdf"], None, Some("owner-secret\n"));
    ok(&o);
    qpdf_check(&t.join("again.pdf"));
    write_case(t.path(), &case_toml(&[("again.pdf", "progress-note", "2025-09-01", "Unlocked", "")]), &[]);
    let r = build_json(t.path());
    assert_eq!(r["exhibits"][0]["pages"], 2);
}

#[test]
fn a_wrong_password_exits_1_names_the_file_and_writes_nothing() {
    let t = TempDir::new("unlock-wrong");
    std::fs::write(t.join("locked.pdf"), fixtures::encrypted_pdf("user-secret", "owner-secret")).unwrap();
    let before = names(t.path());
    let o = unlock(t.path(), &["locked.pdf", "open.pdf"], Some("guess"), None);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("locked.pdf does not open with that password"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("InvalidPassword"), "{err}");
    assert_eq!(names(t.path()), before, "nothing is left behind");
    // No password at all (stdin closed): exit 1, with what to do.
    let o = unlock(t.path(), &["locked.pdf", "open.pdf"], None, None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("REDRESS_PDF_PASSWORD"), "{}", stderr(&o));
    // The copy never replaces the original.
    let o = unlock(t.path(), &["locked.pdf", "locked.pdf"], Some("user-secret"), None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(names(t.path()), before);
}

#[test]
fn a_truncated_pdf_is_refused_in_plain_words() {
    let t = TempDir::new("unlock-cut");
    std::fs::write(t.join("cut.pdf"), fixtures::truncate(&fixtures::encrypted_pdf("user-secret", "o"), 0.5)).unwrap();
    let o = unlock(t.path(), &["cut.pdf", "open.pdf"], Some("user-secret"), None);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("cut.pdf is truncated"), "{err}");
    for parser_words in ["parsing", "cross reference", "xref", "lopdf"] {
        assert!(!err.contains(parser_words), "{err}");
    }
    assert!(!t.join("open.pdf").exists());
}

#[test]
fn an_aes_256_pdf_as_qpdf_writes_it_unlocks_too() {
    let t = TempDir::new("unlock-aes");
    std::fs::write(t.join("plain.pdf"), fixtures::text_pdf(&["Visit note: SpO2 86 % at rest"])).unwrap();
    let (plain, aes) = (t.join("plain.pdf"), t.join("aes.pdf"));
    let made = tool("qpdf", &["--encrypt", "user-secret", "owner-secret", "256", "--", plain.to_str().unwrap(), aes.to_str().unwrap()]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let o = unlock(t.path(), &["aes.pdf", "open.pdf"], Some("user-secret"), None);
    ok(&o);
    qpdf_check(&t.join("open.pdf"));
    assert!(page_texts(&t.join("open.pdf"))[0].contains("SpO2 86 % at rest"), "{:?}", page_texts(&t.join("open.pdf")));
    let o = unlock(t.path(), &["aes.pdf", "no.pdf"], Some("user-secret "), None);
    assert_eq!(o.status.code(), Some(1), "a password with a trailing space is another password");
}
