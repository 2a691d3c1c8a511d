package synthesis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"sync/atomic"

	"github.com/limpide/limpide/explain"
	"github.com/limpide/limpide/internal/jsonenc"
)

// Schema is the version of the report.json format this package writes.
const Schema = "limpide.report/v1"

// Report is a synthesis, field for field the report.json schema
// limpide.report/v1. Field names are part of the public contract.
//
// Every float is rounded to 12 decimal places (math.Round(x·1e12)/1e12) as
// the report is built, so a report decoded from its JSON equals the report
// that wrote it, and evidence still sums to similarity within 1e-9.
type Report struct {
	Schema        string               `json:"schema"`
	Manifest      Manifest             `json:"manifest"`
	Accounting    Accounting           `json:"accounting"`
	Themes        []Theme              `json:"themes"`
	Duplicates    []DuplicateGroup     `json:"duplicates"`
	Contributions []ContributionResult `json:"contributions"`
}

// Manifest records what is needed to reproduce and check the report.
type Manifest struct {
	LibraryVersion string           `json:"library_version"`
	Config         Config           `json:"config"`
	Corpus         CorpusDigest     `json:"corpus"`
	Vocabulary     VocabularyDigest `json:"vocabulary"`
	KSelection     KSelection       `json:"k_selection"`
}

// CorpusDigest identifies the input: its size and the SHA-256 over the
// contributions in id order, each written as "id\tsha256(text)\n".
type CorpusDigest struct {
	Contributions int    `json:"contributions"`
	SHA256        string `json:"sha256"`
}

// VocabularyDigest identifies the vocabulary: its size and the SHA-256 of
// its terms in order, each followed by "\n".
type VocabularyDigest struct {
	Terms  int    `json:"terms"`
	SHA256 string `json:"sha256"`
}

// KSelection says how the number of themes was set: "fixed" (Config) or
// "silhouette", with every candidate's score.
type KSelection struct {
	Method     string   `json:"method"`
	Candidates []KScore `json:"candidates"`
	Chosen     int      `json:"chosen"`
	SampleSize int      `json:"sample_size,omitempty"`
	// Requested is the fixed k asked for when it exceeded the number of
	// distinct texts, so that Chosen had to be fewer.
	Requested int `json:"requested,omitempty"`
}

// KScore is one candidate number of themes and its silhouette.
type KScore struct {
	K     int     `json:"k"`
	Score float64 `json:"score"`
}

// Accounting gives the fate of every input contribution:
// Input == Assigned + Outlier + Duplicate + Excluded.
type Accounting struct {
	Input     int `json:"input"`
	Assigned  int `json:"assigned"`
	Outlier   int `json:"outlier"`
	Duplicate int `json:"duplicate"`
	Excluded  int `json:"excluded"`
}

// Theme is one theme of the synthesis.
type Theme struct {
	// ID is T01, T02, … by decreasing Size (ties: smallest member id).
	ID string `json:"id"`
	// Label joins the most distinctive terms' real forms with " · ".
	Label string `json:"label"`
	// Size counts the theme's contributions, duplicates included;
	// Distinct counts its distinct texts (the rows that were clustered).
	Size     int `json:"size"`
	Distinct int `json:"distinct"`
	// Share is Size over the number of input contributions.
	Share float64 `json:"share"`
	// Cohesion is the mean similarity of the theme's distinct texts to its
	// centroid.
	Cohesion float64 `json:"cohesion"`
	// Stability is the mean, over Config.StabilityRuns reruns with other
	// seeds, of the best Jaccard overlap between the theme's clustered rows
	// and a theme of the rerun (1: the theme comes back whole every time).
	// Above 50,000 clustered texts, each rerun clusters a seeded sample of
	// 50,000 of them and the overlap is measured on that sample.
	Stability       float64          `json:"stability"`
	Terms           []Term           `json:"terms"`
	Representatives []Representative `json:"representatives"`
	// Members are the ids of the theme's contributions, duplicates
	// included, in id order.
	Members []string `json:"members"`
}

// Term is a theme term (see explain.Term).
type Term struct {
	Stem   string   `json:"stem"`
	Forms  []string `json:"forms"`
	Weight float64  `json:"weight"`
	Lift   float64  `json:"lift"`
}

// Representative is one of the contributions most similar to a theme's
// centroid, with a verbatim quote.
type Representative struct {
	Contribution string  `json:"contribution"`
	Similarity   float64 `json:"similarity"`
	Quote        Quote   `json:"quote"`
}

// Quote is a verbatim excerpt: text == contribution.Text[start:end].
type Quote struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// DuplicateGroup is a set of contributions with the same or nearly the same
// text. Kind is "exact" when every member's text is the same after light
// normalisation, "near" otherwise. Canonical is the member with the
// smallest id: the text the clustering saw.
type DuplicateGroup struct {
	Canonical string   `json:"canonical"`
	Members   []string `json:"members"`
	Kind      string   `json:"kind"`
}

// Statuses of a contribution.
const (
	StatusAssigned  = "assigned"
	StatusOutlier   = "outlier"
	StatusDuplicate = "duplicate"
	StatusExcluded  = "excluded"
)

// Reasons of exclusion.
const (
	ReasonEmpty   = "empty"    // empty or white space only
	ReasonNoTerms = "no_terms" // no vocabulary term left after analysis
)

// ContributionResult is the fate of one contribution and its explanation.
type ContributionResult struct {
	ID     string `json:"id"`
	SHA256 string `json:"sha256"`
	Status string `json:"status"`
	// Theme is the theme of an assigned contribution or of a duplicate's
	// canonical, and the nearest theme of an outlier; empty when excluded.
	Theme string `json:"theme"`
	// Similarity is the cosine similarity of the contribution's own text
	// to Theme's centroid: the sum of its evidence.
	Similarity float64 `json:"similarity"`
	// RunnerUp is the next most similar theme; Margin is Similarity minus
	// the runner-up's similarity (Similarity itself when there is none).
	RunnerUp string     `json:"runner_up"`
	Margin   float64    `json:"margin"`
	Evidence []Evidence `json:"evidence"`
	Reason   string     `json:"reason"`
	// Canonical is, for a duplicate, the id of its group's canonical.
	Canonical string            `json:"canonical,omitempty"`
	Meta      map[string]string `json:"meta,omitempty"`
}

// Evidence is one term's part in a contribution's similarity:
// Contribution = x[t]·c[t], with the spans [start, end) of the term's
// occurrences in the contribution's text. It is explain.Evidence, so that
// the explanation pass's evidence goes into the report without a copy.
type Evidence = explain.Evidence

// round is the report's float precision: 12 decimal places.
func round(x float64) float64 { return math.Round(x*1e12) / 1e12 }

// WriteJSON writes the report as compact JSON followed by a newline (a
// report of a million contributions is large enough without indentation;
// any JSON tool pretty-prints it). The encoding is stable: fields in schema
// order, map keys sorted, floats as rounded when the report was built, so
// the same report always gives the same bytes.
//
// The contributions, most of a large report, are encoded one at a time and
// written as they go (see JSONWriter); the bytes are those json.Marshal
// would give for the whole report.
func (r *Report) WriteJSON(w io.Writer) error {
	jw, err := NewJSONWriter(w, r)
	if err != nil {
		return err
	}
	if r.Contributions == nil {
		jw.bw.WriteString(`null}` + "\n")
		return jw.bw.Flush()
	}
	for i := range r.Contributions {
		if err := jw.Add(&r.Contributions[i]); err != nil {
			return err
		}
	}
	return jw.Close()
}

// JSONWriter writes a report.json whose contributions arrive one by one,
// as Synthesis.Each gives them: the bytes are those Report.WriteJSON
// writes for the whole report.
type JSONWriter struct {
	bw *bufio.Writer
	n  int
	b  []byte
}

// NewJSONWriter writes everything of header but its contributions (which
// it ignores), and opens the contributions array.
func NewJSONWriter(w io.Writer, header *Report) (*JSONWriter, error) {
	jw := &JSONWriter{bw: bufio.NewWriterSize(w, 1<<16)}
	parts := []struct {
		key   string
		value any
	}{{"schema", header.Schema}, {"manifest", header.Manifest}, {"accounting", header.Accounting}}
	for i, p := range parts {
		if i == 0 {
			jw.bw.WriteString("{")
		} else {
			jw.bw.WriteString(",")
		}
		b, err := json.Marshal(p.value)
		if err != nil {
			return nil, err
		}
		jw.bw.WriteString(`"` + p.key + `":`)
		jw.bw.Write(b)
	}
	// The themes list every member and the duplicate groups every
	// duplicate: one element at a time, they are never encoded whole.
	jw.bw.WriteString(`,"themes":`)
	if err := writeJSONArray(jw.bw, header.Themes, appendTheme); err != nil {
		return nil, err
	}
	jw.bw.WriteString(`,"duplicates":`)
	if err := writeJSONArray(jw.bw, header.Duplicates, appendDuplicateGroup); err != nil {
		return nil, err
	}
	jw.bw.WriteString(`,"contributions":`)
	return jw, nil
}

// writeJSONArray writes the bytes json.Marshal gives for list (null when
// it is nil), appending one element at a time with add.
func writeJSONArray[T any](w *bufio.Writer, list []T, add func(b []byte, e *T) ([]byte, error)) error {
	if list == nil {
		w.WriteString("null")
		return nil
	}
	w.WriteByte('[')
	var b []byte
	for i := range list {
		if i > 0 {
			w.WriteByte(',')
		}
		var err error
		if b, err = add(b[:0], &list[i]); err != nil {
			return err
		}
		w.Write(b)
	}
	w.WriteByte(']')
	return nil
}

// appendTheme appends the JSON of t, the bytes json.Marshal gives (a test
// holds them equal): its members, every contribution of a report, are
// encoded without reflection, the rest by json.Marshal.
func appendTheme(b []byte, t *Theme) ([]byte, error) {
	head := *t
	head.Members = nil
	hb, err := json.Marshal(&head)
	if err != nil {
		return b, err
	}
	// Members is Theme's last field: the head ends with its null.
	const tail = `"members":null}`
	if t.Members == nil || !bytes.HasSuffix(hb, []byte(tail)) {
		if t.Members != nil {
			hb, err = json.Marshal(t)
		}
		return append(b, hb...), err
	}
	b = append(b, hb[:len(hb)-len("null}")]...)
	b = appendStrings(b, t.Members)
	return append(b, '}'), nil
}

// appendDuplicateGroup appends the JSON of g, the bytes json.Marshal
// gives.
func appendDuplicateGroup(b []byte, g *DuplicateGroup) ([]byte, error) {
	b = append(b, `{"canonical":`...)
	b = jsonenc.String(b, g.Canonical)
	b = append(b, `,"members":`...)
	if g.Members == nil {
		b = append(b, "null"...)
	} else {
		b = appendStrings(b, g.Members)
	}
	b = append(b, `,"kind":`...)
	b = jsonenc.String(b, g.Kind)
	return append(b, '}'), nil
}

// appendStrings appends the JSON array of list, not nil.
//
// A theme's members are ids scattered over every contribution's, each
// waited for from memory in turn: on the 429,112 answers, some 100 ns an
// id. The first and last bytes of a block of them are loaded first, by
// loads that do not wait on each other and so are waited for together,
// then the block is encoded: the themes of report.json's head took 38-46
// ms before, 16-20 ms after (three runs each, alternating).
func appendStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	const block = 64
	for lo := 0; lo < len(list); lo += block {
		hi := min(lo+block, len(list))
		var x byte
		for _, s := range list[lo:hi] {
			if len(s) > 0 {
				x |= s[0] ^ s[len(s)-1]
			}
		}
		touched.Store(uint32(x))
		for i, s := range list[lo:hi] {
			if lo+i > 0 {
				b = append(b, ',')
			}
			b = jsonenc.String(b, s)
		}
	}
	return append(b, ']')
}

// touched keeps appendStrings's loads from being left out; atomic, for
// writers that run side by side.
var touched atomic.Uint32

// Add writes the next contribution.
func (jw *JSONWriter) Add(c *ContributionResult) error {
	if jw.n == 0 {
		jw.bw.WriteByte('[')
	} else {
		jw.bw.WriteByte(',')
	}
	jw.n++
	jw.b = appendContribution(jw.b[:0], c)
	_, err := jw.bw.Write(jw.b)
	return err
}

// appendContribution appends the JSON of c, the bytes json.Marshal gives
// (a test holds them equal), without reflection: report.json holds one
// per contribution.
func appendContribution(b []byte, c *ContributionResult) []byte {
	b = append(b, `{"id":`...)
	b = jsonenc.String(b, c.ID)
	b = append(b, `,"sha256":`...)
	b = jsonenc.String(b, c.SHA256)
	b = append(b, `,"status":`...)
	b = jsonenc.String(b, c.Status)
	b = append(b, `,"theme":`...)
	b = jsonenc.String(b, c.Theme)
	b = append(b, `,"similarity":`...)
	b = jsonenc.Float(b, c.Similarity)
	b = append(b, `,"runner_up":`...)
	b = jsonenc.String(b, c.RunnerUp)
	b = append(b, `,"margin":`...)
	b = jsonenc.Float(b, c.Margin)
	b = append(b, `,"evidence":`...)
	if c.Evidence == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for k := range c.Evidence {
			e := &c.Evidence[k]
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"stem":`...)
			b = jsonenc.String(b, e.Stem)
			b = append(b, `,"form":`...)
			b = jsonenc.String(b, e.Form)
			b = append(b, `,"contribution":`...)
			b = jsonenc.Float(b, e.Contribution)
			b = append(b, `,"spans":`...)
			if e.Spans == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, '[')
				for q, sp := range e.Spans {
					if q > 0 {
						b = append(b, ',')
					}
					b = append(b, '[')
					b = jsonenc.Int(b, sp[0])
					b = append(b, ',')
					b = jsonenc.Int(b, sp[1])
					b = append(b, ']')
				}
				b = append(b, ']')
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"reason":`...)
	b = jsonenc.String(b, c.Reason)
	if c.Canonical != "" {
		b = append(b, `,"canonical":`...)
		b = jsonenc.String(b, c.Canonical)
	}
	if len(c.Meta) > 0 {
		b = append(b, `,"meta":`...)
		b = jsonenc.StringMap(b, c.Meta)
	}
	return append(b, '}')
}

// Close ends the document and flushes it.
func (jw *JSONWriter) Close() error {
	if jw.n == 0 {
		jw.bw.WriteByte('[')
	}
	jw.bw.WriteString("]}\n")
	return jw.bw.Flush()
}

// MarshalJSONBytes returns the bytes WriteJSON writes.
func (r *Report) MarshalJSONBytes() ([]byte, error) {
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ReadJSON decodes a report and checks its schema.
func ReadJSON(rd io.Reader) (*Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	if r.Schema != Schema {
		return nil, &SchemaError{Got: r.Schema}
	}
	return &r, nil
}

// SchemaError is returned for a report of another schema.
type SchemaError struct{ Got string }

func (e *SchemaError) Error() string {
	return "synthesis: report schema " + quoteString(e.Got) + ", want " + quoteString(Schema)
}

func quoteString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
