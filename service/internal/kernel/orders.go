package kernel

import "math/bits"

// OrderRounds is the number of mixing rounds per line item: measurable, yet small beside the ~20 ms
// downstream wait, so the orders endpoint shows a swap that cannot help.
const OrderRounds = 512

// FNV1a64 is the 64-bit FNV-1a hash (Fowler, Noll, Vo; draft-eastlake-fnv).
func FNV1a64(b []byte) uint64 {
	h := uint64(0xcbf29ce484222325)
	for _, x := range b {
		h = (h ^ uint64(x)) * 0x100000001b3
	}
	return h
}

// Order derives [items, total cents, checksum] from an order id: FNV-1a, then xorshift64* rounds
// (Vigna, "An experimental exploration of Marsaglia's xorshift generators", 2016) per line item.
func Order(id []byte) [3]uint64 {
	h := FNV1a64(id)
	items := 1 + h%5
	x, checksum, total := h|1, h, uint64(0)
	for range items {
		var y uint64
		for range OrderRounds {
			x ^= x >> 12
			x ^= x << 25
			x ^= x >> 27
			y = x * 0x2545F4914F6CDD1D
			checksum = bits.RotateLeft64(checksum^y, 5)
		}
		total += (100 + y%9900) * (1 + (y>>32)%3)
	}
	return [3]uint64{items, total, checksum}
}
