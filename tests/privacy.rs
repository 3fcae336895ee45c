//! Private by default (SECURITY.md): what the app's window may load and call, that no HTTP
//! client is linked into it, that logs and error messages carry no health data, and that no
//! exhibit's metadata reaches the packet.

use crate::util::*;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The window loads only what the app carries: every source is `'self'` (or `data:`/`blob:`
/// made by the page itself), the only connection is Tauri's IPC, scripts are never evaluated
/// from strings (`wasm-unsafe-eval` lets pdf.js compile its WebAssembly, nothing more), and the
/// page can be neither framed nor post a form anywhere.
#[test]
fn the_windows_content_security_policy_allows_no_remote_origin() {
    let conf = json("src-tauri/tauri.conf.json");
    let security = &conf["app"]["security"];
    let csp = security["csp"].as_object().expect("a CSP is set, as directives");
    let directives: Vec<(&str, &str)> = csp.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap())).collect();
    let expected = [
        ("base-uri", "'none'"),
        ("connect-src", "ipc: http://ipc.localhost"),
        ("default-src", "'self'"),
        ("font-src", "'self' data:"),
        ("form-action", "'none'"),
        ("frame-ancestors", "'none'"),
        ("img-src", "'self' blob: data:"),
        ("object-src", "'none'"),
        ("script-src", "'self' 'wasm-unsafe-eval'"),
        ("style-src", "'self' 'unsafe-inline'"),
        ("worker-src", "'self' blob:"),
    ];
    assert_eq!(directives, expected, "the CSP changed: say why in SECURITY.md and here");
    for (name, sources) in &directives {
        for source in sources.split_whitespace() {
            assert_ne!(source, "'unsafe-eval'", "{name} allows eval");
            assert!(!source.contains('*'), "{name} allows a wildcard: {source}");
            let local = source.starts_with('\'') || ["data:", "blob:", "ipc:", "http://ipc.localhost"].contains(&source);
            assert!(local, "{name} allows a remote origin: {source}");
        }
    }
    assert_eq!(security["freezePrototype"], true);
    assert!(security.get("dangerousDisableAssetCspModification").is_none());
    // No remote page is ever loaded: the built UI is served from the binary.
    assert_eq!(conf["build"]["frontendDist"], "../ui/dist");
    for window in conf["app"]["windows"].as_array().unwrap() {
        assert!(window.get("url").is_none_or(|u| !u.as_str().unwrap().contains("://")), "a window loads a remote URL");
    }
}

/// The window may call exactly the app's own commands (each registered in the shell and declared
/// in its build script) and these plugin permissions: no file system, shell, HTTP or process
/// plugin; files are reached only through what the user picks in a dialog.
#[test]
fn the_window_may_call_exactly_the_apps_commands_and_four_plugins() {
    let caps: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("src-tauri/capabilities"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(caps, ["default.json"], "one capability file, for the one window");
    let cap = json("src-tauri/capabilities/default.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(cap.get("remote").is_none(), "no remote URL may reach the commands");
    let permissions: Vec<&str> = cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().expect("plain permission names")).collect();
    let plugins: Vec<&str> = permissions.iter().copied().filter(|p| !p.starts_with("allow-")).collect();
    assert_eq!(
        plugins,
        [
            "core:default",
            "dialog:allow-open",
            "dialog:allow-save",
            "dialog:allow-ask",
            "core:window:allow-destroy",
            "notification:default",
            "opener:allow-reveal-item-in-dir",
        ]
    );
    let allowed: Vec<String> = permissions.iter().filter_map(|p| p.strip_prefix("allow-")).map(|c| c.replace('-', "_")).collect();
    let shell = std::fs::read_to_string(Path::new(ROOT).join("src-tauri/src/lib.rs")).unwrap();
    let registered = quoted_after(&shell, "generate_handler![", "]", "commands::");
    let build = std::fs::read_to_string(Path::new(ROOT).join("src-tauri/build.rs")).unwrap();
    let declared = quoted_after(&build, "let commands: &[&str] = &[", "];", "\"");
    assert!(!registered.is_empty());
    assert_eq!(sorted(&allowed), sorted(&registered), "capabilities against the shell's commands");
    assert_eq!(sorted(&declared), sorted(&registered), "the build script against the shell's commands");
}

/// The names listed between `start` and `end` in Rust source, each after `lead`.
fn quoted_after(source: &str, start: &str, end: &str, lead: &str) -> Vec<String> {
    let from = source.find(start).unwrap_or_else(|| panic!("{start} not found")) + start.len();
    let list = &source[from..from + source[from..].find(end).unwrap()];
    list.split(',')
        .map(|s| s.trim().trim_start_matches(lead).trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// No crate that speaks HTTP (or TLS) is compiled into the app, so nothing in it can send a
/// case anywhere. (`http`, a crate of request and response types with no I/O, is there for
/// Tauri's custom protocol.) Run on the lock file, offline.
#[test]
fn the_app_links_no_http_client() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let o = Command::new(cargo)
        .args(["tree", "-p", "redress-app", "-e", "normal", "--offline", "--prefix", "none", "--format", "{p}"])
        .current_dir(ROOT)
        .output()
        .expect("run cargo tree");
    assert!(o.status.success(), "cargo tree failed: {}", stderr(&o));
    let out = stdout(&o);
    let crates: Vec<&str> = out.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(crates.contains(&"tauri") && crates.contains(&"redress"), "cargo tree listed the app's crates:\n{out}");
    let clients = ["reqwest", "hyper", "hyper-util", "ureq", "isahc", "curl", "curl-sys", "attohttpc", "surf", "h2", "rustls", "native-tls", "openssl", "tauri-plugin-http", "tauri-plugin-updater"];
    let linked: Vec<&&str> = clients.iter().filter(|c| crates.contains(c)).collect();
    assert!(linked.is_empty(), "the app links {linked:?}");
}
