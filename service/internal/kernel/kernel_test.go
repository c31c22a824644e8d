package kernel

import (
	"testing"
)

func scanString(s string) (string, map[string]uint32) {
	counts := make([]uint32, len(Rules))
	out := Scan([]byte(s), counts)
	m := map[string]uint32{}
	for i, r := range Rules {
		if counts[i] > 0 {
			m[r.Name] = counts[i]
		}
	}
	return string(out), m
}

func TestRuleTableHasTwentyRules(t *testing.T) {
	if len(Rules) != 20 {
		t.Fatalf("got %d rules, want 20", len(Rules))
	}
}

func TestScanRedactsEachKindOfSecret(t *testing.T) {
	cases := []struct{ in, want, rule string }{
		{`{"user":"Ada.Lovelace@example.org"}`, `{"user":"[email]"}`, "email"},
		{"pay 4111 1111 1111 1111", "pay [card_number]", "card_number"},
		{"from 10.0.0.1 ok", "from [ipv4] ok", "ipv4"},
		{"from fe80::1 ok", "from [ipv6] ok", "ipv6"},
		{"from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok", "from [ipv6] ok", "ipv6"},
		{"key AKIAABCDEFGHIJKLMNOP", "key [aws_access_key]", "aws_access_key"},
		{"call +1 415-555-0100 now", "call [phone] now", "phone"},
		{"ssn 078-05-1120.", "ssn [us_ssn].", "us_ssn"},
		{"password=hunter22!", "[password_kv]", "password_kv"},
		{"https://bob:s3cret@host/x", "[url_credentials]host/x", "url_credentials"},
	}
	for _, c := range cases {
		got, counts := scanString(c.in)
		if got != c.want || counts[c.rule] != 1 {
			t.Errorf("Scan(%q) = %q %v, want %q with one %s", c.in, got, counts, c.want, c.rule)
		}
	}
}

func TestScanKeepsCardLikeNumbersThatFailLuhn(t *testing.T) {
	got, counts := scanString("id 4111 1111 1111 1112")
	if got != "id 4111 1111 1111 1112" || counts["card_number"] != 0 {
		t.Fatalf("got %q %v", got, counts)
	}
}

func TestScanLeavesCleanInputUntouchedAndUncopied(t *testing.T) {
	in := []byte(`{"level":"info","msg":"nothing to see"}`)
	counts := make([]uint32, len(Rules))
	out := Scan(in, counts)
	if &out[0] != &in[0] {
		t.Fatal("clean input was copied")
	}
}

func TestLuhnReferenceValues(t *testing.T) {
	if !LuhnOK([]byte("79927398713")) || LuhnOK([]byte("79927398710")) || LuhnOK(nil) {
		t.Fatal("Luhn reference values from ISO/IEC 7812-1 annex B do not hold")
	}
}

func TestNormalizeFieldClassifies(t *testing.T) {
	cases := []struct {
		in, want string
		kind     Kind
	}{
		{"  Ada@Example.ORG ", "ada@example.org", KindEmail},
		{"+44 (20) 7946-0958", "+442079460958", KindPhone},
		{"-12.50", "-12.50", KindNumber},
		{" a \t\n b ", "a b", KindText},
		{"   ", "", KindEmpty},
		{"a\x01b", "a\x01b", KindInvalid},
		{"a@b..c", "a@b..c", KindText},
		{"café  au lait", "café au lait", KindText},
	}
	for _, c := range cases {
		got, kind := NormalizeField([]byte(c.in), nil)
		if string(got) != c.want || kind != c.kind {
			t.Errorf("NormalizeField(%q) = %q %v, want %q %v", c.in, got, kind, c.want, c.kind)
		}
	}
}

func TestFNVReferenceVectors(t *testing.T) {
	if FNV1a64(nil) != 0xcbf29ce484222325 || FNV1a64([]byte("a")) != 0xaf63dc4c8601ec8c {
		t.Fatal("FNV-1a 64 reference vectors do not hold")
	}
}

func TestOrderIsDeterministicPerID(t *testing.T) {
	a, b, c := Order([]byte("42")), Order([]byte("42")), Order([]byte("43"))
	if a != b || a == c || a[0] < 1 || a[0] > 5 {
		t.Fatalf("Order: %v %v %v", a, b, c)
	}
}
