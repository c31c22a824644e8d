//! The scan kernel: the rule table in `service/internal/kernel/rules.tsv` (shared with the Go kernel so
//! both engines compile the very same patterns), applied rule after rule, each match replaced by
//! `[rule_name]`. The Go twin is `service/internal/kernel/scan.go`; their outputs must be byte-identical.

use regex::bytes::{Regex, RegexBuilder};
use std::borrow::Cow;
use std::sync::LazyLock;

const RULES_TSV: &str = include_str!("../../internal/kernel/rules.tsv");

/// One compiled rule.
pub struct Rule {
    pub name: String,
    pub token: Vec<u8>,
    pub luhn: bool,
    pub re: Regex,
}

/// Compiled once, on first use. unicode(false): `\b` and classes are ASCII, matching over raw bytes.
pub static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| parse_rules(RULES_TSV));

fn parse_rules(tsv: &str) -> Vec<Rule> {
    tsv.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let name = parts.next().expect("rule name").to_string();
            let check = parts.next().expect("rule check");
            let pattern = parts.next().expect("rule pattern");
            let re = RegexBuilder::new(pattern)
                .unicode(false)
                .build()
                .unwrap_or_else(|e| panic!("rule {name}: {e}"));
            Rule {
                token: format!("[{name}]").into_bytes(),
                luhn: check == "luhn",
                name,
                re,
            }
        })
        .collect()
}

/// The Luhn checksum over the ASCII digits of `s` (other bytes skipped), as in ISO/IEC 7812-1 annex B.
pub fn luhn_ok(s: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut double = false;
    let mut digits = 0;
    for &b in s.iter().rev() {
        if !b.is_ascii_digit() {
            continue;
        }
        let mut d = u32::from(b - b'0');
        if double {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        double = !double;
        digits += 1;
    }
    digits > 0 && sum % 10 == 0
}

/// Redacts `input`, writing one match count per rule into `counts`. Borrows `input` when nothing matched.
pub fn scan<'a>(input: &'a [u8], counts: &mut [u32]) -> Cow<'a, [u8]> {
    let mut cur: Cow<'a, [u8]> = Cow::Borrowed(input);
    for (i, rule) in RULES.iter().enumerate() {
        let mut out: Option<Vec<u8>> = None;
        let mut last = 0;
        let mut n = 0u32;
        for m in rule.re.find_iter(&cur) {
            if rule.luhn && !luhn_ok(m.as_bytes()) {
                continue;
            }
            let o = out.get_or_insert_with(|| Vec::with_capacity(cur.len()));
            o.extend_from_slice(&cur[last..m.start()]);
            o.extend_from_slice(&rule.token);
            last = m.end();
            n += 1;
        }
        if let Some(mut o) = out {
            o.extend_from_slice(&cur[last..]);
            cur = Cow::Owned(o);
        }
        if let Some(c) = counts.get_mut(i) {
            *c = n;
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> (String, Vec<u32>) {
        let mut counts = vec![0; RULES.len()];
        let out = scan(s.as_bytes(), &mut counts);
        (String::from_utf8_lossy(&out).into_owned(), counts)
    }

    fn count(counts: &[u32], name: &str) -> u32 {
        let i = RULES.iter().position(|r| r.name == name).unwrap();
        counts[i]
    }

    #[test]
    fn twenty_rules_compile() {
        assert_eq!(RULES.len(), 20);
    }

    #[test]
    fn redacts_an_email_and_counts_it() {
        let (out, counts) = run(r#"{"user":"Ada.Lovelace@example.org","n":1}"#);
        assert_eq!(out, r#"{"user":"[email]","n":1}"#);
        assert_eq!(count(&counts, "email"), 1);
    }

    #[test]
    fn card_numbers_need_a_valid_luhn_checksum() {
        let (out, counts) = run("pay 4111 1111 1111 1111 or 4111 1111 1111 1112");
        assert_eq!(out, "pay [card_number] or 4111 1111 1111 1112");
        assert_eq!(count(&counts, "card_number"), 1);
    }

    #[test]
    fn finds_ipv4_ipv6_and_keys() {
        let (out, _) = run("from 10.0.0.1 and fe80::1 key AKIAABCDEFGHIJKLMNOP");
        assert_eq!(out, "from [ipv4] and [ipv6] key [aws_access_key]");
    }

    #[test]
    fn non_ascii_and_invalid_utf8_never_match_a_class() {
        let input = b"caf\xc3\xa9@example.org \xff1.2.3.4\xfe";
        let mut counts = vec![0; RULES.len()];
        let out = scan(input, &mut counts);
        assert_eq!(&*out, b"caf\xc3\xa9@example.org \xff[ipv4]\xfe".as_slice());
    }

    #[test]
    fn luhn_reference_values() {
        assert!(luhn_ok(b"79927398713"));
        assert!(!luhn_ok(b"79927398710"));
        assert!(!luhn_ok(b""));
    }
}
