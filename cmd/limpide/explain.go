package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"

	"github.com/limpide/limpide/synthesis"
)

func synthesisSHA(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

var statusFR = map[string]string{
	synthesis.StatusAssigned:  "classée",
	synthesis.StatusOutlier:   "hors thème (trop éloignée de tout thème)",
	synthesis.StatusDuplicate: "doublon",
	synthesis.StatusExcluded:  "écartée",
}

// writeExplanation prints why contribution c is where it is: its theme,
// similarity, runner-up and margin, its text with the evidence marked
// (bold yellow on a terminal, [[...]] otherwise) and each term's share.
func writeExplanation(w io.Writer, rep *synthesis.Report, c *synthesis.ContributionResult, text string, color bool) {
	labels := map[string]string{}
	for _, t := range rep.Themes {
		labels[t.ID] = t.Label
	}
	fmt.Fprintf(w, "%s — %s\n", c.ID, statusFR[c.Status])
	switch c.Status {
	case synthesis.StatusExcluded:
		fmt.Fprintf(w, "raison : %s\n\n%s\n", c.Reason, text)
		return
	case synthesis.StatusDuplicate:
		fmt.Fprintf(w, "doublon de %s\n", c.Canonical)
	}
	if c.Theme != "" {
		fmt.Fprintf(w, "thème %s « %s » — similarité %.4f\n", c.Theme, labels[c.Theme], c.Similarity)
	}
	if c.RunnerUp != "" {
		fmt.Fprintf(w, "second thème %s « %s » — marge %.4f\n", c.RunnerUp, labels[c.RunnerUp], c.Margin)
	}
	// Mark every evidence span in the text.
	type span struct{ start, end int }
	var spans []span
	for _, e := range c.Evidence {
		for _, s := range e.Spans {
			spans = append(spans, span{s[0], s[1]})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	open, shut := "[[", "]]"
	if color {
		open, shut = "\x1b[1;33m", "\x1b[0m"
	}
	fmt.Fprintln(w)
	at := 0
	for _, s := range spans {
		if s.start < at || s.end > len(text) {
			continue
		}
		fmt.Fprint(w, text[at:s.start], open, text[s.start:s.end], shut)
		at = s.end
	}
	fmt.Fprintln(w, text[at:])
	fmt.Fprintf(w, "\n%-24s %-18s %12s  %s\n", "terme", "racine", "part", "positions (octets)")
	sum := 0.0
	for _, e := range c.Evidence {
		fmt.Fprintf(w, "%-24s %-18s %12.6f  %v\n", e.Form, e.Stem, e.Contribution, e.Spans)
		sum += e.Contribution
	}
	fmt.Fprintf(w, "%-24s %-18s %12.6f  (= similarité %.6f)\n", "total", "", sum, c.Similarity)
}
