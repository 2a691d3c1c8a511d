// Package report renders a synthesis for people: an HTML page (inline CSS,
// JavaScript and data; nothing is fetched from the network), a Markdown
// summary fit to publish, and a CSV of assignments for spreadsheets.
//
// The page is one self-contained file, or, for a large consultation, a
// page that loads each theme's members from a file of its own beside it
// (HTMLOptions). HTMLWriter and AssignmentsWriter take the contributions
// one by one, as synthesis.Synthesis.Each gives them, so that a report of
// millions of contributions is never held in memory.
package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/limpide/limpide/internal/jsonenc"
	"github.com/limpide/limpide/synthesis"
)

// WriteAssignments writes one CSV row per contribution: id, status,
// theme, similarity, runner_up, margin, canonical, reason (see
// AssignmentsWriter).
func WriteAssignments(w io.Writer, rep *synthesis.Report) error {
	aw, err := NewAssignmentsWriter(w)
	if err != nil {
		return err
	}
	for i := range rep.Contributions {
		if err := aw.Add(&rep.Contributions[i]); err != nil {
			return err
		}
	}
	return aw.Close()
}

// AssignmentsWriter writes assignments.csv as the contributions arrive.
// Cells that a spreadsheet would take for a formula are neutralised (see
// NeutralizeCell). The rows are what encoding/csv's Writer writes, byte
// for byte, but made here: its Writer tests every field against its
// quoting rules through several calls and copies each row through a
// buffer of its own, 0.17 s of CPU for the rows of the 429,112 answers.
type AssignmentsWriter struct {
	bw   *bufio.Writer
	line []byte // the row being made
	num  []byte // a number, formatted
}

// NewAssignmentsWriter writes the header row.
func NewAssignmentsWriter(w io.Writer) (*AssignmentsWriter, error) {
	aw := &AssignmentsWriter{bw: bufio.NewWriter(w)}
	for i, name := range []string{"id", "status", "theme", "similarity", "runner_up", "margin", "canonical", "reason"} {
		if i > 0 {
			aw.line = append(aw.line, ',')
		}
		aw.line = appendCSVField(aw.line, name)
	}
	aw.line = append(aw.line, '\n')
	_, err := aw.bw.Write(aw.line)
	return aw, err
}

// Add writes the row of one contribution.
func (aw *AssignmentsWriter) Add(c *synthesis.ContributionResult) error {
	b := appendCell(aw.line[:0], c.ID)
	b = append(b, ',')
	b = appendCell(b, c.Status)
	b = append(b, ',')
	b = appendCell(b, c.Theme)
	b = append(b, ',')
	b = aw.appendNumber(b, c.Similarity)
	b = append(b, ',')
	b = appendCell(b, c.RunnerUp)
	b = append(b, ',')
	b = aw.appendNumber(b, c.Margin)
	b = append(b, ',')
	b = appendCell(b, c.Canonical)
	b = append(b, ',')
	b = appendCell(b, c.Reason)
	aw.line = append(b, '\n')
	_, err := aw.bw.Write(aw.line)
	return err
}

// appendNumber appends the cell of x, formatted by appendFloat.
func (aw *AssignmentsWriter) appendNumber(b []byte, x float64) []byte {
	aw.num = appendFloat(aw.num[:0], x)
	return appendCell(b, unsafe.String(unsafe.SliceData(aw.num), len(aw.num)))
}

// Close flushes the rows.
func (aw *AssignmentsWriter) Close() error {
	return aw.bw.Flush()
}

// appendCell appends the CSV field of the cell s, neutralised.
func appendCell(b []byte, s string) []byte {
	if s != "" {
		switch s[0] {
		case '=', '+', '@', '\t', '\r', '-':
			s = NeutralizeCell(s)
		}
	}
	return appendCSVField(b, s)
}

// appendCSVField appends s as encoding/csv's Writer writes a field with
// its defaults (comma, "\n" line ends): in double quotes, its own doubled,
// when it holds a comma, a quote, a carriage return or a line feed, is
// \., or starts with a space (unicode.IsSpace); as it is otherwise.
func appendCSVField(b []byte, s string) []byte {
	quote := s == `\.`
	for i := 0; i < len(s) && !quote; i++ {
		quote = csvSpecial[s[i]]
	}
	if !quote && s != "" {
		if s[0] < utf8.RuneSelf {
			quote = asciiSpace[s[0]]
		} else {
			r, _ := utf8.DecodeRuneInString(s)
			quote = unicode.IsSpace(r)
		}
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

// csvSpecial holds the bytes that make a field quoted.
var csvSpecial = [256]bool{',': true, '"': true, '\r': true, '\n': true}

// asciiSpace holds the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// NeutralizeCell protects a CSV cell against spreadsheet formula
// injection. Numbers written by limpide (a leading minus followed by a
// digit) are left alone.
func NeutralizeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

// appendFloat appends x in strconv's shortest 'f' form. Between 10⁻⁶ and
// 4096 that is jsonenc.Float's form, which writes a report's
// twelve-decimal values without strconv's shortest-digit search.
func appendFloat(b []byte, x float64) []byte {
	if abs := math.Abs(x); abs >= 1e-6 && abs < 4096 {
		return jsonenc.Float(b, x)
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// WriteMarkdown writes a publishable summary: accounting, themes with
// their size, label, terms and two quotes each, duplicate groups, and the
// digests that let anyone verify the synthesis.
func WriteMarkdown(w io.Writer, rep *synthesis.Report) error {
	var b strings.Builder
	a := rep.Accounting
	m := rep.Manifest
	fmt.Fprintf(&b, "# Synthèse de %d contributions\n\n", a.Input)
	fmt.Fprintf(&b, "%d thèmes. Sur %d contributions : %d classées dans un thème, %d trop éloignées de tout thème (hors thème), %d doublons, %d écartées.\n\n",
		len(rep.Themes), a.Input, a.Assigned, a.Outlier, a.Duplicate, a.Excluded)
	fmt.Fprintf(&b, "| thème | libellé | contributions | part | textes distincts | cohésion | stabilité |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, t := range rep.Themes {
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f %% | %d | %.2f | %.2f |\n", t.ID, mdCell(t.Label), t.Size, 100*t.Share, t.Distinct, t.Cohesion, t.Stability)
	}
	for _, t := range rep.Themes {
		fmt.Fprintf(&b, "\n## %s — %s\n\n", t.ID, mdText(t.Label))
		fmt.Fprintf(&b, "%d contributions (%.1f %%), %d textes distincts.\n\n", t.Size, 100*t.Share, t.Distinct)
		var terms []string
		for _, term := range t.Terms[:min(8, len(t.Terms))] {
			terms = append(terms, mdText(term.Forms[0]))
		}
		fmt.Fprintf(&b, "Termes : %s.\n\n", strings.Join(terms, ", "))
		for _, r := range t.Representatives[:min(2, len(t.Representatives))] {
			fmt.Fprintf(&b, "> %s\n>\n> — contribution `%s`, octets %d à %d\n\n", mdQuote(r.Quote.Text), mdCode(r.Contribution), r.Quote.Start, r.Quote.End)
		}
	}
	if len(rep.Duplicates) > 0 {
		fmt.Fprintf(&b, "\n## Doublons et campagnes\n\n%d groupes de textes identiques ou presque. Les plus grands :\n\n", len(rep.Duplicates))
		for _, d := range rep.Duplicates[:min(10, len(rep.Duplicates))] {
			kind := "identiques"
			if d.Kind == "near" {
				kind = "presque identiques"
			}
			fmt.Fprintf(&b, "- %d contributions %s, texte de référence `%s`\n", len(d.Members), kind, mdCode(d.Canonical))
		}
	}
	fmt.Fprintf(&b, "\n## Vérifier cette synthèse\n\n")
	fmt.Fprintf(&b, "- schéma `%s`, limpide %s\n", rep.Schema, m.LibraryVersion)
	fmt.Fprintf(&b, "- corpus : %d contributions, SHA-256 `%s`\n", m.Corpus.Contributions, m.Corpus.SHA256)
	fmt.Fprintf(&b, "- vocabulaire : %d termes, SHA-256 `%s`\n", m.Vocabulary.Terms, m.Vocabulary.SHA256)
	fmt.Fprintf(&b, "- nombre de thèmes : %d (%s), graine %d\n\n", m.KSelection.Chosen, m.KSelection.Method, m.Config.Cluster.Seed)
	fmt.Fprintf(&b, "Avec les contributions publiées et `report.json` : `limpide verify --report report.json --input CONTRIBUTIONS`.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdText escapes Markdown's inline markup in s.
func mdText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "#", `\#`, "|", `\|`)
	return r.Replace(s)
}

func mdCell(s string) string { return mdText(strings.ReplaceAll(s, "\n", " ")) }

func mdQuote(s string) string {
	return strings.ReplaceAll(mdText(s), "\n", "\n> ")
}

func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }

// utf16Offsets converts byte offsets of text into UTF-16 code unit
// offsets, the unit of JavaScript strings. The table of a non-ASCII text
// is built once, so that a text with many spans costs its length, not its
// length times its spans.
type utf16Offsets struct {
	text  string
	table []int32 // table[i]: UTF-16 offset of byte offset i; nil for ASCII
	built bool
	// bmp is set when text is known to be valid UTF-8 without characters
	// beyond U+FFFF (jsonenc.StringBMP found it so): it is not checked again.
	bmp bool
	buf []int32 // the table's storage, kept from text to text
}

// reset makes u convert offsets of text, keeping its storage.
func (u *utf16Offsets) reset(text string) {
	if u.table != nil {
		u.buf = u.table
	}
	*u = utf16Offsets{text: text, buf: u.buf}
}

// resetBMP is reset for a text known to be valid UTF-8 without
// characters beyond U+FFFF.
func (u *utf16Offsets) resetBMP(text string) {
	u.reset(text)
	u.bmp = true
}

func (u *utf16Offsets) convert(off int) int {
	if !u.built {
		u.built = true
		first := len(u.text) // the first byte that is not ASCII
		for i := 0; i < len(u.text); i++ {
			if u.text[i] >= utf8.RuneSelf {
				first = i
				break
			}
		}
		if first < len(u.text) {
			if cap(u.buf) < len(u.text)+1 {
				u.buf = make([]int32, len(u.text)+1)
			}
			u.table = u.buf[:len(u.text)+1]
			if u.bmp {
				u.count(first)
			} else if !u.checkBMP(first) {
				u.decode()
			}
		}
	}
	if off > len(u.text) {
		off = len(u.text)
	}
	if u.table == nil {
		return off
	}
	return int(u.table[off])
}

// decode fills the table character by character: an invalid byte is one
// U+FFFD, a character beyond U+FFFF a surrogate pair.
func (u *utf16Offsets) decode() {
	n := int32(0)
	for i := 0; i < len(u.text); {
		r, size := utf8.DecodeRuneInString(u.text[i:])
		for k := 0; k < size; k++ {
			u.table[i+k] = n
		}
		if r >= 0x10000 {
			n += 2 // a surrogate pair
		} else {
			n++ // invalid bytes become one U+FFFD
		}
		i += size
	}
	u.table[len(u.text)] = n
}

// checkBMP fills the table when the text is valid UTF-8 without
// characters beyond U+FFFF, and reports whether it did (see count).
func (u *utf16Offsets) checkBMP(first int) bool {
	rest := u.text[first:]
	if !utf8.ValidString(rest) {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] >= 0xF0 {
			return false
		}
	}
	u.count(first)
	return true
}

// count fills the table of a text that is valid UTF-8 without characters
// beyond U+FFFF, ASCII before first: each character is then one UTF-16
// unit, and the offset of byte i is the number of characters begun before
// it, less one inside a character. Counted by arithmetic on each byte (a
// continuation byte is 10xxxxxx), without decoding: French texts are all
// of this kind.
func (u *utf16Offsets) count(first int) {
	t := u.table
	for i := 0; i < first; i++ {
		t[i] = int32(i)
	}
	n := int32(first)
	for i := first; i < len(u.text); i++ {
		cont := int32(0)
		if u.text[i]&0xC0 == 0x80 {
			cont = 1
		}
		t[i] = n - cont
		n += 1 - cont
	}
	t[len(u.text)] = n
}
