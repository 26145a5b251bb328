//! `gs1scan` as a user runs it: arguments, standard input, exit codes, one-line errors.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

fn gs1scan(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gs1scan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn parse_prints_json_lines_for_every_form() {
    let o = gs1scan(
        &[
            "parse",
            "--json",
            "--today",
            "2026-11-22",
            "]d2010950600013435210ABC\u{1d}21X1",
            "https://id.gs1.org/01/09506000134352",
            "9506000134352",
        ],
        "",
    );
    assert!(o.status.success(), "{o:?}");
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["source"], "scanner:DM");
    assert_eq!(lines[0]["lot"], "ABC");
    assert_eq!(lines[0]["serial"], "X1");
    assert_eq!(lines[2]["primary"]["value"], "09506000134352");
    assert_eq!(lines[2]["source"], "bare-key");
}

#[test]
fn parse_reads_standard_input_and_exits_1_on_an_invalid_code() {
    let o = gs1scan(
        &["parse", "--today", "2026-11-22"],
        "(01)09506000134352(17)251231\n\n(01)09506000134353\n",
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(
        text.contains("warning: expiry date 2025-12-31 has passed"),
        "{text}"
    );
    assert!(text.contains("invalid: AI (01)"), "{text}");
}

#[test]
fn bad_usage_is_one_line_and_exit_3() {
    let o = gs1scan(&["parse", "--today", "tomorrow", "x"], "");
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("gs1scan: --today"), "{err}");
    let o = gs1scan(&["check-digit", "12a"], "");
    assert_eq!(o.status.code(), Some(3));
    let o = gs1scan(&["check-digit", "950600013435"], "");
    assert_eq!(stdout(&o).trim(), "2");
}

#[test]
fn label_writes_each_format_and_refuses_what_a_symbology_cannot_carry() {
    let dir = std::env::temp_dir().join(format!("gs1scan-label-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let cases: [(&[&str], &str, &[u8]); 4] = [
        (&["08934567000017"], "ean13.svg", b"<svg"),
        (&["(01)08934567000017(10)CF2026A"], "lot.png", b"\x89PNG"),
        (
            &[
                "(01)08934567000017(10)CF2026A",
                "--symbology",
                "gs1-datamatrix",
            ],
            "lot.pdf",
            b"%PDF",
        ),
        (
            &["https://id.gs1.org/01/08934567000017/21/CF0001"],
            "serial.png",
            b"\x89PNG",
        ),
    ];
    for (args, file, magic) in cases {
        let out_path = path(file);
        let mut all = vec!["label"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", &out_path]);
        let o = gs1scan(&all, "");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(stdout(&o).starts_with(&out_path), "{}", stdout(&o));
        let bytes = std::fs::read(&out_path).unwrap();
        assert!(bytes.starts_with(magic), "{file}");
    }
    let refused: [&[&str]; 3] = [
        &[
            "https://id.gs1.org/01/08934567000017",
            "--symbology",
            "ean13",
        ],
        &["08934567000017", "--x-mm", "0.1"],
        &[
            "08934567000017",
            "--symbology",
            "gs1-128",
            "--dpi",
            "100",
            "--x-mm",
            "0.6",
        ],
    ];
    for args in refused {
        let out_path = path("refused.png");
        let mut all = vec!["label"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-o", &out_path]);
        let o = gs1scan(&all, "");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("gs1scan: "), "{err}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn labels_draws_one_file_per_line_and_names_the_line_it_refuses() {
    let dir = std::env::temp_dir().join(format!("gs1scan-labels-{}", std::process::id()));
    let out = dir.to_string_lossy().into_owned();
    let codes = "(01)08934567000017(21)S1\n\n(01)08934567000017(21)S2\nhttps://id.gs1.org/01/08934567000017/21/S3\n";
    let o = gs1scan(
        &[
            "labels",
            "-",
            "--out-dir",
            &out,
            "--format",
            "png",
            "--symbology",
            "gs1-datamatrix",
        ],
        "(01)08934567000017(21)S1\n(01)08934567000017(21)S2\n",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).starts_with("2 labels in "), "{}", stdout(&o));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, vec!["00001.png", "00002.png"]);
    // A Digital Link URI in GS1 DataMatrix is refused, naming its line (blank lines count).
    let o = gs1scan(
        &[
            "labels",
            "-",
            "--out-dir",
            &out,
            "--symbology",
            "gs1-datamatrix",
        ],
        codes,
    );
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 4"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_usage_error_never_exits_like_non_compliant_goods() {
    let o = gs1scan(&["scan", "--no-such-flag", "x.png"], "");
    assert_eq!(o.status.code(), Some(3));
    let o = gs1scan(&["scan", "--help"], "");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Example: gs1scan scan"));
}
