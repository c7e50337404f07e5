//! The window's security configuration, read from the files the build embeds:
//! a strict CSP and a least-privilege capability.

use serde_json::Value;

fn read(path: &str) -> Value {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap()
}

#[test]
fn csp_allows_no_remote_origin_and_no_inline_or_eval_script() {
    let conf = read("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"]
        .as_object()
        .expect("an explicit CSP, not null");
    let directive = |name: &str| {
        csp.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(directive("default-src"), "'self'");
    assert_eq!(
        directive("script-src"),
        "'self'",
        "no inline, eval'd or remote script"
    );
    assert_eq!(directive("object-src"), "'none'");
    assert_eq!(directive("frame-src"), "'none'");
    assert_eq!(directive("base-uri"), "'none'");
    for (name, value) in csp {
        let value = value.as_str().unwrap();
        assert!(!value.contains("unsafe-eval"), "{name} allows eval");
        assert!(!value.contains('*'), "{name} allows a wildcard");
        for token in value.split_whitespace() {
            // The app's own protocols as WebView2 serves them on Windows (`.localhost`
            // never leaves the machine): IPC, and the figures' images.
            let own = ["http://ipc.localhost", "http://dossier-image.localhost"];
            let remote = token.starts_with("http") && !own.contains(&token);
            assert!(!remote, "{name} allows the remote origin {token}");
        }
    }
    // Figures' images come only from the notebook, through the app's protocol.
    assert_eq!(
        directive("img-src"),
        "'self' data: dossier-image: http://dossier-image.localhost"
    );
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    assert_eq!(conf["app"]["security"]["freezePrototype"], true);
}

#[test]
fn the_main_window_gets_only_what_it_needs() {
    let cap = read("capabilities/main.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let mut perms: Vec<&str> = Vec::new();
    for p in cap["permissions"].as_array().unwrap() {
        if let Some(name) = p.as_str() {
            perms.push(name);
            continue;
        }
        // The one scoped permission: opening web links, and only http(s) ones.
        assert_eq!(p["identifier"], "opener:allow-open-url");
        for rule in p["allow"].as_array().unwrap() {
            let url = rule["url"].as_str().unwrap();
            assert!(
                url == "https://*" || url == "http://*",
                "opener may open only web links, not {url}"
            );
        }
    }
    for p in &perms {
        let allowed = p.starts_with("core:event:")
            || *p == "core:window:allow-set-title"
            || *p == "core:app:allow-version"
            || p.starts_with("dialog:allow-");
        assert!(allowed, "unexpected permission {p}");
        assert!(
            !p.starts_with("shell") && !p.starts_with("fs") && !p.starts_with("sql"),
            "{p}"
        );
        assert!(
            !p.ends_with(":default"),
            "{p}: defaults grant more than needed"
        );
        // File dialogs run in the shell (`pick`), which grants what the user picked;
        // a page that could open them itself would learn paths the shell never saw.
        assert!(
            *p != "dialog:allow-open" && *p != "dialog:allow-save",
            "{p}: the window must ask the shell to open file dialogs"
        );
    }
    // Exactly one capability file: nothing else widens the window's rights.
    let files: Vec<_> = std::fs::read_dir(format!("{}/capabilities", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .collect();
    assert_eq!(files.len(), 1);
}

/// Every command that takes a path from the page checks it against the paths the
/// user picked before using it (a new command that forgets fails here). Commands
/// are declared in `dossier::commands` and in the shell's `commands::shell`.
#[test]
fn every_command_that_takes_a_path_checks_the_grants() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut checked = 0;
    for file in ["src/commands.rs", "../crates/notebook/src/commands.rs"] {
        let src = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        let declarations = src.split("declare_commands! {").nth(1).unwrap();
        // Up to the end of the invocation (its closing brace, alone on a line).
        let declarations = &declarations[..declarations
            .find("\n}\n")
            .or_else(|| declarations.find("\n    }\n"))
            .unwrap()];
        for part in declarations.split("\n        fn ").skip(1).chain(
            // The notebook's declarations sit one level less deep.
            declarations.split("\n    fn ").skip(1),
        ) {
            let signature_end = part.find('{').unwrap();
            let signature = &part[..signature_end];
            let name = signature.split('(').next().unwrap();
            let body = &part[signature_end..];
            let params: Vec<&str> = signature
                .split([',', '('])
                .filter(|p| p.contains("PathBuf"))
                .map(|p| p.split(':').next().unwrap().trim())
                .collect();
            for param in params {
                assert!(
                    body.contains(&format!("host.allow_path(&{param})"))
                        || body.contains(&format!("host.allow_paths(&{param})")),
                    "command {name} in {file} uses the path '{param}' without asking the host"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 7, "found only {checked} path parameters");
}

/// The Windows installers install with no network: WebView2's offline installer
/// is bundled. The small variant that downloads it (`tauri.online.conf.json`) is
/// the one a user with a network may pick instead.
#[test]
fn windows_installers_carry_webview2() {
    let conf = read("tauri.conf.json");
    assert_eq!(
        conf["bundle"]["windows"]["webviewInstallMode"]["type"],
        "offlineInstaller"
    );
    let online = read("tauri.online.conf.json");
    assert_eq!(
        online["bundle"]["windows"]["webviewInstallMode"]["type"],
        "downloadBootstrapper"
    );
}
