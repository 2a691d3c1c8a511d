package cluster

import (
	"context"
	"testing"
	"time"

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

// BenchmarkLSA measures whether LSA (nlp's TruncatedSVD to 100 dimensions,
// rows renormalised) before spherical k-means helps, on every 6th answer
// of the labelled Grand Débat benchmark (4,000 answers: nlp factorises a
// dense copy of the matrix, which the full benchmark would not fit). It
// reports the NMI against question_id at k = 51 and against label at
// k = 4, with and without LSA, and the time of each pipeline.
func BenchmarkLSA(b *testing.B) {
	path, err := shareddata.Path("granddebat_4themes.csv")
	if err != nil {
		b.Skip(err)
	}
	cols, err := shareddata.ReadCSV(path, "text", "label", "question_id")
	if err != nil {
		b.Fatal(err)
	}
	var texts, labels, questions []string
	for i := 0; i < len(cols[0]); i += 6 {
		texts, labels, questions = append(texts, cols[0][i]), append(labels, cols[1][i]), append(questions, cols[2][i])
	}
	ctx := context.Background()
	for b.Loop() {
		m, err := NewVectorizer(nil, Config{}).FitTransform(texts)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		svd := nlp.NewTruncatedSVD(100)
		reduced, err := svd.FitTransform(m.CSR().T()) // nlp: features × samples
		if err != nil {
			b.Fatal(err)
		}
		dense := &Matrix{Rows: m.Rows, Cols: 100, Indptr: make([]int, m.Rows+1)}
		for i := 0; i < m.Rows; i++ {
			row := make([]float64, 100)
			for d := range row {
				row[d] = reduced.At(d, i)
			}
			normalize(row)
			for d, x := range row {
				dense.Ind = append(dense.Ind, int32(d))
				dense.Data = append(dense.Data, x)
			}
			dense.Indptr[i+1] = len(dense.Data)
		}
		lsaTime := time.Since(start)
		for _, tc := range []struct {
			name  string
			k     int
			truth []string
		}{{"question_id", 51, questions}, {"label", 4, labels}} {
			plain, err := KMeans(ctx, m, tc.k, Config{})
			if err != nil {
				b.Fatal(err)
			}
			lsa, err := KMeans(ctx, dense, tc.k, Config{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(NMI(tc.truth, plain.Labels), "NMI-"+tc.name+"-plain")
			b.ReportMetric(NMI(tc.truth, lsa.Labels), "NMI-"+tc.name+"-lsa")
		}
		b.ReportMetric(lsaTime.Seconds(), "s-svd")
	}
}

// BenchmarkKMeansScale clusters the 429,112 answers of the scale corpus at
// k = 51 (mini-batch), the rows vectorised once beforehand.
func BenchmarkKMeansScale(b *testing.B) {
	texts := benchTexts(b, "granddebat_scale.csv.gz")
	m, err := NewVectorizer(nil, Config{}).FitTransform(texts)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := KMeans(context.Background(), m, 51, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
