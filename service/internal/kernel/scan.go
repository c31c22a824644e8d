// Package kernel holds the pure-Go hotspot kernels of the reference service: scan (regular-expression
// redaction), fields (per-field normalisation) and orders (a little work after a downstream wait). The
// Rust crate in service/hotspot implements the same three, and every response must come out
// byte-identical whichever served it; the differential tests in internal/hotspot hold them to that.
package kernel

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
)

//go:embed rules.tsv
var rulesTSV string

// Rule is one compiled scan rule.
type Rule struct {
	Name  string
	Token []byte // the replacement, "[name]"
	Luhn  bool   // matches count only when their digits pass the Luhn checksum
	Re    *regexp.Regexp
}

// Rules is the rule table, compiled once at start-up, in the order it is applied.
var Rules = mustParseRules(rulesTSV)

func mustParseRules(tsv string) []Rule {
	var rules []Rule
	for line := range strings.Lines(tsv) {
		line = strings.TrimRight(line, "\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			panic(fmt.Sprintf("rules.tsv: malformed line %q", line))
		}
		rules = append(rules, Rule{
			Name:  parts[0],
			Token: []byte("[" + parts[0] + "]"),
			Luhn:  parts[1] == "luhn",
			Re:    regexp.MustCompile(parts[2]),
		})
	}
	return rules
}

// LuhnOK reports whether the ASCII digits of s (other bytes skipped) pass the Luhn checksum
// (ISO/IEC 7812-1, annex B). A string without digits fails.
func LuhnOK(s []byte) bool {
	sum, digits, double := 0, 0, false
	for i := len(s) - 1; i >= 0; i-- {
		b := s[i]
		if b < '0' || b > '9' {
			continue
		}
		d := int(b - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
		digits++
	}
	return digits > 0 && sum%10 == 0
}

// Scan applies every rule in order, each to the previous rule's output, replacing each match with the
// rule's token, and writes the match count of rule i to counts[i] (len(counts) >= len(Rules)). It
// returns in itself when nothing matched.
func Scan(in []byte, counts []uint32) []byte {
	cur := in
	for i, rule := range Rules {
		var out []byte
		last, n := 0, uint32(0)
		for _, m := range rule.Re.FindAllIndex(cur, -1) {
			if rule.Luhn && !LuhnOK(cur[m[0]:m[1]]) {
				continue
			}
			if out == nil {
				out = make([]byte, 0, len(cur))
			}
			out = append(out, cur[last:m[0]]...)
			out = append(out, rule.Token...)
			last = m[1]
			n++
		}
		if out != nil {
			cur = append(out, cur[last:]...)
		}
		counts[i] = n
	}
	return cur
}
