package breaker

import (
	"sync"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *fakeClock               { return &fakeClock{t: time.Unix(1_000_000, 0)} }
func (c *fakeClock) String() string      { return c.t.String() }
func mustAllow(t *testing.T, b *Breaker) Ticket {
	t.Helper()
	tk, ok := b.Allow()
	if !ok {
		t.Fatalf("call refused in state %v", b.State())
	}
	return tk
}

// step is one action of a scenario: `calls` calls (the first `fail` of them failing) spaced `every`
// apart, or a pause; then the expected state.
type step struct {
	calls, fail int
	every       time.Duration
	wait        time.Duration
	want        State
}

func TestBreakerStateMachine(t *testing.T) {
	cfg := Config{Window: 10 * time.Second, MinCalls: 20, ErrorRate: 0.05, OpenFor: 30 * time.Second, HalfOpenCalls: 3, Buckets: 20}
	cases := []struct {
		name  string
		steps []step
	}{
		{"successes keep it closed", []step{{calls: 500, every: 10 * time.Millisecond, want: Closed}}},
		{"one failure in 19 calls is under the minimum", []step{{calls: 19, fail: 1, want: Closed}}},
		{"one failure in 20 calls is 5 %: opens", []step{{calls: 19, want: Closed}, {calls: 1, fail: 1, want: Open}}},
		{"a success that reaches the minimum at 5 % opens too", []step{{calls: 1, fail: 1, want: Closed}, {calls: 19, want: Open}}},
		{"one failure in 21 calls is under 5 %", []step{{calls: 20, want: Closed}, {calls: 1, fail: 1, want: Closed}}},
		{"failures older than the window do not count", []step{
			{calls: 1, fail: 1, want: Closed}, {wait: 11 * time.Second, want: Closed}, {calls: 19, want: Closed},
		}},
		{"calls spread over the window still count", []step{{calls: 30, fail: 0, every: 300 * time.Millisecond, want: Closed}, {calls: 2, fail: 2, want: Open}}},
		{"open stays open until OpenFor has passed", []step{
			{calls: 20, fail: 20, want: Open}, {wait: 29 * time.Second, want: Open}, {wait: time.Second, want: HalfOpen},
		}},
		{"half-open: all trial calls succeed, it closes", []step{
			{calls: 20, fail: 20, want: Open}, {wait: 30 * time.Second, want: HalfOpen}, {calls: 2, want: HalfOpen}, {calls: 1, want: Closed},
		}},
		{"half-open: a failing trial re-opens it for OpenFor again", []step{
			{calls: 20, fail: 20, want: Open}, {wait: 30 * time.Second, want: HalfOpen}, {calls: 1, want: HalfOpen},
			{calls: 1, fail: 1, want: Open}, {wait: 29 * time.Second, want: Open}, {wait: time.Second, want: HalfOpen},
		}},
		{"closing starts from an empty window", []step{
			{calls: 20, fail: 20, want: Open}, {wait: 30 * time.Second, want: HalfOpen}, {calls: 3, want: Closed},
			{calls: 1, fail: 1, want: Closed}, {calls: 18, want: Closed},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			b := New(cfg, clk.now, nil)
			for i, s := range c.steps {
				clk.add(s.wait)
				for k := range s.calls {
					tk := mustAllow(t, b)
					b.Done(tk, k < s.fail)
					clk.add(s.every)
				}
				if got := b.State(); got != s.want {
					t.Fatalf("step %d: state %v, want %v (%+v)", i, got, s.want, b.Snapshot())
				}
			}
		})
	}
}

func TestOpenRefusesAndHalfOpenAllowsOnlyTheTrialCalls(t *testing.T) {
	clk := newClock()
	b := New(Config{Window: 10 * time.Second, MinCalls: 2, ErrorRate: 0.5, OpenFor: time.Second, HalfOpenCalls: 2}, clk.now, nil)
	b.Done(mustAllow(t, b), true)
	b.Done(mustAllow(t, b), true)
	if _, ok := b.Allow(); ok {
		t.Fatal("an open breaker allowed a call")
	}
	clk.add(time.Second)
	t1, t2 := mustAllow(t, b), mustAllow(t, b)
	if _, ok := b.Allow(); ok {
		t.Fatal("half-open allowed a third trial call")
	}
	b.Done(t1, false)
	b.Done(t2, false)
	if b.State() != Closed {
		t.Fatalf("state %v after two good trials", b.State())
	}
}

func TestResultsOfCallsAllowedBeforeATransitionAreIgnored(t *testing.T) {
	clk := newClock()
	b := New(Config{Window: 10 * time.Second, MinCalls: 1, ErrorRate: 1, OpenFor: time.Second, HalfOpenCalls: 1}, clk.now, nil)
	stale := mustAllow(t, b)
	b.Done(mustAllow(t, b), true) // opens
	clk.add(time.Second)
	trial := mustAllow(t, b) // half-open
	b.Done(stale, true)      // from the closed generation: must not re-open
	if b.State() != HalfOpen {
		t.Fatalf("a stale failure changed the state to %v", b.State())
	}
	b.Done(trial, false)
	if b.State() != Closed {
		t.Fatalf("state %v", b.State())
	}
}

func TestTransitionsAreReportedInOrder(t *testing.T) {
	clk := newClock()
	var got []string
	b := New(Config{Window: 10 * time.Second, MinCalls: 1, ErrorRate: 1, OpenFor: time.Second, HalfOpenCalls: 1}, clk.now,
		func(from, to State) { got = append(got, from.String()+">"+to.String()) })
	b.Done(mustAllow(t, b), true)
	clk.add(time.Second)
	b.Done(mustAllow(t, b), true)
	clk.add(time.Second)
	b.Done(mustAllow(t, b), false)
	want := "closed>open half_open>open"
	if len(got) != 5 || got[0] != "closed>open" || got[1] != "open>half_open" || got[2] != "half_open>open" ||
		got[3] != "open>half_open" || got[4] != "half_open>closed" {
		t.Fatalf("transitions %v (want %s …)", got, want)
	}
}

// TestConcurrentCallsAreSafe is for the race detector (service/test.sh runs go test -race).
func TestConcurrentCallsAreSafe(t *testing.T) {
	var mu sync.Mutex
	clk := newClock()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); clk.add(time.Millisecond); return clk.t }
	b := New(Config{Window: time.Second, MinCalls: 5, ErrorRate: 0.2, OpenFor: 50 * time.Millisecond, HalfOpenCalls: 2}, now, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				if tk, ok := b.Allow(); ok {
					b.Done(tk, (i+g)%4 == 0)
				}
				_ = b.Snapshot()
			}
		}()
	}
	wg.Wait()
}
