package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/limpide/limpide/internal/shareddata"
)

// TestQualityGrandDebat clusters the labelled Grand Débat benchmark (24,000
// answers) with default settings and logs NMI and ARI against the 51
// questions (k = 51) and the 4 themes (k = 4). It fails below the floors
// that the peer pipeline (scikit-learn TF-IDF + k-means, Snowball French)
// reached on this data: NMI 0.28 at k = 51 and 0.12 at k = 4. Skipped when
// ../shared/data is absent, and in -short mode.
func TestQualityGrandDebat(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the 24,000-answer benchmark")
	}
	path, err := shareddata.Path("granddebat_4themes.csv")
	if err != nil {
		t.Skip(err)
	}
	cols, err := shareddata.ReadCSV(path, "text", "label", "question_id")
	if err != nil {
		t.Fatal(err)
	}
	texts, labels, questions := cols[0], cols[1], cols[2]
	for _, tc := range []struct {
		name  string
		k     int
		truth []string
		floor float64
	}{
		{"question_id k=51", 51, questions, 0.28},
		{"label k=4", 4, labels, 0.12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			v := NewVectorizer(nil, Config{})
			m, err := v.FitTransform(texts)
			if err != nil {
				t.Fatal(err)
			}
			res, err := KMeans(context.Background(), m, tc.k, Config{})
			if err != nil {
				t.Fatal(err)
			}
			nmi, ari := NMI(tc.truth, res.Labels), ARI(tc.truth, res.Labels)
			t.Logf("%d docs, %d terms, k=%d: NMI %.4f ARI %.4f, objective %.2f, %d iterations, %v",
				m.Rows, m.Cols, tc.k, nmi, ari, res.Objective, res.Iterations, time.Since(start).Round(time.Millisecond))
			if nmi < tc.floor {
				t.Errorf("NMI %.4f below the peer's %.2f", nmi, tc.floor)
			}
		})
	}
}
