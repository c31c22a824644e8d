//! The fields kernel: normalise and classify one short field value. The Go twin is
//! `service/internal/kernel/fields.go`; both follow the steps documented there, byte for byte.

pub const KIND_EMPTY: u8 = 0;
pub const KIND_TEXT: u8 = 1;
pub const KIND_EMAIL: u8 = 2;
pub const KIND_PHONE: u8 = 3;
pub const KIND_NUMBER: u8 = 4;
pub const KIND_INVALID: u8 = 5;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Writes the normalised value to `out` (cleared first) and returns its kind. Never grows the value.
pub fn normalize(v: &[u8], out: &mut Vec<u8>) -> u8 {
    out.clear();
    let mut pending_space = false;
    for &b in v {
        if is_space(b) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            out.push(b);
        }
    }
    if out.is_empty() {
        return KIND_EMPTY;
    }
    if out.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return KIND_INVALID;
    }
    if is_number(out) {
        return KIND_NUMBER;
    }
    if is_email(out) {
        out.make_ascii_lowercase();
        return KIND_EMAIL;
    }
    if is_phone(out) {
        let plus = out[0] == b'+';
        out.retain(|b| b.is_ascii_digit());
        if plus {
            out.insert(0, b'+');
        }
        return KIND_PHONE;
    }
    KIND_TEXT
}

fn is_number(s: &[u8]) -> bool {
    let s = s.strip_prefix(b"-").unwrap_or(s);
    let (int, frac) = match s.iter().position(|&b| b == b'.') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |p: &[u8]| !p.is_empty() && p.iter().all(u8::is_ascii_digit);
    digits(int) && frac.is_none_or(digits)
}

fn is_email(s: &[u8]) -> bool {
    let Some(at) = s.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    (1..=64).contains(&local.len())
        && local
            .iter()
            .all(|&b| (0x21..=0x7e).contains(&b) && b != b'@')
        && (3..=253).contains(&domain.len())
        && domain
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && domain.contains(&b'.')
        && !domain.windows(2).any(|w| w == b"..")
        && ![b'.', b'-'].contains(&domain[0])
        && ![b'.', b'-'].contains(&domain[domain.len() - 1])
}

fn is_phone(s: &[u8]) -> bool {
    let allowed = |(i, &b): (usize, &u8)| {
        b.is_ascii_digit() || b"-(). ".contains(&b) || (b == b'+' && i == 0)
    };
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    s.iter().enumerate().all(allowed) && (7..=15).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> (String, u8) {
        let mut out = Vec::new();
        let k = normalize(s.as_bytes(), &mut out);
        (String::from_utf8(out).unwrap(), k)
    }

    #[test]
    fn classifies_and_normalises() {
        assert_eq!(
            norm("  Ada@Example.ORG "),
            ("ada@example.org".into(), KIND_EMAIL)
        );
        assert_eq!(
            norm("+44 (20) 7946-0958"),
            ("+442079460958".into(), KIND_PHONE)
        );
        assert_eq!(norm("-12.50"), ("-12.50".into(), KIND_NUMBER));
        assert_eq!(norm(" a \t\n b "), ("a b".into(), KIND_TEXT));
        assert_eq!(norm("   "), ("".into(), KIND_EMPTY));
        assert_eq!(norm("a\u{1}b"), ("a\u{1}b".into(), KIND_INVALID));
        assert_eq!(norm("a@b..c"), ("a@b..c".into(), KIND_TEXT));
    }
}
