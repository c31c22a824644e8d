package kernel

import "bytes"

// Kind classifies a normalised field value. The numbers are part of the C ABI (hotspot.h).
type Kind uint8

// The kinds, in ABI order.
const (
	KindEmpty Kind = iota
	KindText
	KindEmail
	KindPhone
	KindNumber
	KindInvalid
)

// MaxTextBytes is the longest text value still counted as valid.
const MaxTextBytes = 256

var kindNames = [...]string{"empty", "text", "email", "phone", "number", "invalid"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Valid says whether a value of this kind and length passes validation.
func (k Kind) Valid(n int) bool {
	switch k {
	case KindEmail, KindPhone, KindNumber:
		return true
	case KindText:
		return n <= MaxTextBytes
	}
	return false
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// NormalizeField appends the normalised v to out[:0] and returns it with its kind. Steps, identical in
// the Rust crate (fields.rs): trim ASCII white space and collapse inner runs to one space; empty →
// empty; any control byte → invalid; a number ([-]digits[.digits]) stays as is; an e-mail address is
// lower-cased (ASCII); a phone number keeps its leading '+' and digits; anything else is text. The
// result is never longer than v.
func NormalizeField(v, out []byte) ([]byte, Kind) {
	out = out[:0]
	pending := false
	for _, b := range v {
		if isSpace(b) {
			pending = len(out) > 0
			continue
		}
		if pending {
			out = append(out, ' ')
			pending = false
		}
		out = append(out, b)
	}
	switch {
	case len(out) == 0:
		return out, KindEmpty
	case bytes.ContainsFunc(out, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return out, KindInvalid
	case isNumber(out):
		return out, KindNumber
	case isEmail(out):
		for i, b := range out {
			if 'A' <= b && b <= 'Z' {
				out[i] = b + ('a' - 'A')
			}
		}
		return out, KindEmail
	case isPhone(out):
		plus := out[0] == '+'
		n := 0
		if plus {
			n = 1
		}
		for _, b := range out {
			if isDigit(b) {
				out[n] = b
				n++
			}
		}
		return out[:n], KindPhone
	}
	return out, KindText
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func allDigits(p []byte) bool {
	if len(p) == 0 {
		return false
	}
	for _, b := range p {
		if !isDigit(b) {
			return false
		}
	}
	return true
}

func isNumber(s []byte) bool {
	s = bytes.TrimPrefix(s, []byte("-"))
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		return allDigits(s[:i]) && allDigits(s[i+1:])
	}
	return allDigits(s)
}

func isAlnum(b byte) bool { return isDigit(b) || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') }

func isEmail(s []byte) bool {
	at := bytes.IndexByte(s, '@')
	if at < 0 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if len(local) < 1 || len(local) > 64 || len(domain) < 3 || len(domain) > 253 {
		return false
	}
	for _, b := range local {
		if b < 0x21 || b > 0x7e || b == '@' {
			return false
		}
	}
	for _, b := range domain {
		if !isAlnum(b) && b != '.' && b != '-' {
			return false
		}
	}
	first, last := domain[0], domain[len(domain)-1]
	return bytes.IndexByte(domain, '.') >= 0 && !bytes.Contains(domain, []byte("..")) &&
		first != '.' && first != '-' && last != '.' && last != '-'
}

func isPhone(s []byte) bool {
	digits := 0
	for i, b := range s {
		switch {
		case isDigit(b):
			digits++
		case b == '-' || b == '(' || b == ')' || b == '.' || b == ' ':
		case b == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}
