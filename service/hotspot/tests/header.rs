//! Checks include/hotspot.h against the crate: every `extern "C"` export in src/lib.rs has a prototype
//! with the same name, parameter types and return type, and the header declares nothing else.

use std::collections::BTreeMap;

type Signature = (String, Vec<String>);

fn rust_to_c(t: &str) -> String {
    let t = t.trim();
    let (prefix, base) = if let Some(b) = t.strip_prefix("*const ") {
        ("const ", b)
    } else if let Some(b) = t.strip_prefix("*mut ") {
        ("", b)
    } else {
        return map_base(t).to_string();
    };
    format!("{prefix}{}*", map_base(base))
}

fn map_base(t: &str) -> &'static str {
    match t.trim() {
        "u8" => "uint8_t",
        "u32" => "uint32_t",
        "i32" => "int32_t",
        "u64" => "uint64_t",
        "usize" => "size_t",
        "" | "()" => "void",
        other => panic!("no C mapping for Rust type {other}"),
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" *", "*")
}

fn rust_exports(src: &str) -> BTreeMap<String, Signature> {
    let mut out = BTreeMap::new();
    for chunk in src.split("extern \"C\" fn ").skip(1) {
        let head = squash(&chunk[..chunk.find('{').unwrap()]);
        let (name, rest) = head.split_once('(').unwrap();
        let (params, ret) = rest.rsplit_once(')').unwrap();
        let params: Vec<String> = params
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| rust_to_c(p.split_once(':').unwrap().1))
            .collect();
        let ret = rust_to_c(ret.trim().trim_start_matches("->"));
        out.insert(name.trim().to_string(), (ret, params));
    }
    out
}

fn header_prototypes(h: &str) -> BTreeMap<String, Signature> {
    let code: String = strip_comments(h)
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = BTreeMap::new();
    for decl in code.split(';').map(squash).filter(|d| !d.is_empty()) {
        let (head, rest) = decl.split_once('(').unwrap();
        let (ret, name) = head.rsplit_once(' ').unwrap();
        let params: Vec<String> = rest
            .trim_end_matches(')')
            .split(',')
            .map(str::trim)
            .filter(|p| *p != "void" && !p.is_empty())
            .map(|p| {
                let (t, _name) = p.rsplit_once([' ', '*']).unwrap();
                let stars = p.matches('*').count();
                format!(
                    "{}{}",
                    t.trim().trim_end_matches('*').trim(),
                    "*".repeat(stars)
                )
            })
            .collect();
        out.insert(name.to_string(), (ret.trim().to_string(), params));
    }
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find("*/").unwrap() + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn header_matches_the_crate_exports() {
    let root = env!("CARGO_MANIFEST_DIR");
    let src = std::fs::read_to_string(format!("{root}/src/lib.rs")).unwrap();
    let h = std::fs::read_to_string(format!("{root}/include/hotspot.h")).unwrap();
    let rust = rust_exports(&src);
    let c = header_prototypes(&h);
    assert!(rust.len() >= 8, "found only {rust:?}");
    assert_eq!(rust, c);
}
