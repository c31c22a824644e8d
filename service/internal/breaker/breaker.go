// Package breaker is a failure-rate circuit breaker (the shape of failsafe-go's time-based failure-rate
// threshold and sony/gobreaker's two-step breaker) around the Rust path of the reference service.
//
//   - closed: every call is allowed; results go into a sliding window of Window (Buckets slices). When
//     the window holds at least MinCalls calls and their failure share is ≥ ErrorRate, it opens.
//   - open: no call is allowed for OpenFor; then it is half-open.
//   - half-open: HalfOpenCalls trial calls are allowed; the first failure re-opens it, HalfOpenCalls
//     successes close it (with an empty window).
//
// It is written here rather than taken from gobreaker (its closed-state counts reset every Interval, a
// tumbling window that splits a burst at the boundary, and it reads time.Now itself) or failsafe-go (a
// whole policy framework for one breaker, also without a clock to inject): about a hundred lines with a
// clock the tests control. Safe for concurrent use.
package breaker

import (
	"sync"
	"time"
)

// State is the breaker's state; the numbers are the hotswap_breaker_state gauge's values.
type State int

const (
	Closed   State = 0
	Open     State = 1
	HalfOpen State = 2
)

func (s State) String() string {
	switch s {
	case Open:
		return "open"
	case HalfOpen:
		return "half_open"
	}
	return "closed"
}

// Config is what the -breaker-* flags set.
type Config struct {
	Window        time.Duration // sliding window of the failure rate (10s)
	MinCalls      int           // fewest calls in the window before it may open (20)
	ErrorRate     float64       // failure share that opens it, 0..1 (0.05)
	OpenFor       time.Duration // how long it stays open before trying again (30s)
	HalfOpenCalls int           // trial calls in half-open; that many successes close it (5)
	Buckets       int           // slices of the window (20: the window slides in Window/20 steps)
}

// Defaults are the flags' defaults.
var Defaults = Config{Window: 10 * time.Second, MinCalls: 20, ErrorRate: 0.05, OpenFor: 30 * time.Second, HalfOpenCalls: 5, Buckets: 20}

type bucket struct {
	idx             int64 // which slice of time it holds (time since base / width)
	calls, failures int
}

// Breaker is the state machine. The zero value is not usable; call New.
type Breaker struct {
	cfg          Config
	now          func() time.Time
	onTransition func(from, to State)

	mu         sync.Mutex
	state      State
	gen        uint64 // changes on every transition; results of calls allowed earlier are ignored
	base       time.Time
	width      time.Duration
	buckets    []bucket
	openedAt   time.Time
	trials     int // half-open: trial calls allowed so far
	successes  int // half-open: trial calls that succeeded
	lastChange time.Time
}

// Ticket is one allowed call; pass it to Done.
type Ticket struct{ gen uint64 }

// New builds a closed breaker; now is the clock (time.Now in the service, a fake one in tests) and
// onTransition (may be nil) is called, under the breaker's lock, on every change of state.
func New(cfg Config, now func() time.Time, onTransition func(from, to State)) *Breaker {
	if cfg.Buckets <= 0 {
		cfg.Buckets = Defaults.Buckets
	}
	if cfg.HalfOpenCalls <= 0 {
		cfg.HalfOpenCalls = Defaults.HalfOpenCalls
	}
	width := cfg.Window / time.Duration(cfg.Buckets)
	if width <= 0 {
		width = time.Nanosecond
	}
	t := now()
	b := &Breaker{cfg: cfg, now: now, onTransition: onTransition, base: t, width: width, lastChange: t,
		buckets: make([]bucket, cfg.Buckets)}
	b.resetWindow()
	return b
}

func (b *Breaker) resetWindow() {
	for i := range b.buckets {
		b.buckets[i] = bucket{idx: -1}
	}
}

func (b *Breaker) to(s State, t time.Time) {
	from := b.state
	b.state, b.gen, b.lastChange = s, b.gen+1, t
	b.trials, b.successes = 0, 0
	switch s {
	case Open:
		b.openedAt = t
	case Closed:
		b.resetWindow()
	}
	if b.onTransition != nil {
		b.onTransition(from, s)
	}
}

// tick moves an open breaker whose time is up to half-open.
func (b *Breaker) tick(t time.Time) {
	if b.state == Open && t.Sub(b.openedAt) >= b.cfg.OpenFor {
		b.to(HalfOpen, t)
	}
}

// Allow says whether a call may go to the guarded path now; when it may, Done must follow.
func (b *Breaker) Allow() (Ticket, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tick(b.now())
	switch b.state {
	case Open:
		return Ticket{}, false
	case HalfOpen:
		if b.trials >= b.cfg.HalfOpenCalls {
			return Ticket{}, false
		}
		b.trials++
	}
	return Ticket{gen: b.gen}, true
}

// Done records the outcome of an allowed call. A call allowed before the last transition is ignored.
func (b *Breaker) Done(tk Ticket, failed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.now()
	if tk.gen != b.gen {
		return
	}
	switch b.state {
	case HalfOpen:
		if failed {
			b.to(Open, t)
			return
		}
		if b.successes++; b.successes >= b.cfg.HalfOpenCalls {
			b.to(Closed, t)
		}
	case Closed:
		idx := int64(t.Sub(b.base) / b.width)
		bk := &b.buckets[int(idx%int64(len(b.buckets)))]
		if bk.idx != idx {
			*bk = bucket{idx: idx}
		}
		bk.calls++
		if failed {
			bk.failures++
		}
		calls, failures := b.windowLocked(idx)
		if calls >= b.cfg.MinCalls && float64(failures) >= b.cfg.ErrorRate*float64(calls) {
			b.to(Open, t)
		}
	}
}

// windowLocked sums the buckets still inside the window that ends in slice idx.
func (b *Breaker) windowLocked(idx int64) (calls, failures int) {
	oldest := idx - int64(len(b.buckets)) + 1
	for _, bk := range b.buckets {
		if bk.idx >= oldest && bk.idx <= idx {
			calls += bk.calls
			failures += bk.failures
		}
	}
	return calls, failures
}

// Snapshot is the breaker as GET /admin/hotspot shows it.
type Snapshot struct {
	State          string  `json:"state"`
	WindowCalls    int     `json:"windowCalls"`
	WindowFailures int     `json:"windowFailures"`
	SinceSeconds   float64 `json:"sinceSeconds"`                // time in the current state
	ReopenSeconds  float64 `json:"halfOpenInSeconds,omitempty"` // open: time left until half-open
}

// State returns the current state (an open breaker whose time is up becomes half-open here).
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tick(b.now())
	return b.state
}

// Snapshot returns the state with the window's counts.
func (b *Breaker) Snapshot() Snapshot {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.now()
	b.tick(t)
	s := Snapshot{State: b.state.String(), SinceSeconds: t.Sub(b.lastChange).Seconds()}
	if b.state == Closed {
		s.WindowCalls, s.WindowFailures = b.windowLocked(int64(t.Sub(b.base) / b.width))
	}
	if b.state == Open {
		s.ReopenSeconds = (b.cfg.OpenFor - t.Sub(b.openedAt)).Seconds()
	}
	return s
}
