package synthesis

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/limpide/limpide/internal/jsonenc"
	"github.com/limpide/limpide/internal/jsonscan"
)

// Mismatch is the first difference Verify found between a report and what
// its inputs give. Path is a JSON path into report.json
// ("themes[3].representatives[0].quote.text").
type Mismatch struct {
	Path string
	// Report and Expected are the JSON values at Path in the report and
	// in the re-run (or, for an input check, what the inputs give);
	// "(absent)" when there is none.
	Report, Expected string
	// Note explains, when Path alone does not.
	Note string
}

func (m *Mismatch) Error() string {
	msg := fmt.Sprintf("synthesis: report differs at %s: report has %s, the inputs give %s", m.Path, clip(m.Report), clip(m.Expected))
	if m.Note != "" {
		msg += " (" + m.Note + ")"
	}
	return msg
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// Verify checks that report is the synthesis of contributions: it checks
// the schema, then each contribution's id and text digest against the
// report's, then re-runs the synthesis with the report's own
// configuration and compares the two reports. It returns nil when they
// are identical, a *Mismatch naming the first difference by JSON path
// otherwise, or another error when the inputs cannot be synthesised.
func Verify(ctx context.Context, report *Report, contributions []Contribution) error {
	if report.Schema != Schema {
		return &Mismatch{Path: "schema", Report: quoteString(report.Schema), Expected: quoteString(Schema)}
	}
	input, err := sortedInput(contributions)
	if err != nil {
		return err
	}
	if err := checkInputs(report, input); err != nil {
		return err
	}
	syn, err := rerun(ctx, report.Manifest.Config, input, nil)
	if err != nil {
		return err
	}
	// Equal digests of the two encodings settle the common case; the
	// re-run is encoded as it is explained, never held whole.
	ha := sha256.New()
	if err := report.WriteJSON(ha); err != nil {
		return err
	}
	same, err := syn.sameDigest(ctx, ha.Sum(nil))
	if err != nil || same {
		return err
	}
	return syn.firstDifference(ctx, report)
}

// checkInputs compares the inputs, in id order, with the report's
// per-contribution ids and text digests.
func checkInputs(report *Report, input []Contribution) error {
	rc := report.Contributions
	for i := 0; i < len(input) || i < len(rc); i++ {
		path := fmt.Sprintf("contributions[%d]", i)
		switch {
		case i >= len(rc):
			return &Mismatch{Path: path + ".id", Report: "(absent)", Expected: quoteString(input[i].ID),
				Note: "contribution " + quoteString(input[i].ID) + " is in the inputs but not in the report"}
		case i >= len(input):
			return &Mismatch{Path: path + ".id", Report: quoteString(rc[i].ID), Expected: "(absent)",
				Note: "contribution " + quoteString(rc[i].ID) + " is in the report but not in the inputs"}
		case rc[i].ID != input[i].ID:
			note := "contribution " + quoteString(input[i].ID) + " is in the inputs but not in the report"
			if rc[i].ID < input[i].ID {
				note = "contribution " + quoteString(rc[i].ID) + " is in the report but not in the inputs"
			}
			return &Mismatch{Path: path + ".id", Report: quoteString(rc[i].ID), Expected: quoteString(input[i].ID), Note: note}
		case rc[i].SHA256 != textSHA256(input[i].Text):
			return &Mismatch{Path: path + ".sha256", Report: quoteString(rc[i].SHA256), Expected: quoteString(textSHA256(input[i].Text)),
				Note: "the text of contribution " + quoteString(input[i].ID) + " is not the one the report was made from"}
		}
	}
	return nil
}

// rerun synthesises input (in id order) again with a report's config,
// reporting its advance to progress (nil: not reported).
func rerun(ctx context.Context, cfg Config, input []Contribution, progress func(Progress)) (*Synthesis, error) {
	cfg.Progress = progress
	syn, err := synthesize(ctx, input, cfg)
	if err != nil {
		return nil, fmt.Errorf("synthesis: verify: re-running the synthesis: %w", err)
	}
	return syn, nil
}

// sameDigest reports whether the SHA-256 of the report.json x gives,
// encoded as it is explained, is digest.
func (x *Synthesis) sameDigest(ctx context.Context, digest []byte) (bool, error) {
	h := sha256.New()
	if err := x.WriteJSON(ctx, h); err != nil {
		return false, err
	}
	return bytes.Equal(h.Sum(nil), digest), nil
}

// firstDifference names the first JSON path where report and what x gives
// part. It holds both reports: it only runs once they are known to differ.
func (x *Synthesis) firstDifference(ctx context.Context, report *Report) error {
	want, err := x.report(ctx)
	if err != nil {
		return err
	}
	gotBytes, err := report.MarshalJSONBytes()
	if err != nil {
		return err
	}
	wantBytes, err := want.MarshalJSONBytes()
	if err != nil {
		return err
	}
	if bytes.Equal(gotBytes, wantBytes) {
		return nil
	}
	a, err := parseOrdered(gotBytes)
	if err != nil {
		return err
	}
	b, err := parseOrdered(wantBytes)
	if err != nil {
		return err
	}
	if m := firstDifference("", a, b); m != nil {
		return m
	}
	return &Mismatch{Path: "(document)", Report: "(bytes)", Expected: "(other bytes)"}
}

// VerifyJSON is Verify for a report.json read from report, without
// holding the report: it hashes the file, reads its manifest (see
// ReadHeader), re-runs the synthesis and hashes the re-run's encoding as
// it is explained. Equal digests prove the file is, byte for byte, the
// report the inputs give. Otherwise it reads the report whole and, like
// Verify, names the first difference (a report that only differs in white
// space, pretty-printed say, is still verified there).
func VerifyJSON(ctx context.Context, report io.ReadSeeker, contributions []Contribution) error {
	return VerifyJSONProgress(ctx, report, contributions, nil)
}

// VerifyJSONProgress is VerifyJSON calling progress (when not nil) as the
// re-run advances, as Config.Progress is called: the stages of a
// synthesis, then "report" as the re-run's encoding is hashed (and once
// more if the digests differ and the first difference is looked for). A
// verification is a whole synthesis: on a large consultation, as long.
func VerifyJSONProgress(ctx context.Context, report io.ReadSeeker, contributions []Contribution, progress func(Progress)) error {
	hf := sha256.New()
	if _, err := io.Copy(hf, report); err != nil {
		return err
	}
	if _, err := report.Seek(0, io.SeekStart); err != nil {
		return err
	}
	head, err := ReadHeader(report)
	if err != nil {
		return err
	}
	input, err := sortedInput(contributions)
	if err != nil {
		return err
	}
	syn, err := rerun(ctx, head.Manifest.Config, input, progress)
	if err != nil {
		return err
	}
	same, err := syn.sameDigest(ctx, hf.Sum(nil))
	if err != nil || same {
		return err
	}
	if _, err := report.Seek(0, io.SeekStart); err != nil {
		return err
	}
	rep, err := ReadJSON(bufio.NewReader(report))
	if err != nil {
		return err
	}
	if err := checkInputs(rep, input); err != nil {
		return err
	}
	// The re-run followed the file's manifest: a report whose config
	// differs from it shows as a difference under manifest.config.
	return syn.firstDifference(ctx, rep)
}

// ReadHeader decodes the head of a report.json, its schema and manifest,
// without reading its contributions: the returned Report has only Schema
// and Manifest. It returns a *SchemaError for a report of another schema.
func ReadHeader(r io.Reader) (*Report, error) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil {
		return nil, err
	} else if tok != json.Delim('{') {
		return nil, fmt.Errorf("synthesis: a report is a JSON object, not %v", tok)
	}
	var rep Report
	var schema, manifest bool
	for !(schema && manifest) && dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch tok {
		case "schema":
			err = dec.Decode(&rep.Schema)
			schema = true
		case "manifest":
			err = dec.Decode(&rep.Manifest)
			manifest = true
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, err
		}
	}
	if rep.Schema != Schema {
		return nil, &SchemaError{Got: rep.Schema}
	}
	if !manifest {
		return nil, fmt.Errorf("synthesis: the report has no manifest")
	}
	return &rep, nil
}

// FindContribution reads a report.json and returns its head (everything
// but the contributions) and the entry of contribution id, or nil when the
// report has none. It holds one contribution at a time and decodes only
// the head and the entry it looks for, skipping the others by their
// brackets and strings (package jsonscan): explaining one answer of a
// million-contribution report costs a scan of the file, not the memory of
// the whole report nor the decoding of every entry. The entries it skips
// are not checked; VerifyJSON checks a whole report.
func FindContribution(r io.Reader, id string) (*Report, *ContributionResult, error) {
	sc := jsonscan.New(r)
	if err := sc.Expect('{'); err != nil {
		return nil, nil, fmt.Errorf("synthesis: a report is a JSON object: %w", err)
	}
	head := &Report{}
	// The encoder writes every entry as {"id":…,…}; an entry whose bytes
	// do not start so is decoded, to be sure.
	prefix := append(jsonenc.String([]byte(`{"id":`), id), ',')
	var found *ContributionResult
	for first := true; ; first = false {
		if more, err := sc.Next('}', first); err != nil {
			return nil, nil, err
		} else if !more {
			break
		}
		raw, err := sc.Value()
		if err != nil {
			return nil, nil, err
		}
		var key string
		if err := json.Unmarshal(raw, &key); err != nil {
			return nil, nil, fmt.Errorf("synthesis: a report's key at byte %d: %w", sc.Offset()-int64(len(raw)), err)
		}
		if err := sc.Expect(':'); err != nil {
			return nil, nil, err
		}
		var into any
		switch key {
		case "schema":
			into = &head.Schema
		case "manifest":
			into = &head.Manifest
		case "accounting":
			into = &head.Accounting
		case "themes":
			into = &head.Themes
		case "duplicates":
			into = &head.Duplicates
		case "contributions":
			if c, err := sc.Peek(); err == nil && c != '[' {
				if v, err := sc.Value(); err != nil || string(v) != "null" {
					return nil, nil, fmt.Errorf("synthesis: a report's contributions are not an array (byte %d)", sc.Offset())
				}
				continue
			}
			c, done, err := findEntry(sc, prefix, id)
			if err != nil {
				return nil, nil, err
			}
			if c != nil && found == nil {
				found = c
			}
			if done {
				continue
			}
			if head.Schema != "" && head.Themes != nil {
				// The head came first, as the encoder writes it: the
				// rest of the file is not needed.
				if head.Schema != Schema {
					return nil, nil, &SchemaError{Got: head.Schema}
				}
				return head, found, nil
			}
			// The entry was found before the head: the array's rest
			// is skipped.
			if _, _, err := findEntry(sc, nil, ""); err != nil {
				return nil, nil, err
			}
			continue
		}
		v, err := sc.Value()
		if err != nil {
			return nil, nil, err
		}
		if into == nil {
			continue // a field this reader does not know
		}
		if err := json.Unmarshal(v, into); err != nil {
			return nil, nil, fmt.Errorf("synthesis: a report's %q: %w", key, err)
		}
	}
	if head.Schema != Schema {
		return nil, nil, &SchemaError{Got: head.Schema}
	}
	return head, found, nil
}

// findEntry scans the entries of a contributions array up to the one
// whose id is id, which it decodes and returns with done false (the array
// is not finished), or to the array's end (done true). With a nil prefix
// it only skips the array's rest.
func findEntry(sc *jsonscan.Scanner, prefix []byte, id string) (c *ContributionResult, done bool, err error) {
	if prefix != nil {
		if err := sc.Expect('['); err != nil {
			return nil, false, err
		}
	}
	for first := prefix != nil; ; first = false {
		if more, err := sc.Next(']', first); err != nil || !more {
			return nil, err == nil, err
		}
		raw, err := sc.Value()
		if err != nil {
			return nil, false, err
		}
		if prefix == nil || bytes.HasPrefix(raw, []byte(`{"id":`)) && !bytes.HasPrefix(raw, prefix) {
			continue
		}
		var entry ContributionResult
		if err := json.Unmarshal(raw, &entry); err != nil {
			return nil, false, fmt.Errorf("synthesis: a report's contribution at byte %d: %w", sc.Offset()-int64(len(raw)), err)
		}
		if entry.ID == id {
			return &entry, false, nil
		}
	}
}

// node is a JSON value that keeps object keys in their order.
type node struct {
	kind   byte // '{', '[', or 's' for a scalar
	keys   []string
	values []*node
	raw    string // a scalar's JSON text
}

func parseOrdered(b []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := parseNode(dec)
	if err != nil {
		return nil, fmt.Errorf("synthesis: verify: %w", err)
	}
	return n, nil
}

func parseNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		n := &node{kind: byte(t)}
		for dec.More() {
			if t == '{' {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, kt.(string))
			}
			v, err := parseNode(dec)
			if err != nil {
				return nil, err
			}
			n.values = append(n.values, v)
		}
		if _, err := dec.Token(); err != nil && err != io.EOF {
			return nil, err
		}
		return n, nil
	case json.Number:
		return &node{kind: 's', raw: t.String()}, nil
	case string:
		return &node{kind: 's', raw: quoteString(t)}, nil
	case bool:
		return &node{kind: 's', raw: strconv.FormatBool(t)}, nil
	case nil:
		return &node{kind: 's', raw: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

func (n *node) String() string {
	switch n.kind {
	case 's':
		return n.raw
	case '[':
		return fmt.Sprintf("(array of %d)", len(n.values))
	}
	return "(object)"
}

// firstDifference walks a and b in document order.
func firstDifference(path string, a, b *node) *Mismatch {
	if a.kind != b.kind {
		return &Mismatch{Path: orRoot(path), Report: a.String(), Expected: b.String()}
	}
	switch a.kind {
	case 's':
		if a.raw != b.raw {
			return &Mismatch{Path: orRoot(path), Report: a.raw, Expected: b.raw}
		}
	case '[':
		for i := 0; i < len(a.values) && i < len(b.values); i++ {
			if m := firstDifference(fmt.Sprintf("%s[%d]", path, i), a.values[i], b.values[i]); m != nil {
				return m
			}
		}
		if len(a.values) != len(b.values) {
			i := min(len(a.values), len(b.values))
			m := &Mismatch{Path: fmt.Sprintf("%s[%d]", path, i), Report: "(absent)", Expected: "(absent)",
				Note: fmt.Sprintf("%s has %d elements in the report, %d in the re-run", orRoot(path), len(a.values), len(b.values))}
			if i < len(a.values) {
				m.Report = a.values[i].String()
			}
			if i < len(b.values) {
				m.Expected = b.values[i].String()
			}
			return m
		}
	case '{':
		for i := 0; i < len(a.keys) || i < len(b.keys); i++ {
			switch {
			case i >= len(a.keys):
				return &Mismatch{Path: join(path, b.keys[i]), Report: "(absent)", Expected: b.values[i].String()}
			case i >= len(b.keys):
				return &Mismatch{Path: join(path, a.keys[i]), Report: a.values[i].String(), Expected: "(absent)"}
			case a.keys[i] != b.keys[i]:
				return &Mismatch{Path: join(path, a.keys[i]), Report: a.values[i].String(), Expected: "(absent)",
					Note: "the re-run has " + quoteString(b.keys[i]) + " here"}
			}
			if m := firstDifference(join(path, a.keys[i]), a.values[i], b.values[i]); m != nil {
				return m
			}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	if strings.ContainsAny(key, ".[]\" ") {
		return path + "[" + quoteString(key) + "]"
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}
