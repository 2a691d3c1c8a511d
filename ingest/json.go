package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// lineAt returns the 1-based line of byte offset off in text.
func lineAt(text string, off int64) int {
	if off > int64(len(text)) {
		off = int64(len(text))
	}
	return strings.Count(text[:off], "\n") + 1
}

func (rd *reader) json(text string, lines bool) error {
	cols := rd.columns()
	stripped := false
	handle := func(obj map[string]any, line, endLine int) {
		flat := map[string]string{}
		flatten("", obj, flat)
		id, ok := flat[cols.id]
		if !ok {
			rd.reject(line, endLine, "", fmt.Sprintf("no %q field (fields: %s)", cols.id, strings.Join(keysOf(flat), ", ")))
			return
		}
		parts := make([]string, len(cols.texts))
		found := false
		for k, c := range cols.texts {
			v, ok := flat[c]
			found = found || ok
			if cols.html {
				var did bool
				v, did = stripHTML(v)
				stripped = stripped || did
			}
			parts[k] = v
		}
		if !found {
			rd.reject(line, endLine, id, fmt.Sprintf("none of the text fields %s (fields: %s)", strings.Join(cols.texts, ", "), strings.Join(keysOf(flat), ", ")))
			return
		}
		c := Contribution{ID: id, Text: joinTexts(parts)}
		if len(cols.meta) > 0 {
			c.Meta = map[string]string{}
			for _, m := range cols.meta {
				if v, ok := flat[m]; ok {
					c.Meta[m] = v
				}
			}
		}
		rd.add(line, endLine, c)
	}
	if lines {
		for i, l := range strings.Split(text, "\n") {
			if strings.TrimSpace(l) == "" {
				continue
			}
			rd.res.Rows++
			var obj map[string]any
			dec := json.NewDecoder(strings.NewReader(l))
			dec.UseNumber()
			if err := dec.Decode(&obj); err != nil {
				rd.reject(i+1, i+1, "", "not a JSON object: "+err.Error())
				continue
			}
			handle(obj, i+1, i+1)
		}
	} else {
		dec := json.NewDecoder(strings.NewReader(text))
		dec.UseNumber()
		tok, err := dec.Token()
		if err != nil {
			return &Error{File: rd.name, Line: lineAt(text, dec.InputOffset()), Msg: "not JSON: " + err.Error()}
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return &Error{File: rd.name, Line: 1, Msg: "expected a JSON array of objects ([{...}, ...]); for one object per line, use the jsonl format"}
		}
		for dec.More() {
			start := lineAt(text, dec.InputOffset())
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return &Error{File: rd.name, Line: start, Msg: "broken JSON: " + err.Error() + "; nothing after this point can be read"}
			}
			rd.res.Rows++
			end := start + bytes.Count(raw, []byte("\n"))
			var obj map[string]any
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			if err := d.Decode(&obj); err != nil || obj == nil {
				rd.reject(start, end, "", "expected a JSON object, got "+clipJSON(raw))
				continue
			}
			handle(obj, start, end)
		}
		if _, err := dec.Token(); err != nil {
			return &Error{File: rd.name, Line: lineAt(text, dec.InputOffset()), Msg: "broken JSON at the end of the array: " + err.Error()}
		}
	}
	if stripped {
		rd.res.Source["html_stripped"] = strings.Join(cols.texts, ",")
	}
	return nil
}

func clipJSON(raw []byte) string {
	s := string(raw)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// flatten writes nested objects' leaves under keys joined by "/" (as
// Decidim's CSV exports name them: "title/fr"); arrays are kept as JSON.
func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			key := k
			if prefix != "" {
				key = prefix + "/" + k
			}
			flatten(key, val, out)
		}
	case string:
		out[prefix] = x
	case json.Number:
		out[prefix] = x.String()
	case bool:
		out[prefix] = fmt.Sprint(x)
	case nil:
		out[prefix] = ""
	default:
		b, _ := json.Marshal(x)
		out[prefix] = string(b)
	}
}

func keysOf(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 12 {
		keys = append(keys[:12], "…")
	}
	return keys
}
