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
	type out struct {
		counts   []uint32
		redacted []byte
	}
	var res result
	hot(c, &res, func() out {
		counts := make([]uint32, len(kernel.Rules))
		return out{counts, kernel.Scan(body, counts)}
	}, func(res *result) (out, error) {
		counts := make([]uint32, len(kernel.Rules))
		res.cgoCalls++
		redacted, err := hotspot.Scan(body, counts)
		return out{counts, redacted}, err
	}, func(o out) []byte { return scanResponse(o.counts, o.redacted) })
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
	batch := r.URL.Query().Get("batch") == "1"
	var res result
	hot(c, &res, func() fieldsOut {
		o := fieldsOut{make([][]byte, len(values)), make([]kernel.Kind, len(values))}
		for i, v := range values {
			o.normalized[i], o.kinds[i] = kernel.NormalizeField(v, nil)
		}
		return o
	}, func(res *result) (fieldsOut, error) {
		return rustFields(res, batch, values)
	}, func(o fieldsOut) []byte {
		resp := fieldsResponse{Fields: make(map[string]fieldResult, len(names))}
		for i, name := range names {
			valid := o.kinds[i].Valid(len(o.normalized[i]))
			resp.Fields[name] = fieldResult{Value: string(o.normalized[i]), Kind: o.kinds[i].String(), Valid: valid}
			if valid {
				resp.Valid++
			} else {
				resp.Invalid++
			}
		}
		b, _ := json.Marshal(resp)
		return append(b, '\n')
	})
	return res
}

type fieldsOut struct {
	normalized [][]byte
	kinds      []kernel.Kind
}

// rustFields normalises the values in Rust: one crossing for all (batch) or one per field (the lesson:
// many tiny cgo crossings). The first failed crossing fails the call; the caller then redoes all of it
// in Go.
func rustFields(res *result, batch bool, values [][]byte) (fieldsOut, error) {
	if batch {
		res.cgoCalls++
		normalized, kinds, err := hotspot.FieldsBatch(values)
		return fieldsOut{normalized, kinds}, err
	}
	o := fieldsOut{make([][]byte, len(values)), make([]kernel.Kind, len(values))}
	for i, v := range values {
		res.cgoCalls++
		var err error
		if o.normalized[i], o.kinds[i], err = hotspot.Field(v, nil); err != nil {
			return o, err
		}
	}
	return o, nil
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
	waitStart := time.Now()
	select {
	case <-time.After(downstreamWait(s.cfg.Seed, c.seq, s.cfg.DownstreamMs)):
	case <-r.Context().Done():
		return clientError(http.StatusServiceUnavailable, "request cancelled while waiting on the downstream")
	}
	var res result
	res.downstream = time.Since(waitStart)
	idb := []byte(id)
	hot(c, &res, func() [3]uint64 { return kernel.Order(idb) }, func(res *result) ([3]uint64, error) {
		res.cgoCalls++
		return hotspot.Order(idb)
	}, func(o [3]uint64) []byte {
		b, _ := json.Marshal(struct {
			ID         string `json:"id"`
			Items      uint64 `json:"items"`
			TotalCents uint64 `json:"totalCents"`
			Checksum   string `json:"checksum"`
		}{id, o[0], o[1], fmt.Sprintf("%016x", o[2])})
		return append(b, '\n')
	})
	return res
}
