//go:build !rusthotspot

package hotspot

import "testing"

func TestStubSaysRustIsUnavailable(t *testing.T) {
	if Available {
		t.Fatal("stub build claims the Rust crate")
	}
	if _, err := Scan([]byte("x"), make([]uint32, 20)); Reason(err) != "unavailable" {
		t.Fatalf("got %v", err)
	}
	if _, err := Order([]byte("1")); Reason(err) != "unavailable" {
		t.Fatalf("got %v", err)
	}
}
