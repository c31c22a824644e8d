package hotspot

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
)

// The differential corpus: seeded, so a mismatch names a body that can be regenerated. Each body
// comes from one of these families, chosen by index.
const (
	famNormal = iota
	famSecretsDense
	famEmpty
	famInvalidUTF8
	famUnicode
	famAdversarial
	famRandomBytes
	famHuge
	numFamilies
)

var familyNames = [...]string{"normal", "secrets-dense", "empty", "invalid-utf8", "unicode", "adversarial", "random-bytes", "huge"}

// secrets are values the rules look for, plus near misses (bad Luhn, out-of-range octets, short keys).
var secrets = []string{
	"ada.lovelace@example.org", "x@y.io", "first.last+tag@sub.domain.co.uk", "not-an-email@", "a@b",
	"4111 1111 1111 1111", "4111-1111-1111-1112", "5500000000000004", "378282246310005", "1234 5678 9012 3456",
	"10.0.0.1", "192.168.1.255", "256.1.1.1", "1.2.3", "0.0.0.0", "fe80::1", "2001:db8::ff00:42:8329",
	"2001:0db8:85a3:0000:0000:8a2e:0370:7334", "::1", "00:1A:2b:3c:4D:5e", "AKIAIOSFODNN7EXAMPLE",
	"ASIA0123456789ABCDEF", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "xoxb-123456789012-abcdefABCDEF",
	"sk_live_abcdefghijklmnop1234", "pk_test_ABCDEFGHIJKLMNOPQRST", "AIzaSyA-1234567890abcdefghijklmnopqrstu",
	"Bearer abcdefghijklmnopqrstuvwxyz012345==", "bearer short", "https://user:pa55w0rd@example.com/x",
	"password=hunter22", `"secret": "s3cr3t-value"`, `api_key: "0123456789abcdefghijklmnop"`,
	"token=abcdefghijklmnopqrstuvwxyz", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
	"-----BEGIN RSA PRIVATE KEY-----", "123-45-6789", "078-05-1120", "DE89370400440532013000",
	"GB82WEST12345698765432", "+1 415-555-0100", "(415) 555-0100", "415.555.0100", "+44 20 7946 0958",
	"550e8400-e29b-41d4-a716-446655440000", "12345", "v1.2.3.4",
}

var unicodeBits = []string{
	"café", "naïve", "日本語のテキスト", "Привет мир", "🙂🚀", "ＡＫＩＡ", "１２３４５６７８９０１２", "\u212a", "ſecret",
	"résumé@exämple.org", "٣٤٥", "\u00a0", "\u2028", "e\u0301", "𝒜", "ﬁ",
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func event(r *rand.Rand, b *bytes.Buffer, secretRate int) {
	fmt.Fprintf(b, `{"ts":"2026-11-21T23:%02d:%02d.%03dZ","level":"%s","svc":"api-%d","msg":"`,
		r.IntN(60), r.IntN(60), r.IntN(1000), pick(r, []string{"info", "warn", "error", "debug"}), r.IntN(9))
	words := 3 + r.IntN(20)
	for w := range words {
		if w > 0 {
			b.WriteByte(' ')
		}
		if r.IntN(100) < secretRate {
			b.WriteString(pick(r, secrets))
		} else {
			b.WriteString(pick(r, []string{"user", "login", "request", "GET", "/v1/items", "ok", "failed", "retry",
				"id=42", "took", "12ms", "from", "to", "cache", "miss", "order", "#1234", "status=200", "a-b_c"}))
		}
	}
	fmt.Fprintf(b, `","req":%d}`+"\n", r.Uint32())
}

// normalBody is NDJSON events until about size bytes.
func normalBody(r *rand.Rand, size, secretRate int) []byte {
	var b bytes.Buffer
	for b.Len() < size {
		event(r, &b, secretRate)
	}
	return b.Bytes()
}

func adversarialBody(r *rand.Rand) []byte {
	n := 50 + r.IntN(1500)
	parts := []string{
		strings.Repeat("a", n) + "@", strings.Repeat("a.", n) + "@x", strings.Repeat("1 ", n),
		strings.Repeat("1-", n) + "1", strings.Repeat(":", n), strings.Repeat("ff:", n),
		strings.Repeat("1.", n), strings.Repeat("9", n), "AKIA" + strings.Repeat("A", n),
		strings.Repeat("x@", n), strings.Repeat("Bearer ", n), strings.Repeat("password=", n),
		strings.Repeat("(415) ", n), "eyJ" + strings.Repeat("a.", n), strings.Repeat("-----BEGIN ", n),
		strings.Repeat("+1 ", n), strings.Repeat("0", n) + "@" + strings.Repeat("0.", n),
	}
	var b bytes.Buffer
	for range 1 + r.IntN(3) {
		b.WriteString(pick(r, parts))
		b.WriteString(pick(r, []string{"", " ", "\n", "!", "\xff", "é"}))
	}
	return b.Bytes()
}

// body generates corpus body i for a seed; it returns the body and its family name.
func body(seed uint64, i int) ([]byte, string) {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	fam := i % numFamilies
	if fam == famHuge && i%(numFamilies*100) != famHuge {
		fam = famNormal // huge bodies are rare: one in 800
	}
	var b []byte
	switch fam {
	case famNormal:
		b = normalBody(r, r.IntN(4<<10), 5)
	case famSecretsDense:
		b = normalBody(r, r.IntN(4<<10), 60)
	case famEmpty:
		b = []byte(pick(r, []string{"", " ", "\n", "\n\n", "{}", "\t \r\n"}))
	case famInvalidUTF8:
		b = normalBody(r, r.IntN(4<<10), 20)
		for range 1 + r.IntN(20) {
			if len(b) > 0 {
				b[r.IntN(len(b))] = byte(0x80 + r.IntN(0x80))
			}
		}
	case famUnicode:
		var buf bytes.Buffer
		for range 5 + r.IntN(200) {
			if r.IntN(3) == 0 {
				buf.WriteString(pick(r, secrets))
			} else {
				buf.WriteString(pick(r, unicodeBits))
			}
			buf.WriteString(pick(r, []string{" ", "", "\n", ",", "@", ".", ":"}))
		}
		b = buf.Bytes()
	case famAdversarial:
		b = adversarialBody(r)
	case famRandomBytes:
		b = make([]byte, r.IntN(2048))
		for j := range b {
			b[j] = pick(r, []byte("0123456789abcdefABCDEF:.-@ +()\n\x00\xff\xc3\xa9_=/\"'"))
		}
	case famHuge:
		b = normalBody(r, 256<<10+r.IntN(64<<10), 5)
	}
	return b, familyNames[fam]
}

// fieldValues generates about twenty short values for the fields kernel from a body's seed.
func fieldValues(seed uint64, i int) [][]byte {
	r := rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, uint64(i)))
	vals := make([][]byte, 15+r.IntN(10))
	for j := range vals {
		switch r.IntN(6) {
		case 0:
			vals[j] = []byte(pick(r, secrets))
		case 1:
			vals[j] = []byte("  " + strings.ToUpper(pick(r, secrets)) + " \t")
		case 2:
			vals[j] = []byte(pick(r, unicodeBits) + "  " + pick(r, unicodeBits))
		case 3:
			v := make([]byte, r.IntN(40))
			for k := range v {
				v[k] = byte(r.IntN(256))
			}
			vals[j] = v
		case 4:
			vals[j] = []byte(pick(r, []string{"", " ", "-1", "-", "1.", ".5", "3.14", "007", "+", "+1234567", "a@b.c", "A@B.CO", "1 2 3 4 5 6 7", strings.Repeat("x", 300)}))
		default:
			vals[j] = []byte(fmt.Sprintf(" %s  %d ", pick(r, []string{"Ada", "Grace", "Alan"}), r.IntN(1000)))
		}
	}
	return vals
}
