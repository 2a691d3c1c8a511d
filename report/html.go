package report

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/limpide/limpide/internal/jsonenc"
	"github.com/limpide/limpide/synthesis"
)

//go:embed report.html.tmpl
var htmlTemplate string

var pageTemplate = template.Must(template.New("report").Parse(htmlTemplate))

// The page's script reads one JSON object, DATA: the items, then the
// accounting, themes, duplicate groups and manifest. An item is one
// member of a theme, an array:
//
//	[id, status, similarity, runner-up, margin, text, evidence]
//
// followed by the canonical and the reason when either is set; status is
// a, o, d or x (assigned, outlier, duplicate, excluded; another status as
// it is), and the evidence is a list of [form, stem, contribution, start,
// end, start, end, …], the spans in UTF-16 code units (the unit of
// JavaScript strings) so that highlighting lands on the very characters
// the byte spans of report.json name. Numbers are rounded once, to the
// decimals the page shows: three for similarities and margins, four for
// evidence. Themes: terms as [form, stem, weight, lift], representatives
// as [item, similarity, quote start, quote end], and either members
// (indexes into items) or part (the file of the theme's items, see
// HTMLOptions).
//
// Items are written as the contributions arrive and the themes after
// them: a report of hundreds of thousands of contributions is never held.
// Arrays rather than objects, and numbers to the page's decimals, keep
// the theme files of the 429,112 answers at 175 MB rather than 215.

type pageTheme struct {
	ID        string  `json:"id"`
	Label     string  `json:"label"`
	Size      int     `json:"size"`
	Distinct  int     `json:"distinct"`
	Share     float64 `json:"share"`
	Cohesion  float64 `json:"cohesion"`
	Stability float64 `json:"stability"`
	Terms     [][]any `json:"terms"`
	Reps      [][]any `json:"reps"`
	Members   []int   `json:"members,omitempty"`
	Part      string  `json:"part,omitempty"`
	Count     int     `json:"count"`
}

// pageDuplicate is a duplicate group as the page lists it.
type pageDuplicate struct {
	Canonical string `json:"canonical"`
	Size      int    `json:"size"`
	Kind      string `json:"kind"`
}

// pageDuplicateGroups is the number of largest duplicate groups the page
// lists; report.json has them all.
const pageDuplicateGroups = 100

func pageDuplicates(groups []synthesis.DuplicateGroup) []pageDuplicate {
	out := []pageDuplicate{}
	for _, g := range groups[:min(len(groups), pageDuplicateGroups)] {
		out = append(out, pageDuplicate{Canonical: g.Canonical, Size: len(g.Members), Kind: g.Kind})
	}
	return out
}

// dataMarker stands where the page data goes in the rendered template.
const dataMarker = "__LIMPIDE_DATA__"

// HTMLOptions sets how the page holds the theme members.
type HTMLOptions struct {
	// Part, when set, makes the page load each theme's members from a
	// file of their own when the theme is opened, instead of holding them:
	// the page of a large consultation stays a few megabytes and opens at
	// once. Part is called once per theme with the file's name, "T01.js"…,
	// and returns where to write it; the page looks for it at
	// PartDir/name, relative to itself, so the files must be published
	// beside the page. Each file is a script that hands its items to the
	// page, readable from disk (file://) without a server.
	Part    func(name string) (io.WriteCloser, error)
	PartDir string
}

// SplitAbove is the number of contributions above which the command line
// writes the members of each theme in a file of their own (HTMLOptions):
// at about 440 bytes a member (the 429,112 answers' 398,918 members take
// 175 MB), a page of 50,000 contributions is some 22 MB, which a browser
// still opens at once.
const SplitAbove = 50000

// HTMLWriter writes the HTML report as the contributions arrive, in id
// order, as synthesis.Synthesis.Each gives them.
type HTMLWriter struct {
	bw         *bufio.Writer
	rep        *synthesis.Report
	opt        HTMLOptions
	themes     []pageTheme
	cursor     []int // per theme: its next member in rep.Themes[j].Members
	themeIndex map[string]int
	reps       map[string][]repRef
	parts      []*part
	items      int
	buf        []byte
	u16        utf16Offsets
	tail       []byte
}

type repRef struct{ theme, rank int }

type part struct {
	wc io.WriteCloser
	bw *bufio.Writer
	n  int
}

// NewHTMLWriter writes the head of the page for the report header (its
// themes, accounting, duplicates and manifest; its contributions are
// ignored, Add gives them).
func NewHTMLWriter(w io.Writer, header *synthesis.Report, opt HTMLOptions) (*HTMLWriter, error) {
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, map[string]any{
		"Title": fmt.Sprintf("Synthèse de %d contributions", header.Accounting.Input),
		"Data":  template.JS(dataMarker),
	}); err != nil {
		return nil, err
	}
	head, tail, ok := bytes.Cut(page.Bytes(), []byte(dataMarker))
	if !ok {
		return nil, fmt.Errorf("report: the page template lost its data marker")
	}
	h := &HTMLWriter{bw: bufio.NewWriterSize(w, 1<<16), rep: header, opt: opt, tail: tail,
		cursor: make([]int, len(header.Themes)), themeIndex: map[string]int{}, reps: map[string][]repRef{}, parts: make([]*part, len(header.Themes))}
	for j, t := range header.Themes {
		h.themeIndex[t.ID] = j
		pt := pageTheme{ID: t.ID, Label: t.Label, Size: t.Size, Distinct: t.Distinct, Share: t.Share,
			Cohesion: t.Cohesion, Stability: t.Stability, Terms: [][]any{}, Reps: make([][]any, len(t.Representatives)), Count: len(t.Members)}
		for _, term := range t.Terms {
			pt.Terms = append(pt.Terms, []any{term.Forms[0], term.Stem, term.Weight, term.Lift})
		}
		for rank, r := range t.Representatives {
			h.reps[r.Contribution] = append(h.reps[r.Contribution], repRef{j, rank})
		}
		if opt.Part != nil {
			pt.Part = opt.PartDir + "/" + t.ID + ".js"
		} else {
			pt.Members = make([]int, 0, len(t.Members))
		}
		h.themes = append(h.themes, pt)
	}
	h.bw.Write(head)
	h.bw.WriteString(`{"items":[`)
	return h, nil
}

// Add gives the next contribution and its text, which must be the text
// the report was made from (Verify checks that).
func (h *HTMLWriter) Add(c *synthesis.ContributionResult, text string) error {
	// A member of a theme names it as its theme; the theme's members come
	// in id order, as the contributions do.
	member := -1
	if j, ok := h.themeIndex[c.Theme]; ok {
		if k := h.cursor[j]; k < len(h.rep.Themes[j].Members) && h.rep.Themes[j].Members[k] == c.ID {
			h.cursor[j]++
			member = j
		}
	}
	refs := h.reps[c.ID]
	if member < 0 && refs == nil {
		return nil
	}
	h.buf = h.appendItem(h.buf[:0], c, text)
	for _, ref := range refs {
		r := h.rep.Themes[ref.theme].Representatives[ref.rank]
		u := &utf16Offsets{text: text}
		h.themes[ref.theme].Reps[ref.rank] = []any{json.RawMessage(slices.Clone(h.buf)), r.Similarity, u.convert(r.Quote.Start), u.convert(r.Quote.End)}
	}
	delete(h.reps, c.ID)
	if member < 0 {
		return nil
	}
	if h.opt.Part == nil {
		if h.items > 0 {
			h.bw.WriteByte(',')
		}
		h.themes[member].Members = append(h.themes[member].Members, h.items)
		h.items++
		_, err := h.bw.Write(h.buf)
		return err
	}
	p, err := h.part(member)
	if err != nil {
		return err
	}
	if p.n > 0 {
		p.bw.WriteByte(',')
	}
	p.n++
	_, err = p.bw.Write(h.buf)
	return err
}

// part returns the file of theme j's members, opening it (and writing its
// head) the first time.
func (h *HTMLWriter) part(j int) (*part, error) {
	if p := h.parts[j]; p != nil {
		return p, nil
	}
	wc, err := h.opt.Part(h.rep.Themes[j].ID + ".js")
	if err != nil {
		return nil, err
	}
	p := &part{wc: wc, bw: bufio.NewWriterSize(wc, 1<<16)}
	h.parts[j] = p
	p.bw.WriteString("LIMPIDE_PART(")
	p.bw.Write(jsonenc.String(nil, h.rep.Themes[j].ID))
	p.bw.WriteString(",[")
	return p, nil
}

// Close ends the page (and the theme files). It fails if a theme member or
// representative never came: the contributions given were not the
// report's.
func (h *HTMLWriter) Close() error {
	for j, t := range h.rep.Themes {
		if h.cursor[j] < len(t.Members) {
			return fmt.Errorf("report: member %q of theme %s was not among the contributions given, in id order", t.Members[h.cursor[j]], t.ID)
		}
	}
	if len(h.reps) > 0 {
		missing := slices.Sorted(maps.Keys(h.reps))
		return fmt.Errorf("report: representative %q was not among the contributions given", missing[0])
	}
	for j := range h.parts {
		if h.opt.Part == nil {
			break
		}
		// A theme whose members all turned outliers still has its file.
		p, err := h.part(j)
		if err != nil {
			return err
		}
		p.bw.WriteString("]);\n")
		if err := p.bw.Flush(); err != nil {
			return err
		}
		if err := p.wc.Close(); err != nil {
			return err
		}
	}
	h.bw.WriteString("]")
	// json.Marshal escapes <, > and &: safe inside a script element.
	for _, part := range []struct {
		key   string
		value any
	}{{"accounting", h.rep.Accounting}, {"themes", h.themes}, {"duplicates", pageDuplicates(h.rep.Duplicates)},
		{"duplicate_groups", len(h.rep.Duplicates)}, {"manifest", h.rep.Manifest}} {
		b, err := json.Marshal(part.value)
		if err != nil {
			return err
		}
		h.bw.WriteString(`,"` + part.key + `":`)
		h.bw.Write(b)
	}
	h.bw.WriteString("}")
	h.bw.Write(h.tail)
	return h.bw.Flush()
}

// WriteHTML writes the report as one self-contained HTML page: overview
// of themes with size bars, accounting, duplicates; each theme's terms,
// representative quotes with their evidence highlighted, and its members
// with a search box and pages; each contribution's evidence, margin and
// runner-up; the manifest and how to verify. The page fetches nothing.
// Contribution texts are needed to show quotes and evidence in context;
// they must be the texts the report was made from (Verify checks that).
//
// Every text reaches the page as JSON data (with <, > and & escaped) and
// is put into the document as text nodes, never as markup: a contribution
// holding <script> shows as those characters.
func WriteHTML(w io.Writer, rep *synthesis.Report, contributions []synthesis.Contribution) error {
	return WriteHTMLWith(w, rep, contributions, HTMLOptions{})
}

// WriteHTMLWith is WriteHTML with options.
func WriteHTMLWith(w io.Writer, rep *synthesis.Report, contributions []synthesis.Contribution, opt HTMLOptions) error {
	text := make(map[string]string, len(contributions))
	for _, c := range contributions {
		text[c.ID] = c.Text
	}
	h, err := NewHTMLWriter(w, rep, opt)
	if err != nil {
		return err
	}
	for i := range rep.Contributions {
		c := &rep.Contributions[i]
		t, ok := text[c.ID]
		if !ok {
			return fmt.Errorf("report: contribution %q of the report is not among the texts given", c.ID)
		}
		if err := h.Add(c, t); err != nil {
			return err
		}
	}
	return h.Close()
}

// appendNumber appends f as strconv's shortest 'g' form. Between 10⁻⁴ and
// 4096 that is the shortest fixed-point form, which jsonenc.Float writes
// without strconv's shortest-digit search for the twelve-decimal values
// of a report.
func appendNumber(b []byte, f float64) []byte {
	if abs := math.Abs(f); abs >= 1e-4 && abs < 4096 || f == 0 {
		return jsonenc.Float(b, f)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// pageNumber appends f rounded to places decimals (at most 6), in fixed
// point with its trailing zeros dropped: the decimal n·10^−places for n =
// round(f·10^places), which reads back as the float64 nearest to it,
// math.Round(f*10^places)/10^places. report.json keeps the twelve
// decimals that add up. Outside (−4096, 4096), and for NaN and
// infinities, it is appendNumber's form.
func pageNumber(b []byte, f float64, places int) []byte {
	abs := math.Abs(f)
	if !(abs < 4096) {
		return appendNumber(b, f)
	}
	unit := pow10[places]
	n := uint64(math.Round(abs * float64(unit)))
	if n == 0 {
		return append(b, '0')
	}
	if f < 0 {
		b = append(b, '-')
	}
	b = jsonenc.Int(b, int(n/unit))
	return jsonenc.Fraction(b, n%unit, places)
}

var pow10 = [...]uint64{1, 10, 100, 1000, 10000, 100000, 1000000}

// statusCodes are the page's one-letter statuses.
var statusCodes = map[string]string{"assigned": "a", "outlier": "o", "duplicate": "d", "excluded": "x"}

// appendItem appends the JSON of one contribution's item.
func (h *HTMLWriter) appendItem(b []byte, c *synthesis.ContributionResult, text string) []byte {
	u := &h.u16
	b = append(b, '[')
	b = jsonenc.String(b, c.ID)
	b = append(b, ',')
	if code, ok := statusCodes[c.Status]; ok {
		b = append(b, '"')
		b = append(b, code...)
		b = append(b, '"')
	} else {
		b = jsonenc.String(b, c.Status)
	}
	b = append(b, ',')
	b = pageNumber(b, c.Similarity, 3)
	b = append(b, ',')
	b = jsonenc.String(b, c.RunnerUp)
	b = append(b, ',')
	b = pageNumber(b, c.Margin, 3)
	b = append(b, ',')
	// Encoding the text tells whether its spans convert to UTF-16 by
	// counting bytes, without checking the text again.
	var bmp bool
	if b, bmp = jsonenc.StringBMP(b, text); bmp {
		u.resetBMP(text)
	} else {
		u.reset(text)
	}
	b = append(b, ",["...)
	for k, e := range c.Evidence {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = jsonenc.String(b, e.Form)
		b = append(b, ',')
		b = jsonenc.String(b, e.Stem)
		b = append(b, ',')
		b = pageNumber(b, e.Contribution, 4)
		for _, sp := range e.Spans {
			b = append(b, ',')
			b = jsonenc.Int(b, u.convert(sp[0]))
			b = append(b, ',')
			b = jsonenc.Int(b, u.convert(sp[1]))
		}
		b = append(b, ']')
	}
	b = append(b, ']')
	if c.Canonical != "" || c.Reason != "" {
		b = append(b, ',')
		b = jsonenc.String(b, c.Canonical)
		if c.Reason != "" {
			b = append(b, ',')
			b = jsonenc.String(b, c.Reason)
		}
	}
	return append(b, ']')
}
