//! The orders kernel: a little deterministic work derived from the order id (FNV-1a, then xorshift64*
//! rounds per line item). The Go twin is `service/internal/kernel/orders.go`.

/// Rounds of mixing per line item: enough to be measurable, small beside the ~20 ms downstream wait.
pub const ROUNDS: u32 = 512;

/// 64-bit FNV-1a (Fowler, Noll, Vo; draft-eastlake-fnv).
pub fn fnv1a64(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf29ce484222325u64, |h, &x| {
        (h ^ u64::from(x)).wrapping_mul(0x100000001b3)
    })
}

/// Returns [items, total cents, checksum].
pub fn order(id: &[u8]) -> [u64; 3] {
    let h = fnv1a64(id);
    let items = 1 + h % 5;
    let mut x = h | 1;
    let mut checksum = h;
    let mut total = 0u64;
    for _ in 0..items {
        let mut y = 0u64;
        for _ in 0..ROUNDS {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            y = x.wrapping_mul(0x2545F4914F6CDD1D);
            checksum = (checksum ^ y).rotate_left(5);
        }
        let price = 100 + y % 9900;
        let qty = 1 + (y >> 32) % 3;
        total += price * qty;
    }
    [items, total, checksum]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn orders_are_deterministic() {
        assert_eq!(order(b"42"), order(b"42"));
        assert_ne!(order(b"42"), order(b"43"));
        assert!((1..=5).contains(&order(b"42")[0]));
    }
}
