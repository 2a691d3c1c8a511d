package synthesis

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/limpide/limpide/cluster"
)

// fuzzCorpus is a small real corpus with a duplicate, and its report.
var fuzzCorpus = sync.OnceValues(func() ([]Contribution, []byte) {
	in, err := sampleContributions(60)
	if err != nil {
		panic(err)
	}
	in = withCampaign(in)
	rep, err := Run(context.Background(), in, Config{Cluster: cluster.Config{K: 3}, StabilityRuns: 1})
	if err != nil {
		panic(err)
	}
	b, err := rep.MarshalJSONBytes()
	if err != nil {
		panic(err)
	}
	return in, b
})

// FuzzReadJSONVerify feeds arbitrary bytes to VerifyJSON, FindContribution,
// and to ReadJSON and, when they decode, to Verify: none may panic, and
// neither verifier may accept bytes that do not encode to the true report.
func FuzzReadJSONVerify(f *testing.F) {
	in, good := fuzzCorpus()
	f.Add(good)
	f.Add([]byte(`{"schema":"limpide.report/v1"}`))
	f.Add([]byte(`{"schema":"limpide.report/v1","themes":[{"representatives":[{"quote":{"start":-5,"end":99999}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// VerifyJSON, on the bytes as they are, may only accept what
		// decodes and encodes to the true report.
		if err := VerifyJSON(context.Background(), bytes.NewReader(data), in); err == nil {
			rep, err := ReadJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("VerifyJSON accepted bytes that do not decode: %v", err)
			}
			if got, _ := rep.MarshalJSONBytes(); !bytes.Equal(got, good) {
				t.Fatalf("VerifyJSON accepted a report that is not the synthesis")
			}
		}
		// FindContribution, which skips the entries it does not decode,
		// may not panic, and what it finds has the id asked for.
		for _, id := range []string{in[0].ID, in[len(in)-1].ID, "absent"} {
			if _, c, err := FindContribution(bytes.NewReader(data), id); err == nil && c != nil && c.ID != id {
				t.Fatalf("FindContribution(%q) found %q", id, c.ID)
			}
		}
		rep, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := Verify(context.Background(), rep, in); err == nil {
			got, _ := rep.MarshalJSONBytes()
			if !bytes.Equal(got, good) {
				t.Fatalf("Verify accepted a report that is not the synthesis")
			}
		}
	})
}

// encode writes n back as JSON.
func (n *node) encode(b *bytes.Buffer) {
	switch n.kind {
	case 's':
		b.WriteString(n.raw)
	case '[':
		b.WriteByte('[')
		for i, v := range n.values {
			if i > 0 {
				b.WriteByte(',')
			}
			v.encode(b)
		}
		b.WriteByte(']')
	case '{':
		b.WriteByte('{')
		for i, v := range n.values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(quoteString(n.keys[i]))
			b.WriteByte(':')
			v.encode(b)
		}
		b.WriteByte('}')
	}
}

// leaves lists the scalar values of n with their paths.
func leaves(path string, n *node, out *[]*node, paths *[]string) {
	switch n.kind {
	case 's':
		*out = append(*out, n)
		*paths = append(*paths, path)
	case '[':
		for i, v := range n.values {
			leaves(path+"["+strconv.Itoa(i)+"]", v, out, paths)
		}
	case '{':
		for i, v := range n.values {
			leaves(join(path, n.keys[i]), v, out, paths)
		}
	}
}

// mutate changes a scalar's JSON text according to how.
func mutate(raw string, how uint8) string {
	switch {
	case raw == "true":
		return "false"
	case raw == "false":
		return "true"
	case raw == "null":
		return `"x"`
	case strings.HasPrefix(raw, `"`):
		s, _ := strconv.Unquote(raw)
		switch how % 3 {
		case 0:
			s += "x"
		case 1:
			if s == "" {
				s = "T01"
			} else {
				s = s[:len(s)-1]
			}
		default:
			s = strings.ToUpper(s) + "!"
		}
		return quoteString(s)
	}
	x, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return "0"
	}
	switch how % 3 {
	case 0:
		x++
	case 1:
		x = -x - 1
	default:
		x = x*1.5 + 1e-6
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// FuzzTamper changes one value of a true report anywhere outside the
// configuration and checks that Verify rejects it. (A configuration
// change is checked by what it produces: Verify re-runs with the
// report's own configuration, so a changed seed, k or threshold shows as
// a difference in the themes; see TestVerify.)
func FuzzTamper(f *testing.F) {
	in, good := fuzzCorpus()
	root, err := parseOrdered(good)
	if err != nil {
		f.Fatal(err)
	}
	var all []*node
	var paths []string
	leaves("", root, &all, &paths)
	f.Add(uint32(0), uint8(0))
	f.Add(uint32(len(all)/2), uint8(1))
	f.Add(uint32(len(all)-1), uint8(2))
	f.Fuzz(func(t *testing.T, pick uint32, how uint8) {
		i := int(pick % uint32(len(all)))
		if strings.HasPrefix(paths[i], "manifest.config") {
			return
		}
		old := all[i].raw
		all[i].raw = mutate(old, how)
		var b bytes.Buffer
		root.encode(&b)
		all[i].raw = old
		rep, err := ReadJSON(bytes.NewReader(b.Bytes()))
		if err != nil {
			return // no longer a report: nothing to verify
		}
		reenc, _ := rep.MarshalJSONBytes()
		if bytes.Equal(reenc, good) {
			return // the change does not survive decoding (e.g. 1 → 1.0)
		}
		if err := Verify(context.Background(), rep, in); err == nil {
			t.Fatalf("Verify accepted %s changed from %s to %s", paths[i], old, mutate(old, how))
		}
	})
}
