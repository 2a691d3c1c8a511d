package report

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/limpide/limpide/synthesis"
)

//go:embed report.html.tmpl
var htmlTemplate string

var pageTemplate = template.Must(template.New("report").Parse(htmlTemplate))

// The page's script reads one JSON object, DATA: the accounting, themes,
// duplicate groups and manifest, and one item per contribution, with spans
// in UTF-16 code units (the unit of JavaScript strings) so that
// highlighting lands on the very characters the byte spans of report.json
// name. Themes: terms as [form, stem, weight, lift], representatives as
// [item, similarity, quote start, quote end], members as item indexes.
// Items: {id, s: status, t: theme, y: similarity, r: runner-up, m: margin,
// c: canonical, why: reason, x: text, e: [[form, stem, contribution,
// [[start, end], ...]], ...]}.
//
// The items are written one by one, straight to the output: a report of
// hundreds of thousands of contributions is never held twice.

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
	Members   []int   `json:"members"`
}

// dataMarker stands where the page data goes in the rendered template.
const dataMarker = "__LIMPIDE_DATA__"

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
	text := make(map[string]string, len(contributions))
	for _, c := range contributions {
		text[c.ID] = c.Text
	}
	index := make(map[string]int, len(rep.Contributions))
	for i, c := range rep.Contributions {
		index[c.ID] = i
		if _, ok := text[c.ID]; !ok {
			return fmt.Errorf("report: contribution %q of the report is not among the texts given", c.ID)
		}
	}
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, map[string]any{
		"Title": fmt.Sprintf("Synthèse de %d contributions", rep.Accounting.Input),
		"Data":  template.JS(dataMarker),
	}); err != nil {
		return err
	}
	head, tail, ok := bytes.Cut(page.Bytes(), []byte(dataMarker))
	if !ok {
		return fmt.Errorf("report: the page template lost its data marker")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(head)

	themes := make([]pageTheme, 0, len(rep.Themes))
	for _, t := range rep.Themes {
		pt := pageTheme{ID: t.ID, Label: t.Label, Size: t.Size, Distinct: t.Distinct, Share: t.Share,
			Cohesion: t.Cohesion, Stability: t.Stability, Terms: [][]any{}, Reps: [][]any{}, Members: make([]int, 0, len(t.Members))}
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
		themes = append(themes, pt)
	}
	// json.Marshal escapes <, > and &: safe inside a script element.
	for _, part := range []struct {
		key   string
		value any
	}{{"accounting", rep.Accounting}, {"themes", themes}, {"duplicates", rep.Duplicates}, {"manifest", rep.Manifest}} {
		b, err := json.Marshal(part.value)
		if err != nil {
			return err
		}
		if part.key == "accounting" {
			bw.WriteString("{")
		} else {
			bw.WriteString(",")
		}
		bw.WriteString(`"` + part.key + `":`)
		bw.Write(b)
	}
	bw.WriteString(`,"items":[`)
	var buf []byte
	for i, c := range rep.Contributions {
		buf = appendItem(buf[:0], &c, text[c.ID])
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(buf)
	}
	bw.WriteString("]}")
	bw.Write(tail)
	return bw.Flush()
}

// appendItem appends the JSON of one contribution's item.
func appendItem(b []byte, c *synthesis.ContributionResult, text string) []byte {
	u := &utf16Offsets{text: text}
	b = append(b, `{"id":`...)
	b = appendString(b, c.ID)
	b = append(b, `,"s":`...)
	b = appendString(b, c.Status)
	if c.Theme != "" {
		b = append(b, `,"t":`...)
		b = appendString(b, c.Theme)
	}
	b = append(b, `,"y":`...)
	b = strconv.AppendFloat(b, c.Similarity, 'g', -1, 64)
	if c.RunnerUp != "" {
		b = append(b, `,"r":`...)
		b = appendString(b, c.RunnerUp)
	}
	b = append(b, `,"m":`...)
	b = strconv.AppendFloat(b, c.Margin, 'g', -1, 64)
	if c.Canonical != "" {
		b = append(b, `,"c":`...)
		b = appendString(b, c.Canonical)
	}
	if c.Reason != "" {
		b = append(b, `,"why":`...)
		b = appendString(b, c.Reason)
	}
	b = append(b, `,"x":`...)
	b = appendString(b, text)
	b = append(b, `,"e":[`...)
	for k, e := range c.Evidence {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, e.Form)
		b = append(b, ',')
		b = appendString(b, e.Stem)
		b = append(b, ',')
		b = strconv.AppendFloat(b, e.Contribution, 'g', -1, 64)
		b = append(b, ",["...)
		for q, sp := range e.Spans {
			if q > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(u.convert(sp[0])), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(u.convert(sp[1])), 10)
			b = append(b, ']')
		}
		b = append(b, "]]"...)
	}
	return append(b, "]}"...)
}

// appendString appends s as a JSON string, escaping what encoding/json
// escapes: quotes, backslashes, control characters, <, > and & (so that no
// text can close the script element), U+2028 and U+2029; invalid UTF-8
// becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
