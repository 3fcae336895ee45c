//! The app's command contract is written where each part of Tauri needs it: the command
//! functions (`src-tauri/src/commands.rs`), [`super::COMMANDS`] (from which the UI's bindings
//! are generated), the handler list (`generate_handler!` in `src-tauri/src/lib.rs`), the
//! commands `src-tauri/build.rs` declares, and the capability file that allows them. These
//! tests read each one and fail, naming the command, when any two disagree on a command's
//! name, its parameters' names and types, or its result.

use super::COMMANDS;
use std::collections::BTreeSet;
use std::path::Path;

/// One command as a source states it: snake-case name, TypeScript parameters and result.
#[derive(Debug, Clone, PartialEq)]
struct Command {
    name: String,
    params: Vec<(String, String)>,
    result: String,
}

fn shell_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The commands of `commands.rs`: each `#[tauri::command]` function with the parameters the
/// UI passes (the shell's own `State`, `AppHandle`, `Window` and `Webview` are left out).
fn commands_rs(src: &str) -> Vec<Command> {
    let mut out = Vec::new();
    for (at, attr) in src.match_indices("#[tauri::command]") {
        let rest = &src[at + attr.len()..];
        let Some(fn_at) = rest.find("fn ") else { continue };
        let sig = &rest[fn_at + 3..];
        let Some(open) = sig.find('(') else { continue };
        let name = sig[..open].trim().to_string();
        let close = matching_paren(sig, open);
        let params = split_top(&sig[open + 1..close])
            .into_iter()
            .filter_map(|p| p.split_once(':').map(|(n, t)| (n.trim().to_string(), t.trim().to_string())))
            .filter(|(_, t)| !["State<", "AppHandle", "Window", "Webview"].iter().any(|s| t.starts_with(s)))
            .map(|(n, t)| (camel(&n), ts_type(&t)))
            .collect();
        let after = &sig[close + 1..];
        let head = &after[..after.find('{').unwrap_or(after.len())];
        let result = head.trim().strip_prefix("->").map(|r| ts_type(r.trim())).unwrap_or_else(|| "null".into());
        out.push(Command { name, params, result });
    }
    out
}

fn matching_paren(s: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' if depth == 1 => return i,
            ')' => depth -= 1,
            _ => {}
        }
    }
    s.len()
}

/// Splits at the commas that are not inside `<>` or `()`.
fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in s.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// The TypeScript a Rust type reaches the UI as (through serde and Tauri's IPC).
fn ts_type(rust: &str) -> String {
    let t = rust.trim();
    let inner = |prefix: &str| t.strip_prefix(prefix).and_then(|r| r.strip_suffix('>')).map(str::trim);
    if let Some(i) = inner("Reply<") {
        return ts_type(i);
    }
    if let Some(i) = inner("Vec<") {
        return format!("{}[]", ts_type(i));
    }
    if let Some(i) = inner("Option<") {
        return format!("{} | null", ts_type(i));
    }
    if let Some(i) = inner("HashMap<") {
        let kv = split_top(i);
        if let [k, v] = kv.as_slice() {
            return format!("Record<{},{}>", ts_type(k), ts_type(v));
        }
    }
    match t {
        "String" | "&str" | "PathBuf" => "string".into(),
        "()" => "null".into(),
        "Response" => "ArrayBuffer".into(),
        "bool" => "boolean".into(),
        "u8" | "u16" | "u32" | "i32" | "i64" | "u64" | "usize" | "f64" => "number".into(),
        other => other.to_string(),
    }
}

/// `case_id` → `caseId`: the key Tauri expects a parameter under.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// [`COMMANDS`] in the same terms.
fn contract() -> Vec<Command> {
    COMMANDS
        .iter()
        .map(|(name, params, result)| Command {
            name: super::snake(name),
            params: split_top(params)
                .into_iter()
                .filter_map(|p| p.split_once(':').map(|(n, t)| (n.trim().to_string(), t.trim().to_string())))
                .collect(),
            result: result.to_string(),
        })
        .collect()
}

/// The names inside the first `[ … ]` after `marker`, each `"quoted"` or a `path::name`.
fn listed_after(src: &str, marker: &str) -> Vec<String> {
    let Some(at) = src.find(marker) else { return Vec::new() };
    let rest = &src[at + marker.len()..];
    let (open, close) = (rest.find('[').unwrap_or(0), rest.find(']').unwrap_or(0));
    rest[open + 1..close.max(open + 1)]
        .split(',')
        .map(|i| i.trim().trim_matches('"').rsplit("::").next().unwrap_or("").to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

fn names(commands: &[Command]) -> Vec<String> {
    commands.iter().map(|c| c.name.clone()).collect()
}

/// Every way two lists of command names disagree, in words.
fn compare(what: &str, want: &[String], have: &[String]) -> Vec<String> {
    let (w, h): (BTreeSet<&String>, BTreeSet<&String>) = (want.iter().collect(), have.iter().collect());
    let mut out: Vec<String> = w.difference(&h).map(|n| format!("{what} lacks `{n}`")).collect();
    out.extend(h.difference(&w).map(|n| format!("{what} has `{n}`, which commands.rs does not")));
    if have.len() != h.len() {
        out.push(format!("{what} names a command twice"));
    }
    out
}

/// Where COMMANDS and commands.rs disagree about each command's parameters and result.
fn compare_signatures(shell: &[Command], contract: &[Command]) -> Vec<String> {
    let mut out = Vec::new();
    for c in contract {
        let Some(s) = shell.iter().find(|s| s.name == c.name) else { continue };
        if s.params != c.params {
            out.push(format!("`{}`: commands.rs takes {:?}, COMMANDS says {:?}", c.name, s.params, c.params));
        }
        if s.result != c.result {
            out.push(format!("`{}`: commands.rs returns {}, COMMANDS says {}", c.name, s.result, c.result));
        }
    }
    out
}

/// Everything that disagrees with `commands.rs`, given the text of each source.
fn disagreements(commands: &str, lib: &str, build: &str, capability: &str) -> Vec<String> {
    let shell = commands_rs(commands);
    let want = names(&shell);
    let mut out = compare("COMMANDS (src/cases)", &want, &names(&contract()));
    out.extend(compare_signatures(&shell, &contract()));
    out.extend(compare("generate_handler! in lib.rs", &want, &listed_after(lib, "generate_handler!")));
    out.extend(compare("build.rs", &want, &listed_after(build, "let commands: &[&str] = &")));
    let capability: serde_json::Value = serde_json::from_str(capability).unwrap_or_default();
    let allowed: Vec<String> = capability["permissions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|n| n.replace('-', "_")))
        .collect();
    out.extend(compare("capabilities/default.json", &want, &allowed));
    out
}

#[test]
fn commands_rs_the_bindings_the_handler_list_build_rs_and_the_capability_agree() {
    let commands = shell_file("src/commands.rs");
    let shell = commands_rs(&commands);
    assert!(shell.len() >= 16, "commands.rs was not read as expected: {shell:?}");
    let problems = disagreements(&commands, &shell_file("src/lib.rs"), &shell_file("build.rs"), &shell_file("capabilities/default.json"));
    assert!(problems.is_empty(), "the app's command contract disagrees with itself:\n  {}", problems.join("\n  "));
}

#[test]
fn a_renamed_parameter_or_command_is_caught_in_every_place() {
    let commands = shell_file("src/commands.rs");
    let (lib, build, cap) = (shell_file("src/lib.rs"), shell_file("build.rs"), shell_file("capabilities/default.json"));
    let renamed = commands
        .replace("pub fn save_case(state: State<AppState>, id: String,", "pub fn save_case(state: State<AppState>, case_id: String,");
    assert_ne!(renamed, commands, "the rename did not apply: commands.rs changed shape");
    let p = disagreements(&renamed, &lib, &build, &cap);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("`save_case`") && p[0].contains("caseId"), "{p:?}");

    let retyped = commands.replace(
        "pub fn packet_bytes(state: State<AppState>, id: String) -> Reply<Response>",
        "pub fn packet_bytes(state: State<AppState>, id: String) -> Reply<String>",
    );
    let p = disagreements(&retyped, &lib, &build, &cap);
    assert!(p.len() == 1 && p[0].contains("returns string"), "{p:?}");

    let gone = commands.replace("pub fn rules()", "pub fn deadline_rules()");
    let p = disagreements(&gone, &lib, &build, &cap);
    for place in ["COMMANDS", "generate_handler!", "build.rs", "capabilities/default.json"] {
        assert!(p.iter().any(|m| m.starts_with(place) && m.contains("deadline_rules")), "{place} not named: {p:?}");
    }

    let unallowed = cap.replace("\"allow-rules\"", "\"allow-other\"");
    let p = disagreements(&commands, &lib, &build, &unallowed);
    assert_eq!(p, ["capabilities/default.json lacks `rules`", "capabilities/default.json has `other`, which commands.rs does not"]);
}

/// The commands that take a path from the window without checking it against what the person
/// picked or dropped (`state.picked.check(Read | Write, &path)`, or `check_all` for a list or an
/// option), each named with the parameter; and how many path parameters were checked.
fn unchecked_paths(src: &str) -> (Vec<String>, usize) {
    let (mut out, mut checked) = (Vec::new(), 0);
    let starts: Vec<usize> = src.match_indices("#[tauri::command]").map(|(at, _)| at).collect();
    for (i, &at) in starts.iter().enumerate() {
        let item = &src[at..starts.get(i + 1).copied().unwrap_or(src.len())];
        let (Some(fn_at), Some(open)) = (item.find("fn "), item.find('(')) else { continue };
        let name = item[fn_at + 3..open].trim();
        let close = matching_paren(item, open);
        let body = &item[close..];
        for param in split_top(&item[open + 1..close]) {
            let Some((p, ty)) = param.split_once(':') else { continue };
            if !ty.contains("PathBuf") {
                continue;
            }
            let p = p.trim();
            let arg = if ty.contains("Vec<") || ty.contains("Option<") { "check_all(" } else { "check(" };
            let ok = ["Read", "Write"].iter().any(|access| {
                [format!("picked.{arg}{access}, &{p})"), format!("picked.{arg}{access}, {p}.as_slice())")]
                    .iter()
                    .any(|c| body.contains(c.as_str()))
            });
            if ok {
                checked += 1;
            } else {
                out.push(format!("`{name}` does not check `{p}` against what was picked"));
            }
        }
    }
    (out, checked)
}

#[test]
fn every_path_the_window_sends_is_checked_against_what_the_person_picked() {
    let commands = shell_file("src/commands.rs");
    let (problems, checked) = unchecked_paths(&commands);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(checked >= 13, "the path parameters were not read as expected: {checked}");
    // A command that forgets the check is named.
    let forgot = commands.replace("    state.picked.check_all(Read, &paths)?;\n", "");
    assert_ne!(forgot, commands, "commands.rs changed shape");
    assert_eq!(unchecked_paths(&forgot).0, ["`add_documents` does not check `paths` against what was picked"]);
    let other = commands
        .replace("state.picked.check(Read, &path)?;\n    state.with(|s| cases::import_folder", "state.with(|s| cases::import_folder");
    assert_eq!(unchecked_paths(&other).0, ["`import_folder` does not check `path` against what was picked"]);
}

#[test]
fn rust_types_map_to_what_the_ui_receives() {
    assert_eq!(ts_type("Reply<Vec<CaseOverview>>"), "CaseOverview[]");
    assert_eq!(ts_type("Vec<PathBuf>"), "string[]");
    assert_eq!(ts_type("HashMap<String, String>"), "Record<string,string>");
    assert_eq!(ts_type("Reply<()>"), "null");
    assert_eq!(ts_type("Option<String>"), "string | null");
    assert_eq!(split_top("state: State<'_, AppState>, id: String"), ["state: State<'_, AppState>", "id: String"]);
    assert_eq!(camel("case_id"), "caseId");
}
