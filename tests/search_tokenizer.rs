//! The browser's search tokenizer (static/assets/search.js) must split text exactly as the
//! Rust one that builds the index does; otherwise queries silently miss. This runs both on
//! the same inputs (Node.js runs the browser script with a stub `document`).

use std::io::Write;
use std::process::{Command, Stdio};

const SAMPLES: &[&str] = &[
    "棚卸しの手間を減らしたい",
    "情シス課長",
    "課",
    "MQL月120件",
    "IT資産管理のSaaS",
    "BANT（予算・権限・必要性・時期）",
    "ｶﾀｶﾅ と ｶﾞｲﾄﾞ",
    "ＡＢＣ１２３ abc",
    "Ｃｈａｍｐｉｏｎ（チャンピオン）",
    "々と〆、。！？",
    "데이터 관리",
    "Café crème, naïve résumé",
    "稟議書を3月末までに",
    "",
    "   ",
    "a",
    "x-y_z 1.5",
    "😀 emoji 👍🏽 ok",
    "ﾃﾞｰﾀ・ﾄﾞﾘﾌﾞﾝ",
    "Ⅻ ㈱ ㍻ ｱｲｳ",
];

#[test]
fn browser_and_rust_tokenizers_agree() {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok(),
        "Node.js is required for this test (scripts/test.sh installs it)"
    );
    let script = format!(
        r#"
const vm = require("vm");
const fs = require("fs");
const src = fs.readFileSync({path:?}, "utf8");
const stub = {{ addEventListener() {{}}, readyState: "complete", getElementById() {{ return null; }}, querySelector() {{ return null; }}, querySelectorAll() {{ return []; }} }};
const ctx = {{ window: {{}}, document: stub, location: {{ search: "" }}, URLSearchParams, localStorage: null }};
vm.createContext(ctx);
vm.runInContext(src, ctx);
const input = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(input.map((s) => ctx.window.tabijiSearch.tokens(s))));
"#,
        path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/assets/search.js")
    );
    let mut child = Command::new("node")
        .arg("-e")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = serde_json::to_string(SAMPLES).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    for (sample, js_tokens) in SAMPLES.iter().zip(js) {
        assert_eq!(
            tabiji::search::tokens(sample),
            js_tokens,
            "tokens of {sample:?}"
        );
    }
}
