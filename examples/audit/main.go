// Command audit shows what an auditor can do with a published synthesis:
// it synthesises the embedded Grand Débat sample, verifies the report
// against the contributions, then alters one quote in the report, as a
// careless or dishonest editor might, and shows Verify catching it.
//
//	go run ./examples/audit
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/synthesis"
)

func main() {
	log.SetFlags(0)
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	var in []synthesis.Contribution
	for _, r := range rows[1:] {
		in = append(in, synthesis.Contribution{ID: r[0], Text: r[1]})
	}
	ctx := context.Background()
	rep, err := synthesis.Run(ctx, in, synthesis.Config{Cluster: cluster.Config{K: 12}, StabilityRuns: 2})
	if err != nil {
		log.Fatal(err)
	}
	// What is published: report.json. What the auditor holds: the bytes.
	var published bytes.Buffer
	if err := rep.WriteJSON(&published); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("published report: %d bytes, corpus sha256 %s\n", published.Len(), rep.Manifest.Corpus.SHA256)

	report, err := synthesis.ReadJSON(bytes.NewReader(published.Bytes()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verify untouched report:", verdict(synthesis.Verify(ctx, report, in)))

	q := &report.Themes[0].Representatives[0].Quote
	fmt.Printf("\nan editor changes the quote of %s:\n  « %s »\n→ « %s »\n", report.Themes[0].ID, q.Text, "Tout va très bien.")
	q.Text = "Tout va très bien."
	fmt.Println("verify altered report:", verdict(synthesis.Verify(ctx, report, in)))
}

func verdict(err error) string {
	if err == nil {
		return "VERIFIED"
	}
	return "REJECTED — " + err.Error()
}
