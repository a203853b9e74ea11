//! `tabiji import` and `tabiji export --format xlsx`, through the binary. Every spreadsheet is
//! built here (rust_xlsxwriter for .xlsx, encoding_rs for a CP932 CSV), imported into a copy
//! of `tests/fixtures/extras/tiny` (stages 認知/aware and 検討/consideration under the phase
//! リード, rows 課題/problem and 思考/thinking, departments marketing and sales), and the
//! written journey is read back as TOML and checked with `tabiji check`.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_tabiji"))
        .env("TABIJI_LANG", "en")
        .env("NO_COLOR", "1")
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run tabiji");
    Run {
        code: o.status.code().expect("exit code"),
        stdout: o.stdout,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn run_ok(cwd: &Path, args: &[&str]) -> Run {
    let r = run(cwd, args);
    assert_eq!(
        r.code,
        0,
        "tabiji {args:?}\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&r.stdout),
        r.stderr
    );
    r
}

/// A copy of the tiny site in a temporary folder.
fn tiny() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&repo().join("tests/fixtures/extras/tiny"), tmp.path());
    tmp
}

/// Every file under `root` with its bytes.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

fn journey(site: &Path, id: &str) -> toml::Table {
    let path = site.join(format!("content/journeys/{id}.toml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{text}\n{e}"))
}

fn s<'a>(t: &'a toml::Table, path: &[&str]) -> Option<&'a toml::Value> {
    let mut v = t.get(path[0])?;
    for k in &path[1..] {
        v = v.get(k)?;
    }
    Some(v)
}

fn str_at<'a>(t: &'a toml::Table, path: &[&str]) -> Option<&'a str> {
    s(t, path).and_then(|v| v.as_str())
}

/// Write a workbook of one sheet "Sheet1" from (row, col, text) cells; a merged range for
/// each `(row, first col, last col, text)`.
fn xlsx(path: &Path, cells: &[(u32, u16, &str)], merged: &[(u32, u16, u16, &str)]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for &(r, c, text) in cells {
        ws.write_string(r, c, text).expect("write");
    }
    for &(r, a, b, text) in merged {
        ws.merge_range(r, a, r, b, text, &Format::new())
            .expect("merge");
    }
    book.save(path).expect("save");
}

fn check_passes(site: &Path) {
    let r = run(site, &["check"]);
    assert_eq!(
        r.code,
        0,
        "check failed:\n{}",
        String::from_utf8_lossy(&r.stdout)
    );
}

#[test]
fn an_xlsx_grid_with_merged_phases_line_breaks_and_emotions_becomes_a_journey() {
    let site = tiny();
    let grid = site.path().join("grid.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "情報システム部 課長 のカスタマージャーニー")
        .unwrap();
    ws.merge_range(1, 1, 1, 2, "リード", &Format::new())
        .unwrap();
    for (c, t) in [(1, "認知"), (2, " 検討 ")] {
        ws.write_string(2, c, t).unwrap();
    }
    let rows: [(&str, &str, Option<&str>); 6] = [
        ("課題", "台帳が古い。\n監査で指摘された。", None),
        (
            "思考",
            "手作業では*限界*だ * たぶん",
            Some("比べ方が\nわからない"),
        ),
        (
            "タッチポイント",
            "事例記事、ウェビナー",
            Some("展示会\n比較サイト, 口コミ"),
        ),
        ("感情曲線", "", Some("普通")),
        ("体験", "", Some("比較表を渡す")),
        (
            "施策: マーケティング",
            "・事例ウェビナーを開く\nKPI: MQL 月30件",
            None,
        ),
    ];
    for (i, (label, a, b)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *label).unwrap();
        if !a.is_empty() {
            ws.write_string(r, 1, *a).unwrap();
        }
        if let Some(b) = b {
            ws.write_string(r, 2, *b).unwrap();
        }
    }
    ws.write_number(6, 1, -1).unwrap(); // emotion as a number
    book.save(&grid).unwrap();

    let r = run_ok(site.path(), &["import", "grid.xlsx"]);
    let out = String::from_utf8(r.stdout).unwrap();
    assert!(
        out.contains("content/journeys/情シス課長-grid.toml"),
        "{out}"
    );
    assert!(out.contains("tabiji check"), "{out}");
    let j = journey(site.path(), "情シス課長-grid");
    assert_eq!(str_at(&j, &["persona"]), Some("情シス課長"));
    assert_eq!(
        str_at(&j, &["stages", "aware", "problem"]),
        Some("台帳が古い。\n監査で指摘された。")
    );
    assert_eq!(
        str_at(&j, &["stages", "aware", "thinking"]),
        Some("手作業では*限界*だ * たぶん")
    );
    assert_eq!(
        str_at(&j, &["stages", "consideration", "problem"]),
        None,
        "an empty cell is no key"
    );
    assert_eq!(
        str_at(&j, &["stages", "consideration", "thinking"]),
        Some("比べ方が\nわからない")
    );
    let tps = |st: &str| -> Vec<String> {
        s(&j, &["stages", st, "touchpoints"])
            .and_then(|v| v.as_array())
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(tps("aware"), ["事例記事", "ウェビナー"]);
    assert_eq!(tps("consideration"), ["展示会", "比較サイト", "口コミ"]);
    assert_eq!(
        s(&j, &["stages", "aware", "emotion"]).and_then(|v| v.as_integer()),
        Some(-1)
    );
    assert_eq!(
        s(&j, &["stages", "consideration", "emotion"]).and_then(|v| v.as_integer()),
        Some(0)
    );
    assert_eq!(
        str_at(&j, &["stages", "consideration", "experience"]),
        Some("比較表を渡す")
    );
    let task = &s(&j, &["stages", "aware", "tasks"])
        .unwrap()
        .as_array()
        .unwrap()[0];
    assert_eq!(task["department"].as_str(), Some("marketing"));
    assert_eq!(task["task"].as_str(), Some("事例ウェビナーを開く"));
    assert_eq!(task["kpi"].as_str(), Some("MQL 月30件"));
    // Line breaks are written as multi-line strings, Japanese keys quoted where needed.
    let text =
        std::fs::read_to_string(site.path().join("content/journeys/情シス課長-grid.toml")).unwrap();
    assert!(
        text.contains("problem = \"\"\"\n台帳が古い。\n監査で指摘された。\"\"\""),
        "{text}"
    );
    check_passes(site.path());
}

#[test]
fn a_cp932_csv_with_stage_ids_and_full_width_labels_is_read() {
    let site = tiny();
    let csv = "タイトル,,\r\n,ａｗａｒｅ,consideration\r\nproblem,\"台帳が古い、\r\n監査で指摘\",比べ方がわからない\r\n思考,手作業①,\r\n感情,-2,２\r\n";
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(csv);
    assert!(!bad);
    std::fs::write(site.path().join("grid.csv"), &bytes).unwrap();
    run_ok(
        site.path(),
        &[
            "import",
            "grid.csv",
            "--persona",
            "情シス課長",
            "--id",
            "sjis",
        ],
    );
    let j = journey(site.path(), "sjis");
    assert_eq!(
        str_at(&j, &["stages", "aware", "problem"]),
        Some("台帳が古い、\n監査で指摘")
    );
    assert_eq!(
        str_at(&j, &["stages", "aware", "thinking"]),
        Some("手作業①")
    );
    assert_eq!(
        s(&j, &["stages", "aware", "emotion"]).and_then(|v| v.as_integer()),
        Some(-2)
    );
    assert_eq!(
        s(&j, &["stages", "consideration", "emotion"]).and_then(|v| v.as_integer()),
        Some(2)
    );
    check_passes(site.path());

    // The same text in UTF-8 with a byte-order mark, persona given by name.
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend_from_slice(csv.as_bytes());
    std::fs::write(site.path().join("grid8.csv"), utf8).unwrap();
    run_ok(
        site.path(),
        &[
            "import",
            "grid8.csv",
            "--persona",
            "情報システム部 課長",
            "--id",
            "utf8",
        ],
    );
    assert_eq!(journey(site.path(), "utf8")["stages"], j["stages"]);
    // Forcing UTF-8 on the CP932 file is refused.
    let r = run(
        site.path(),
        &[
            "import",
            "grid.csv",
            "--persona",
            "情シス課長",
            "--id",
            "x",
            "--encoding",
            "utf-8",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// Run an import that must be refused: its exit status, nothing written, and the message.
fn refused(site: &Path, args: &[&str], code: i32) -> String {
    let before = files(site);
    let r = run(site, args);
    assert_eq!(r.code, code, "tabiji {args:?}: {}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(files(site), before, "tabiji {args:?} changed the site");
    r.stderr
}

#[test]
fn every_refusal_names_the_cell_and_writes_nothing() {
    let site = tiny();
    let p = site.path();
    let header = [(2, 1, "認知"), (2, 2, "検討")];

    // An unknown stage: the cell, the label, the stages in column order.
    let mut cells = vec![
        (0, 0, "情シス課長"),
        (2, 1, "認知"),
        (2, 2, "契約"),
        (3, 0, "課題"),
    ];
    xlsx(&p.join("grid.xlsx"), &cells, &[]);
    let e = refused(p, &["import", "grid.xlsx"], 1);
    assert!(
        e.contains("grid.xlsx!Sheet1!C3") && e.contains("`契約`") && e.contains("認知, 検討"),
        "{e}"
    );

    // An unknown row label.
    cells = vec![
        (0, 0, "情シス課長"),
        header[0],
        header[1],
        (3, 0, "課題"),
        (4, 0, "予算"),
        (4, 1, "未定"),
    ];
    xlsx(&p.join("grid.xlsx"), &cells, &[]);
    let e = refused(p, &["import", "grid.xlsx"], 1);
    assert!(
        e.contains("grid.xlsx!Sheet1!A5")
            && e.contains("`予算`")
            && e.contains("課題, 思考, 提供すべき顧客体験"),
        "{e}"
    );

    // A bad emotion.
    cells = vec![
        (0, 0, "情シス課長"),
        header[0],
        header[1],
        (3, 0, "感情"),
        (3, 2, "5"),
    ];
    xlsx(&p.join("grid.xlsx"), &cells, &[]);
    let e = refused(p, &["import", "grid.xlsx"], 1);
    assert!(
        e.contains("grid.xlsx!Sheet1!C4") && e.contains("とても不満"),
        "{e}"
    );

    // No persona named anywhere above the grid.
    cells = vec![
        (0, 0, "顧客の旅"),
        header[0],
        header[1],
        (3, 0, "課題"),
        (3, 1, "x"),
    ];
    xlsx(&p.join("grid.xlsx"), &cells, &[]);
    let e = refused(p, &["import", "grid.xlsx"], 1);
    assert!(
        e.contains("--persona") && e.contains("情シス課長 (情報システム部 課長)"),
        "{e}"
    );

    // A sheet without a grid.
    xlsx(
        &p.join("nogrid.xlsx"),
        &[(0, 0, "議事録"), (1, 0, "特になし")],
        &[],
    );
    let e = refused(p, &["import", "nogrid.xlsx", "--persona", "情シス課長"], 1);
    assert!(
        e.contains("nogrid.xlsx!Sheet1: no journey grid") && e.contains("認知, 検討"),
        "{e}"
    );

    // Usage and files: exit 2.
    let e = refused(p, &["import", "nogrid.xlsx", "--sheet", "Sheet9"], 2);
    assert!(
        e.contains("no sheet `Sheet9`") && e.contains("Sheet1"),
        "{e}"
    );
    std::fs::write(p.join("broken.xlsx"), b"PK\x03\x04 this is not a workbook").unwrap();
    let e = refused(p, &["import", "broken.xlsx"], 2);
    assert!(e.contains("broken.xlsx is not a readable workbook"), "{e}");
    let e = refused(p, &["import", "missing.xlsx"], 2);
    assert!(e.contains("missing.xlsx"), "{e}");
    std::fs::write(p.join("grid.ods"), b"x").unwrap();
    refused(p, &["import", "grid.ods"], 2);
    cells = vec![
        (0, 0, "情シス課長"),
        header[0],
        header[1],
        (3, 0, "課題"),
        (3, 1, "x"),
    ];
    xlsx(&p.join("grid.xlsx"), &cells, &[]);
    let e = refused(p, &["import", "grid.xlsx", "--persona", "nobody"], 2);
    assert!(e.contains("`nobody`"), "{e}");
    refused(p, &["import", "grid.xlsx", "--id", "a b"], 2);
}

#[test]
fn import_never_overwrites_a_journey() {
    let site = tiny();
    let p = site.path();
    xlsx(
        &p.join("grid.xlsx"),
        &[
            (0, 0, "情シス課長"),
            (2, 1, "認知"),
            (3, 0, "課題"),
            (3, 1, "新しい課題"),
        ],
        &[],
    );
    // The id of an existing journey.
    let e = refused(p, &["import", "grid.xlsx", "--id", "情シス課長-new"], 2);
    assert!(e.contains("already exists") && e.contains("--id"), "{e}");
    // Importing twice: the second import is refused, the first file kept.
    run_ok(p, &["import", "grid.xlsx"]);
    let first = std::fs::read(p.join("content/journeys/情シス課長-grid.toml")).unwrap();
    refused(p, &["import", "grid.xlsx"], 2);
    assert_eq!(
        std::fs::read(p.join("content/journeys/情シス課長-grid.toml")).unwrap(),
        first
    );
}

/// Every non-empty cell of a sheet: (row, col) → text.
fn sheet_cells(bytes: &[u8], sheet: &str) -> BTreeMap<(u32, u32), String> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let range = book.worksheet_range(sheet).expect("the sheet");
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut out = BTreeMap::new();
    for (r, row) in range.rows().enumerate() {
        for (c, d) in row.iter().enumerate() {
            if *d != Data::Empty {
                out.insert((r0 + r as u32, c0 + c as u32), d.to_string());
            }
        }
    }
    out
}

fn export_xlsx(site: &Path) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("map.xlsx");
    run_ok(
        site,
        &["export", "--format", "xlsx", "-o", file.to_str().unwrap()],
    );
    std::fs::read(file).unwrap()
}

#[test]
fn an_exported_journey_sheet_imports_back_to_the_same_cells() {
    let site = tiny();
    let p = site.path();
    let first = export_xlsx(p);
    let book = Xlsx::new(std::io::Cursor::new(first.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["情シス課長-new", "施策一覧", "部門"]);
    let original = sheet_cells(&first, "情シス課長-new");
    assert_eq!(original[&(0, 0)], "ペルソナ: 情報システム部 課長");
    assert_eq!(original[&(2, 1)], "リード");
    assert_eq!(original[&(3, 1)], "認知");
    assert_eq!(original[&(4, 0)], "課題");
    // Markdown is exported as the text a reader sees.
    assert!(
        original
            .values()
            .any(|v| v.contains("・ヒアリングで決裁の流れを聞く\nKPI: 初回面談から14日以内に提案")),
        "{original:#?}"
    );

    let file = p.join("exported.xlsx");
    std::fs::write(&file, &first).unwrap();
    run_ok(
        p,
        &[
            "import",
            "exported.xlsx",
            "--sheet",
            "情シス課長-new",
            "--id",
            "rt",
        ],
    );
    check_passes(p);
    let again = export_xlsx(p);
    assert_eq!(
        sheet_cells(&again, "rt"),
        original,
        "the round trip changed cells"
    );
    // Plain cells come back exactly as they were written.
    let (a, b) = (journey(p, "情シス課長-new"), journey(p, "rt"));
    assert_eq!(s(&a, &["stages", "aware"]), s(&b, &["stages", "aware"]));
    assert_eq!(
        b.get("name"),
        None,
        "the persona's name is not repeated as the journey name"
    );
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect(name)
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn formula_looking_cells_stay_text_in_the_workbook() {
    let site = tiny();
    let p = site.path();
    let path = p.join("content/journeys/情シス課長-new.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(
            "手作業では限界だ。",
            "=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")",
        )
        .replace("事例記事", "@SUM(A1)")
        .replace("MQL 月30件", "+1+1")
        .replace("競合は2社。", "-2+3");
    std::fs::write(&path, text).unwrap();
    check_passes(p);
    let bytes = export_xlsx(p);
    let sheet = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "a formula in {sheet}"
    );
    for name in ["xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"] {
        assert!(!zip_entry(&bytes, name).contains("<f>"), "{name}");
    }
    let strings = zip_entry(&bytes, "xl/sharedStrings.xml");
    assert!(
        strings.contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)")
            || strings.contains("=HYPERLINK(\"http://evil.example\",\"x\")"),
        "{strings}"
    );
    let cells = sheet_cells(&bytes, "情シス課長-new");
    assert!(cells.values().any(|v| v.starts_with("=HYPERLINK")));
    assert!(cells.values().any(|v| v == "-2+3"));
}

#[test]
fn two_exports_are_byte_identical() {
    let site = tiny();
    let a = export_xlsx(site.path());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = export_xlsx(site.path());
    assert!(a == b, "two exports of the same site differ");
    let stdout = run_ok(site.path(), &["export", "--format", "xlsx"]).stdout;
    assert!(stdout == a, "stdout and -o differ");
    assert!(zip_entry(&a, "docProps/core.xml").contains("2000-01-01T00:00:00Z"));
}

#[test]
fn the_tasks_sheet_has_an_autofilter_and_the_grid_frozen_panes() {
    let site = tiny();
    let bytes = export_xlsx(site.path());
    let tasks = sheet_cells(&bytes, "施策一覧");
    assert_eq!(tasks[&(0, 0)], "部門");
    assert_eq!(tasks[&(1, 0)], "マーケティング");
    assert_eq!(tasks[&(1, 3)], "事例ウェビナーを開く");
    assert!(zip_entry(&bytes, "xl/worksheets/sheet2.xml").contains("<autoFilter ref=\"A1:E3\""));
    assert!(zip_entry(&bytes, "xl/worksheets/sheet1.xml").contains("topLeftCell=\"B5\""));
    let deps = sheet_cells(&bytes, "部門");
    assert_eq!(deps[&(1, 0)], "marketing");
}

/// The smallest Compound File (the container of a password-protected .xlsx) holding an
/// `EncryptedPackage` stream: a header, one FAT sector and one directory sector.
fn encrypted_workbook() -> Vec<u8> {
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    let (end, free, fatsect) = (0xFFFF_FFFEu32, 0xFFFF_FFFFu32, 0xFFFF_FFFDu32);
    let mut h = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    h.extend_from_slice(&[0; 16]);
    u16le(&mut h, 0x3E); // minor version
    u16le(&mut h, 3); // major version
    u16le(&mut h, 0xFFFE); // byte order
    u16le(&mut h, 9); // 512-byte sectors
    u16le(&mut h, 6); // 64-byte mini sectors
    h.extend_from_slice(&[0; 6]);
    u32le(&mut h, 0); // directory sectors (v3)
    u32le(&mut h, 1); // FAT sectors
    u32le(&mut h, 1); // first directory sector
    u32le(&mut h, 0); // transaction
    u32le(&mut h, 0x1000); // mini stream cutoff
    u32le(&mut h, end); // mini FAT
    u32le(&mut h, 0);
    u32le(&mut h, end); // DIFAT
    u32le(&mut h, 0);
    u32le(&mut h, 0); // DIFAT[0]: the FAT is sector 0
    while h.len() < 512 {
        u32le(&mut h, free);
    }
    let mut fat = Vec::new();
    u32le(&mut fat, fatsect);
    u32le(&mut fat, end);
    while fat.len() < 512 {
        u32le(&mut fat, free);
    }
    let entry = |name: &str, kind: u8, child: u32| {
        let mut e = Vec::new();
        let units: Vec<u16> = name.encode_utf16().collect();
        for u in &units {
            u16le(&mut e, *u);
        }
        e.resize(64, 0);
        u16le(&mut e, (units.len() as u16 + 1) * 2);
        e.push(kind);
        e.push(1); // black
        u32le(&mut e, free);
        u32le(&mut e, free);
        u32le(&mut e, child);
        e.resize(116, 0);
        u32le(&mut e, end); // start sector
        e.resize(128, 0);
        e
    };
    let mut dir = entry("Root Entry", 5, 1);
    dir.extend(entry("EncryptedPackage", 2, free));
    dir.resize(512, 0);
    [h, fat, dir].concat()
}

#[test]
fn a_password_protected_workbook_is_refused_with_what_to_do() {
    let site = tiny();
    std::fs::write(site.path().join("secret.xlsx"), encrypted_workbook()).unwrap();
    let e = refused(
        site.path(),
        &["import", "secret.xlsx", "--persona", "情シス課長"],
        2,
    );
    assert!(
        e.contains("secret.xlsx is password-protected") && e.contains("without a password"),
        "{e}"
    );
}
