package ingest

import (
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// headerLine returns text up to its first line end outside quotes, and
// whether text holds one.
func headerLine(text string) (line string, ended bool) {
	quoted := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == '\n' || c == '\r'):
			return text[:i], true
		}
	}
	return text, false
}

// detectDelimiter picks , ; or tab: the one that occurs most often in the
// header line (outside quotes); ties prefer , then ; then tab.
func detectDelimiter(text string) rune {
	line, _ := headerLine(text)
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if !quoted {
			counts[r]++
		}
	}
	best := ','
	for _, d := range []rune{';', '\t'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

func (rd *reader) csv(text string) error {
	// A row is at least a line: the line count bounds the rows. So that a
	// file of empty lines cannot make room for many times its size, the
	// guess assumes rows of 32 bytes at least.
	return rd.csvFrom(strings.NewReader(text), text, min(strings.Count(text, "\n"), len(text)/32))
}

// csvFrom reads CSV from r, whose first line (at least) is head. rows, a
// guess of the number of rows, sizes the contributions and the id index
// once rather than by doubling; a wrong guess only costs the room it
// reserved or the doubling it did not spare.
func (rd *reader) csvFrom(r io.Reader, head string, rows int) error {
	// A Cap Collectif row holds many answers: no guess there.
	if rd.cfg.Preset != "capcollectif" && rows > 0 {
		rd.seen = newIDIndex(rows)
		rd.res.Contributions = make([]Contribution, 0, rows)
	}
	delim := rd.cfg.Delimiter
	if delim == 0 {
		delim = detectDelimiter(head)
	}
	rd.res.Source["delimiter"] = map[rune]string{',': ",", ';': ";", '\t': "tab"}[delim]
	if rd.res.Source["delimiter"] == "" {
		rd.res.Source["delimiter"] = string(delim)
	}
	cr := newRecordReader(r, delim)
	header, err := cr.Read()
	if err == io.EOF {
		return &Error{File: rd.name, Msg: "the file is empty: expected a header row (id, text, …)"}
	}
	if err != nil {
		return &Error{File: rd.name, Line: 1, Msg: "cannot read the header row: " + err.Error()}
	}
	// The fields of a record last until the next is read: the header is
	// copied, and so is every field of a row that is kept (reader.keep).
	header = slices.Clone(header)
	for i := range header {
		header[i] = strings.Clone(strings.TrimSpace(header[i]))
	}
	index := map[string]int{}
	for i, h := range header {
		if _, dup := index[h]; !dup {
			index[h] = i
		}
	}
	if rd.cfg.Preset == "capcollectif" {
		return rd.capCollectif(cr, header, index)
	}
	cols := rd.columns()
	need := append([]string{cols.id}, cols.texts...)
	need = append(need, cols.meta...)
	for _, c := range need {
		if _, ok := index[c]; !ok {
			return &Error{File: rd.name, Line: 1, Msg: fmt.Sprintf("the header has no column %q (columns: %s); name the right one with the id, text or meta column options",
				c, strings.Join(header, ", "))}
		}
	}
	stripped := false
	parts := make([]string, len(cols.texts))
	err = rd.eachRow(cr, header, index[cols.id], func(rec []string, line, endLine int) {
		for k, c := range cols.texts {
			parts[k] = rec[index[c]]
			if cols.html {
				var did bool
				parts[k], did = stripHTML(parts[k])
				stripped = stripped || did
			}
		}
		c := Contribution{ID: rd.keep.string(rec[index[cols.id]]), Text: rd.keep.string(joinTexts(parts))}
		if len(cols.meta) > 0 {
			c.Meta = map[string]string{}
			for _, m := range cols.meta {
				c.Meta[m] = rd.keep.string(rec[index[m]])
			}
		}
		rd.add(line, endLine, c)
	})
	if err != nil {
		return err
	}
	if stripped {
		rd.res.Source["html_stripped"] = strings.Join(cols.texts, ",")
	}
	return nil
}

// capQuestionHeader matches a Cap Collectif question column:
// "QUXVlc3Rpb246MTY5 - Question text", the id being base64 "Question:169".
var capQuestionHeader = regexp.MustCompile(`^([A-Za-z0-9+/=]{8,}) - (.*)$`)

type capQuestion struct {
	column   int
	encoded  string
	number   string // "Q169"
	question string
}

// capCollectif reads a Cap Collectif export: one contribution per
// non-empty answer, with id ROWID/Qnnn; trashed rows are skipped and
// counted.
func (rd *reader) capCollectif(cr *recordReader, header []string, index map[string]int) error {
	id := rd.cfg.IDColumn
	if id == "" {
		id = "id"
	}
	if _, ok := index[id]; !ok {
		return &Error{File: rd.name, Line: 1, Msg: fmt.Sprintf("capcollectif export without an %q column (columns: %s)", id, strings.Join(header, ", "))}
	}
	var questions []capQuestion
	for i, h := range header {
		m := capQuestionHeader.FindStringSubmatch(h)
		if m == nil {
			continue
		}
		dec, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil || !strings.HasPrefix(string(dec), "Question:") {
			continue
		}
		q := capQuestion{column: i, encoded: m[1], number: "Q" + strings.TrimPrefix(string(dec), "Question:"), question: m[2]}
		if len(rd.cfg.Questions) > 0 && !selected(rd.cfg.Questions, q) {
			continue
		}
		questions = append(questions, q)
	}
	if len(questions) == 0 {
		return &Error{File: rd.name, Line: 1, Msg: "capcollectif export: no question column (headers like \"QUXVlc3Rpb246MTY5 - Question\") matches the selection"}
	}
	trashed, hasTrashed := index["trashed"]
	zip, hasZip := index["authorZipCode"]
	return rd.eachRow(cr, header, index[id], func(rec []string, line, endLine int) {
		if hasTrashed && isTrue(rec[trashed]) {
			rd.res.Skipped["trashed"]++
			return
		}
		rowID := rec[index[id]]
		for _, q := range questions {
			answer := rec[q.column]
			if strings.TrimSpace(answer) == "" {
				rd.res.Skipped["empty answer"]++
				continue
			}
			meta := map[string]string{"question_id": q.number, "question": q.question}
			if hasZip {
				meta["zip"] = rd.keep.string(rec[zip])
			}
			for _, m := range rd.cfg.MetaColumns {
				if i, ok := index[m]; ok {
					meta[m] = rd.keep.string(rec[i])
				}
			}
			cid := rowID + "/" + q.number
			if strings.TrimSpace(rowID) == "" {
				cid = ""
			}
			rd.add(line, endLine, Contribution{ID: cid, Text: rd.keep.string(answer), Meta: meta})
		}
	})
}

func selected(sel []string, q capQuestion) bool {
	for _, s := range sel {
		s = strings.TrimSpace(s)
		if s == q.encoded || strings.EqualFold(s, q.number) || "Q"+s == q.number {
			return true
		}
	}
	return false
}

func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "oui", "t":
		return true
	}
	return false
}

// eachRow reads the data rows of cr and calls f with each well-formed one
// and its first and last lines. Every row read is counted; a broken row
// (bad quoting) or a row whose field count differs from the header's is a
// Reject, with the id at column idIndex when it has one.
func (rd *reader) eachRow(cr *recordReader, header []string, idIndex int, f func(rec []string, line, endLine int)) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		rd.res.Rows++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rd.reject(pe.StartLine, pe.Line, "", "broken CSV: "+pe.Err.Error())
				continue
			}
			return &Error{File: rd.name, Msg: err.Error()}
		}
		line := cr.Line()
		endLine := line
		for _, field := range rec {
			endLine += strings.Count(field, "\n")
		}
		if len(rec) != len(header) {
			id := ""
			if idIndex < len(rec) {
				id = strings.Clone(rec[idIndex])
			}
			rd.reject(line, endLine, id, fmt.Sprintf("%d fields, but the header has %d", len(rec), len(header)))
			continue
		}
		f(rec, line, endLine)
	}
}
