// Command granddebat runs limpide on a real Grand Débat National sample
// embedded in the library (2,040 answers to 51 questions) and prints, for
// each of the four themes of the consultation, the terms its answers use
// most, each shown in the form people wrote most often.
//
//	go run ./examples/granddebat
package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/tokenize"
)

func main() {
	log.SetFlags(0)
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	a := tokenize.NewAnalyzer(tokenize.Config{})
	var forms tokenize.Forms
	counts := map[string]map[string]int{} // label → stem → occurrences
	for _, row := range rows[1:] {
		text, label := row[1], row[2]
		toks := a.Tokens(text)
		forms.Add(toks)
		if counts[label] == nil {
			counts[label] = map[string]int{}
		}
		for _, t := range toks {
			counts[label][t.Stem]++
		}
	}
	labels := make([]string, 0, len(counts))
	for l := range counts {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	fmt.Fprintf(os.Stdout, "%d answers of the Grand Débat National\n\n", len(rows)-1)
	for _, l := range labels {
		stems := make([]string, 0, len(counts[l]))
		for s := range counts[l] {
			stems = append(stems, s)
		}
		sort.Slice(stems, func(i, j int) bool {
			ci, cj := counts[l][stems[i]], counts[l][stems[j]]
			return ci > cj || ci == cj && stems[i] < stems[j]
		})
		var top []string
		for _, s := range stems[:min(8, len(stems))] {
			top = append(top, fmt.Sprintf("%s (%d)", forms.Top(s), counts[l][s]))
		}
		fmt.Printf("%-40s %s\n", l, strings.Join(top, ", "))
	}
}
