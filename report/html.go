package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"

	"github.com/limpide/limpide/synthesis"
)

//go:embed report.html.tmpl
var htmlTemplate string

var pageTemplate = template.Must(template.New("report").Parse(htmlTemplate))

// pageData is what the page's script reads: compact, with spans in UTF-16
// code units (the unit of JavaScript strings) so that highlighting lands
// on the very characters the byte spans of report.json name.
type pageData struct {
	Accounting synthesis.Accounting       `json:"accounting"`
	Themes     []pageTheme                `json:"themes"`
	Duplicates []synthesis.DuplicateGroup `json:"duplicates"`
	Items      []pageItem                 `json:"items"`
	Manifest   synthesis.Manifest         `json:"manifest"`
}

type pageTheme struct {
	ID        string  `json:"id"`
	Label     string  `json:"label"`
	Size      int     `json:"size"`
	Distinct  int     `json:"distinct"`
	Share     float64 `json:"share"`
	Cohesion  float64 `json:"cohesion"`
	Stability float64 `json:"stability"`
	Terms     [][]any `json:"terms"`   // [form, stem, weight, lift]
	Reps      [][]any `json:"reps"`    // [item index, similarity, quote start, quote end] (UTF-16)
	Members   []int   `json:"members"` // item indexes
}

type pageItem struct {
	ID         string  `json:"id"`
	Status     string  `json:"s"`
	Theme      string  `json:"t,omitempty"`
	Similarity float64 `json:"y"`
	RunnerUp   string  `json:"r,omitempty"`
	Margin     float64 `json:"m"`
	Canonical  string  `json:"c,omitempty"`
	Reason     string  `json:"why,omitempty"`
	Text       string  `json:"x"`
	Evidence   [][]any `json:"e"` // [form, stem, contribution, [[start, end], ...]] (UTF-16)
}

// WriteHTML writes the report as one self-contained HTML page: overview
// of themes with size bars, accounting, duplicates; each theme's terms,
// representative quotes with their evidence highlighted, and its members
// with a search box and pages; each contribution's evidence, margin and
// runner-up; the manifest and how to verify. The page fetches nothing.
// Contribution texts are needed to show quotes and evidence in context;
// they must be the texts the report was made from (Verify checks that).
//
// Every text reaches the page as JSON data and is put into the document as
// text nodes, never as markup: a contribution holding <script> shows as
// those characters.
func WriteHTML(w io.Writer, rep *synthesis.Report, contributions []synthesis.Contribution) error {
	text := make(map[string]string, len(contributions))
	for _, c := range contributions {
		text[c.ID] = c.Text
	}
	d := pageData{Accounting: rep.Accounting, Duplicates: rep.Duplicates, Manifest: rep.Manifest}
	index := make(map[string]int, len(rep.Contributions))
	for i, c := range rep.Contributions {
		index[c.ID] = i
		t, ok := text[c.ID]
		if !ok {
			return fmt.Errorf("report: contribution %q of the report is not among the texts given", c.ID)
		}
		u := &utf16Offsets{text: t}
		it := pageItem{ID: c.ID, Status: c.Status, Theme: c.Theme, Similarity: c.Similarity, RunnerUp: c.RunnerUp,
			Margin: c.Margin, Canonical: c.Canonical, Reason: c.Reason, Text: t, Evidence: [][]any{}}
		for _, e := range c.Evidence {
			spans := make([][2]int, len(e.Spans))
			for k, sp := range e.Spans {
				spans[k] = [2]int{u.convert(sp[0]), u.convert(sp[1])}
			}
			it.Evidence = append(it.Evidence, []any{e.Form, e.Stem, e.Contribution, spans})
		}
		d.Items = append(d.Items, it)
	}
	for _, t := range rep.Themes {
		pt := pageTheme{ID: t.ID, Label: t.Label, Size: t.Size, Distinct: t.Distinct, Share: t.Share,
			Cohesion: t.Cohesion, Stability: t.Stability, Terms: [][]any{}, Reps: [][]any{}, Members: []int{}}
		for _, term := range t.Terms {
			pt.Terms = append(pt.Terms, []any{term.Forms[0], term.Stem, term.Weight, term.Lift})
		}
		for _, r := range t.Representatives {
			u := &utf16Offsets{text: text[r.Contribution]}
			pt.Reps = append(pt.Reps, []any{index[r.Contribution], r.Similarity, u.convert(r.Quote.Start), u.convert(r.Quote.End)})
		}
		for _, m := range t.Members {
			pt.Members = append(pt.Members, index[m])
		}
		d.Themes = append(d.Themes, pt)
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js) // escapes <, > and &: safe inside a script element
	if err := enc.Encode(d); err != nil {
		return err
	}
	return pageTemplate.Execute(w, map[string]any{
		"Title": fmt.Sprintf("Synthèse de %d contributions", rep.Accounting.Input),
		"Data":  template.JS(js.String()),
	})
}
