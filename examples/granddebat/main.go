// Command granddebat runs limpide on a real Grand Débat National sample
// embedded in the library (2,040 answers to 51 questions), writes the
// synthesis to limpide-out/ (report.json, report.html, report.md,
// assignments.csv) and prints a summary table of its themes.
//
//	go run ./examples/granddebat
//
// The number of themes is chosen by silhouette; -k sets it instead.
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/report"
	"github.com/limpide/limpide/synthesis"
)

func main() {
	log.SetFlags(0)
	out := flag.String("out", "limpide-out", "output folder")
	k := flag.Int("k", 0, "number of themes (0: chosen by silhouette)")
	flag.Parse()

	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	var in []synthesis.Contribution
	for _, r := range rows[1:] {
		in = append(in, synthesis.Contribution{ID: r[0], Text: r[1],
			Meta: map[string]string{"question_id": r[3], "question": r[4]}})
	}
	cfg := synthesis.Config{Cluster: cluster.Config{K: *k}}
	cfg.Progress = func(p synthesis.Progress) {
		if p.Done == 0 {
			fmt.Fprintf(os.Stderr, "%s…\n", p.Stage)
		}
	}
	rep, err := synthesis.Run(context.Background(), in, cfg)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	files := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"report.json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
		{"report.html", func(b *bytes.Buffer) error { return report.WriteHTML(b, rep, in) }},
		{"report.md", func(b *bytes.Buffer) error { return report.WriteMarkdown(b, rep) }},
		{"assignments.csv", func(b *bytes.Buffer) error { return report.WriteAssignments(b, rep) }},
	}
	sizes := map[string]int{}
	for _, f := range files {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			log.Fatal(err)
		}
		sizes[f.name] = b.Len()
		if err := os.WriteFile(filepath.Join(*out, f.name), b.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}

	a := rep.Accounting
	ks := rep.Manifest.KSelection
	fmt.Printf("\n%d answers of the Grand Débat National → %d themes (k by %s)\n", a.Input, len(rep.Themes), ks.Method)
	fmt.Printf("assigned %d · outliers %d · duplicates %d · excluded %d\n\n", a.Assigned, a.Outlier, a.Duplicate, a.Excluded)
	fmt.Printf("%-4s %5s %6s %8s %9s  %s\n", "id", "size", "share", "cohesion", "stability", "label")
	for _, th := range rep.Themes {
		fmt.Printf("%-4s %5d %5.1f%% %8.3f %9.3f  %s\n", th.ID, th.Size, 100*th.Share, th.Cohesion, th.Stability, th.Label)
	}
	fmt.Printf("\nwrote %s: report.json (%d bytes), report.html (%d, open it in a browser), report.md, assignments.csv\n",
		*out, sizes["report.json"], sizes["report.html"])
	fmt.Printf("corpus sha256 %s\n", rep.Manifest.Corpus.SHA256)
}
