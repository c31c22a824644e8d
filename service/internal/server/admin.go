package server

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"

	"hotswap.local/service/internal/breaker"
	"hotswap.local/service/internal/hotspot"
)

type adminRequest struct {
	Impl             *string  `json:"impl"`
	RustSharePercent *int     `json:"rustSharePercent"`
	FaultRate        *float64 `json:"faultRate"`
}

// adminState is what GET and POST /admin/hotspot answer.
type adminState struct {
	Impl                string           `json:"impl"`
	RustSharePercent    int              `json:"rustSharePercent"`
	RustAvailable       bool             `json:"rustAvailable"`
	FaultRate           float64          `json:"faultRate"`
	FaultInjection      bool             `json:"faultInjectionAllowed"`
	ShadowPercent       int              `json:"shadowPercent"`
	Breaker             breaker.Snapshot `json:"breaker"`
	BreakerWindowSec    float64          `json:"breakerWindowSeconds"`
	BreakerMinCalls     int              `json:"breakerMinCalls"`
	BreakerErrorRate    float64          `json:"breakerErrorRate"`
	BreakerOpenForSec   float64          `json:"breakerOpenForSeconds"`
	BreakerHalfOpenCall int              `json:"breakerHalfOpenCalls"`
}

func (s *Server) state(impl string, share int) []byte {
	b := s.cfg.Breaker
	st, _ := json.Marshal(adminState{
		Impl: impl, RustSharePercent: share, RustAvailable: hotspot.Available,
		FaultRate: s.faultRate(), FaultInjection: s.cfg.AllowFaultInjection, ShadowPercent: s.cfg.ShadowPercent,
		Breaker: s.breaker.Snapshot(), BreakerWindowSec: b.Window.Seconds(), BreakerMinCalls: b.MinCalls,
		BreakerErrorRate: b.ErrorRate, BreakerOpenForSec: b.OpenFor.Seconds(), BreakerHalfOpenCall: b.HalfOpenCalls,
	})
	return append(st, '\n')
}

// loopback reports whether the peer of r is on this machine.
func loopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// bearerOK compares the bearer token in constant time.
func bearerOK(r *http.Request, token string) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// admin: GET /admin/hotspot answers the live state (implementation, share, fault rate, breaker); POST
// changes the implementation, the Rust share and (only with -allow-fault-injection, else 403) the
// injected fault rate live, answering the new state. 403 to any peer that is not loopback, and to
// everyone when no token is configured; 401 without the right bearer token.
func (s *Server) admin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, body []byte) {
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
	switch {
	case !loopback(r):
		reply(http.StatusForbidden, errorBody("the admin endpoint answers loopback peers only"))
		return
	case s.cfg.AdminToken == "":
		reply(http.StatusForbidden, errorBody("the admin endpoint is disabled: start the service with -admin-token"))
		return
	case !bearerOK(r, s.cfg.AdminToken):
		w.Header().Set("WWW-Authenticate", `Bearer realm="hotswap-admin"`)
		reply(http.StatusUnauthorized, errorBody("missing or wrong bearer token"))
		return
	}
	if r.Method == http.MethodGet {
		s.mu.RLock()
		impl, share := s.impl, s.share
		s.mu.RUnlock()
		reply(http.StatusOK, s.state(impl, share))
		return
	}
	body, bad := s.readBody(w, r)
	if bad != nil {
		reply(bad.status, bad.body)
		return
	}
	var req adminRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		reply(http.StatusBadRequest, errorBody("malformed JSON: "+err.Error()))
		return
	}
	if req.FaultRate != nil {
		switch f := *req.FaultRate; {
		case !s.cfg.AllowFaultInjection:
			reply(http.StatusForbidden, errorBody("fault injection is off: start the service with -allow-fault-injection"))
			return
		case !(f >= 0 && f <= 1):
			reply(http.StatusBadRequest, errorBody(fmt.Sprintf("faultRate must be 0..1, got %v", f)))
			return
		}
	}
	s.mu.Lock()
	impl, share := s.impl, s.share
	if req.Impl != nil {
		impl = *req.Impl
	}
	if req.RustSharePercent != nil {
		share = *req.RustSharePercent
	}
	if err := validate(impl, share); err != nil {
		s.mu.Unlock()
		reply(http.StatusBadRequest, errorBody(err.Error()))
		return
	}
	s.impl, s.share = impl, share
	s.metrics.setState(impl, share)
	if req.FaultRate != nil {
		s.setFaultRate(*req.FaultRate)
	}
	s.mu.Unlock()
	reply(http.StatusOK, s.state(impl, share))
}
