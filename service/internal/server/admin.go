package server

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"hotswap.local/service/internal/hotspot"
)

type adminRequest struct {
	Impl             *string `json:"impl"`
	RustSharePercent *int    `json:"rustSharePercent"`
}

type adminState struct {
	Impl             string `json:"impl"`
	RustSharePercent int    `json:"rustSharePercent"`
	RustAvailable    bool   `json:"rustAvailable"`
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

// admin: POST /admin/hotspot changes the implementation and the Rust share live. 403 to any peer that
// is not loopback, and to everyone when no token is configured; 401 without the right bearer token.
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
	s.mu.Unlock()
	state, _ := json.Marshal(adminState{Impl: impl, RustSharePercent: share, RustAvailable: hotspot.Available})
	reply(http.StatusOK, append(state, '\n'))
}
