package server

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"time"

	"hotswap.local/service/internal/hotspot"
	"hotswap.local/service/internal/kernel"
)

// scan: POST /v1/scan. The body is scanned as raw text (NDJSON lines are not parsed: a log scanner
// must cope with any bytes), so it never answers 400 for content, only 413 for size.
func (s *Server) scan(c *call, w http.ResponseWriter, r *http.Request) result {
	body, bad := s.readBody(w, r)
	if bad != nil {
		return *bad
	}
	counts := make([]uint32, len(kernel.Rules))
	start := time.Now()
	var redacted []byte
	res := result{status: http.StatusOK}
	if c.rust {
		var err error
		res.cgoCalls = 1
		if redacted, err = hotspot.Scan(body, counts); err != nil {
			c.fallback(err)
			res.impl = "go-fallback"
			redacted = kernel.Scan(body, counts)
		}
	} else {
		redacted = kernel.Scan(body, counts)
	}
	res.hotspot = time.Since(start)
	res.body = scanResponse(counts, redacted)
	return res
}

// scanResponse is {"counts":{rule:n,…},"redacted":"…"} with the rules in table order.
func scanResponse(counts []uint32, redacted []byte) []byte {
	b := make([]byte, 0, len(redacted)+64+24*len(counts))
	b = append(b, `{"counts":{`...)
	for i, rule := range kernel.Rules {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, rule.Name)
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(counts[i]), 10)
	}
	b = append(b, `},"redacted":`...)
	str, _ := json.Marshal(string(redacted)) // invalid UTF-8 becomes U+FFFD, as JSON requires
	b = append(b, str...)
	return append(b, "}\n"...)
}

type fieldResult struct {
	Value string `json:"value"`
	Kind  string `json:"kind"`
	Valid bool   `json:"valid"`
}

type fieldsResponse struct {
	Fields  map[string]fieldResult `json:"fields"`
	Valid   int                    `json:"valid"`
	Invalid int                    `json:"invalid"`
}

// maxFields bounds the work one /v1/fields request can ask for.
const maxFields = 1000

// fields: POST /v1/fields. One hotspot call per field (the lesson: many tiny cgo crossings), or one
// crossing for all with ?batch=1.
func (s *Server) fields(c *call, w http.ResponseWriter, r *http.Request) result {
	body, bad := s.readBody(w, r)
	if bad != nil {
		return *bad
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		return clientError(http.StatusBadRequest, "malformed JSON: "+err.Error())
	}
	if obj == nil {
		return clientError(http.StatusBadRequest, "malformed JSON: the body must be a JSON object of string fields")
	}
	if len(obj) > maxFields {
		return clientError(http.StatusBadRequest, fmt.Sprintf("too many fields: %d > %d", len(obj), maxFields))
	}
	names := make([]string, 0, len(obj))
	values := make([][]byte, 0, len(obj))
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		v, ok := obj[name].(string)
		if !ok {
			return clientError(http.StatusBadRequest, fmt.Sprintf("field %q must be a string", name))
		}
		names = append(names, name)
		values = append(values, []byte(v))
	}
	start := time.Now()
	res := result{status: http.StatusOK}
	normalized, kinds := s.normalize(c, r.URL.Query().Get("batch") == "1", values, &res)
	res.hotspot = time.Since(start)
	out := fieldsResponse{Fields: make(map[string]fieldResult, len(names))}
	for i, name := range names {
		valid := kinds[i].Valid(len(normalized[i]))
		out.Fields[name] = fieldResult{Value: string(normalized[i]), Kind: kinds[i].String(), Valid: valid}
		if valid {
			out.Valid++
		} else {
			out.Invalid++
		}
	}
	res.body, _ = json.Marshal(out)
	res.body = append(res.body, '\n')
	return res
}

func (s *Server) normalize(c *call, batch bool, values [][]byte, res *result) ([][]byte, []kernel.Kind) {
	out := make([][]byte, len(values))
	kinds := make([]kernel.Kind, len(values))
	goAll := func() {
		for i, v := range values {
			out[i], kinds[i] = kernel.NormalizeField(v, nil)
		}
	}
	switch {
	case !c.rust:
		goAll()
	case batch:
		res.cgoCalls = 1
		var err error
		if out, kinds, err = hotspot.FieldsBatch(values); err != nil {
			c.fallback(err)
			res.impl = "go-fallback"
			out, kinds = make([][]byte, len(values)), make([]kernel.Kind, len(values))
			goAll()
		}
	default:
		for i, v := range values {
			res.cgoCalls++
			var err error
			if out[i], kinds[i], err = hotspot.Field(v, nil); err != nil {
				c.fallback(err)
				res.impl = "go-fallback"
				out[i], kinds[i] = kernel.NormalizeField(v, nil)
			}
		}
	}
	return out, kinds
}

// maxOrderID bounds the id's length.
const maxOrderID = 128

// downstreamSigma is the log-normal spread of the simulated downstream wait (median DownstreamMs).
const downstreamSigma = 0.25

// downstreamWait is the simulated downstream call for request seq: log-normal around the median,
// drawn from a generator seeded by (seed, seq), so a replay of the same sequence waits the same.
func downstreamWait(seed, seq uint64, medianMs float64) time.Duration {
	if medianMs <= 0 {
		return 0
	}
	z := rand.New(rand.NewPCG(seed, seq)).NormFloat64()
	return time.Duration(medianMs * math.Exp(downstreamSigma*z) * float64(time.Millisecond))
}

// orders: GET /v1/orders/{id}. Waits on the downstream, then a little hotspot work Rust cannot speed up
// in any way that shows next to the wait.
func (s *Server) orders(c *call, _ http.ResponseWriter, r *http.Request) result {
	id := r.PathValue("id")
	if len(id) > maxOrderID {
		return clientError(http.StatusBadRequest, fmt.Sprintf("order id longer than %d bytes", maxOrderID))
	}
	select {
	case <-time.After(downstreamWait(s.cfg.Seed, c.seq, s.cfg.DownstreamMs)):
	case <-r.Context().Done():
		return clientError(http.StatusServiceUnavailable, "request cancelled while waiting on the downstream")
	}
	start := time.Now()
	res := result{status: http.StatusOK}
	var o [3]uint64
	if c.rust {
		var err error
		res.cgoCalls = 1
		if o, err = hotspot.Order([]byte(id)); err != nil {
			c.fallback(err)
			res.impl = "go-fallback"
			o = kernel.Order([]byte(id))
		}
	} else {
		o = kernel.Order([]byte(id))
	}
	res.hotspot = time.Since(start)
	res.body, _ = json.Marshal(struct {
		ID         string `json:"id"`
		Items      uint64 `json:"items"`
		TotalCents uint64 `json:"totalCents"`
		Checksum   string `json:"checksum"`
	}{id, o[0], o[1], fmt.Sprintf("%016x", o[2])})
	res.body = append(res.body, '\n')
	return res
}
