//go:build rusthotspot

package hotspot

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"hotswap.local/service/internal/kernel"
)

// corpusSeed and corpusSize fix the differential corpus; the issue asks for at least 10,000 bodies.
const (
	corpusSeed = 20261121
	corpusSize = 10_000
)

func diffScan(in []byte) error {
	goCounts := make([]uint32, len(kernel.Rules))
	rustCounts := make([]uint32, len(kernel.Rules))
	want := kernel.Scan(in, goCounts)
	got, err := Scan(in, rustCounts)
	if err != nil {
		return fmt.Errorf("rust scan failed: %w", err)
	}
	if !bytes.Equal(want, got) {
		i := 0
		for i < len(want) && i < len(got) && want[i] == got[i] {
			i++
		}
		lo := max(0, i-40)
		return fmt.Errorf("redacted differ at byte %d: go %q… rust %q…", i,
			want[lo:min(len(want), i+40)], got[lo:min(len(got), i+40)])
	}
	for r := range goCounts {
		if goCounts[r] != rustCounts[r] {
			return fmt.Errorf("rule %s: go counts %d, rust %d", kernel.Rules[r].Name, goCounts[r], rustCounts[r])
		}
	}
	return nil
}

func diffFields(values [][]byte) error {
	batch, kinds, err := FieldsBatch(values)
	if err != nil {
		return fmt.Errorf("rust batch failed: %w", err)
	}
	for j, v := range values {
		want, wantKind := kernel.NormalizeField(v, nil)
		got, gotKind, err := Field(v, nil)
		if err != nil {
			return fmt.Errorf("rust field failed: %w", err)
		}
		if !bytes.Equal(want, got) || wantKind != gotKind {
			return fmt.Errorf("field %q: go %q/%v, rust %q/%v", v, want, wantKind, got, gotKind)
		}
		if !bytes.Equal(want, batch[j]) || wantKind != kinds[j] {
			return fmt.Errorf("field %q: go %q/%v, rust batch %q/%v", v, want, wantKind, batch[j], kinds[j])
		}
	}
	return nil
}

func diffOrder(id []byte) error {
	got, err := Order(id)
	if err != nil {
		return err
	}
	if want := kernel.Order(id); want != got {
		return fmt.Errorf("order %q: go %v, rust %v", id, want, got)
	}
	return nil
}

// TestDifferentialCorpus runs every kernel in Go and in Rust over the seeded corpus and requires 0
// mismatches. It logs the body count per family so the note can quote it.
func TestDifferentialCorpus(t *testing.T) {
	n := corpusSize
	if testing.Short() {
		n = 1000
	}
	// Two workers over interleaved indices: the corpus is fixed, only the wall time changes.
	type tally struct {
		perFamily              map[string]int
		totalBytes, mismatches int
	}
	const workers = 2
	tallies := make([]tally, workers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := range workers {
		wg.Go(func() {
			tl := tally{perFamily: map[string]int{}}
			for i := w; i < n; i += workers {
				b, fam := body(corpusSeed, i)
				tl.perFamily[fam]++
				tl.totalBytes += len(b)
				for _, err := range []error{diffScan(b), diffFields(fieldValues(corpusSeed, i)), diffOrder(b[:min(len(b), 64)])} {
					if err != nil {
						tl.mismatches++
						mu.Lock()
						t.Errorf("body %d (%s, seed %d): %v", i, fam, corpusSeed, err)
						mu.Unlock()
					}
				}
			}
			tallies[w] = tl
		})
	}
	wg.Wait()
	perFamily := map[string]int{}
	totalBytes, mismatches := 0, 0
	for _, tl := range tallies {
		for k, v := range tl.perFamily {
			perFamily[k] += v
		}
		totalBytes += tl.totalBytes
		mismatches += tl.mismatches
	}
	t.Logf("differential corpus: %d bodies, %d bytes, %d mismatches, per family %v", n, totalBytes, mismatches, perFamily)
	if mismatches > 0 {
		t.Fatalf("%d mismatches between the Go and Rust kernels", mismatches)
	}
}

// FuzzDifferential feeds arbitrary bytes to both implementations of every kernel.
func FuzzDifferential(f *testing.F) {
	// Small seeds from every family: the Go regexp kernel under coverage instrumentation is slow, and
	// short inputs let the fuzzer try many more of them in its time budget.
	for i := range 2 * numFamilies {
		b, _ := body(corpusSeed, i)
		f.Add(b[:min(len(b), 512)])
	}
	for _, s := range secrets {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		in = in[:min(len(in), 4096)]
		if err := diffScan(in); err != nil {
			t.Fatal(err)
		}
		if err := diffFields(bytes.Split(in, []byte{0})); err != nil {
			t.Fatal(err)
		}
		if err := diffOrder(in); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRustReportsTwentyRulesLikeGo(t *testing.T) {
	if Noop() != 0 {
		t.Fatal("noop returned non-zero")
	}
	counts := make([]uint32, len(kernel.Rules)-1)
	if _, err := Scan([]byte("x"), counts); Reason(err) != "argument" {
		t.Fatalf("a counts slice shorter than the rule table should be refused, got %v", err)
	}
}

func TestInjectedPanicAndErrorComeBackAsErrors(t *testing.T) {
	SetTestHooks(true)
	defer SetTestHooks(false)
	counts := make([]uint32, len(kernel.Rules))
	if _, err := Scan([]byte("a HOTSWAP-TEST-PANIC b"), counts); Reason(err) != "panic" {
		t.Fatalf("panic: got %v", err)
	}
	if _, _, err := Field([]byte("HOTSWAP-TEST-ERROR"), nil); Reason(err) != "injected" {
		t.Fatalf("error: got %v", err)
	}
	if _, err := Scan([]byte("still works after a panic: 10.0.0.1"), counts); err != nil {
		t.Fatalf("crate unusable after a caught panic: %v", err)
	}
}

func TestAllocatorCountsRustBytes(t *testing.T) {
	before := AllocBytes()
	counts := make([]uint32, len(kernel.Rules))
	if _, err := Scan(bytes.Repeat([]byte("mail ada@example.org "), 1000), counts); err != nil {
		t.Fatal(err)
	}
	if AllocBytes() <= before {
		t.Fatal("the Rust allocation counter did not move after a scan that must allocate")
	}
}
