package cluster

import (
	"context"
	"testing"

	"github.com/james-bowman/nlp"

	"github.com/limpide/limpide/internal/shareddata"
	"github.com/limpide/limpide/tokenize"
)

func benchTexts(b *testing.B, name string) []string {
	path, err := shareddata.Path(name)
	if err != nil {
		b.Skip(err)
	}
	cols, err := shareddata.ReadCSV(path, "text")
	if err != nil {
		b.Fatal(err)
	}
	return cols[0]
}

// BenchmarkVectorizer fits TF-IDF rows on the 24,000 answers of the Grand
// Débat benchmark.
func BenchmarkVectorizer(b *testing.B) {
	texts := benchTexts(b, "granddebat_4themes.csv")
	a := tokenize.NewAnalyzer(tokenize.Config{})
	for b.Loop() {
		if _, err := NewVectorizer(a, Config{}).FitTransform(texts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNLPCountVectoriser counts the same 24,000 answers with nlp's
// CountVectoriser (through tokenize.NLPTokeniser) and weights them with its
// TfidfTransformer, for comparison with BenchmarkVectorizer.
func BenchmarkNLPCountVectoriser(b *testing.B) {
	texts := benchTexts(b, "granddebat_4themes.csv")
	a := tokenize.NewAnalyzer(tokenize.Config{})
	for b.Loop() {
		cv := nlp.NewCountVectoriser()
		cv.Tokeniser = tokenize.NLPTokeniser{Analyzer: a}
		counts, err := cv.FitTransform(texts...)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := nlp.NewTfidfTransformer().FitTransform(counts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScale vectorises and clusters the 429,112 answers of the scale
// corpus at k = 51 with default settings (mini-batch k-means).
func BenchmarkScale(b *testing.B) {
	texts := benchTexts(b, "granddebat_scale.csv.gz")
	for b.Loop() {
		m, err := NewVectorizer(nil, Config{}).FitTransform(texts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := KMeans(context.Background(), m, 51, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
