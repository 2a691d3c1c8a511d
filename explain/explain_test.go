package explain

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/tokenize"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "Baisser les impôts. Plus de services ! Pourquoi pas ?", []string{"Baisser les impôts.", "Plus de services !", "Pourquoi pas ?"}},
		{"no final stop", "Une seule phrase sans point", []string{"Une seule phrase sans point"}},
		{"line breaks", "Premier point\nSecond point\r\n\nTroisième", []string{"Premier point", "Second point", "Troisième"}},
		{"closing quote and ellipsis", "Il a dit « non. » Puis… rien. Fin", []string{"Il a dit « non. »", "Puis…", "rien.", "Fin"}},
		{"decimal point is no end", "Le taux de 5.5 % est trop haut. Voilà", []string{"Le taux de 5.5 % est trop haut.", "Voilà"}},
		{"surrounding space", "  Bonjour.  ", []string{"Bonjour."}},
		{"empty", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(tt.text) {
				got = append(got, tt.text[s[0]:s[1]])
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestQuote(t *testing.T) {
	short := "  Moins d'impôts.  "
	s, e := Quote(short, nil)
	assert.Equal(t, "Moins d'impôts.", short[s:e])

	long := "Je pense que beaucoup de choses devraient changer dans notre pays, et depuis longtemps déjà. " +
		"Mais surtout il faut baisser les impôts et la taxe foncière qui pèsent sur les retraités. " +
		"Le reste est secondaire à mes yeux, même si la question des services publics se pose aussi dans les campagnes. " +
		"Voilà ce que je voulais dire."
	require.Greater(t, len(long), QuoteMax)
	a := tokenize.NewAnalyzer(tokenize.Config{})
	v := cluster.NewVectorizer(a, cluster.Config{MinDF: 1, MaxDF: 1})
	m, err := v.FitTransform([]string{long})
	require.NoError(t, err)
	// A centroid that weighs only the tax words.
	c := make([]float64, m.Cols)
	c[v.Vocabulary().Index("impot")] = 0.8
	c[v.Vocabulary().Index("tax")] = 0.6
	ind, data := m.Row(0)
	ev := Explain(v.TermSpans(nil, a.Tokens(long)), v.Vocabulary(), ind, data, c)
	require.Len(t, ev, 2)
	assert.Equal(t, "impot", ev[0].Stem)
	assert.Equal(t, "impôts", ev[0].Form)
	assert.Equal(t, "impôts", long[ev[0].Spans[0][0]:ev[0].Spans[0][1]])
	s, e = Quote(long, ev)
	assert.True(t, strings.HasPrefix(long[s:e], "Mais surtout il faut baisser les impôts et la taxe foncière qui pèsent sur les retraités. "), long[s:e])
	assert.LessOrEqual(t, e-s, QuoteMax)
	sum := 0.0
	for _, x := range ev {
		sum += x.Contribution
	}
	assert.InDelta(t, m.Dot(0, c), sum, 1e-15)
}

func TestThemeTermsAndLabel(t *testing.T) {
	vocab := &cluster.Vocabulary{Terms: []string{"fiscal", "impot", "servic", "tax"}}
	centroid := []float64{0.5, 0.7, 0.1, 0.5}
	mean := []float64{0.05, 0.35, 0.1, 0.25}
	var forms tokenize.Forms
	forms.AddForm("fiscal", "fiscalité", 3)
	forms.AddForm("fiscal", "fiscal", 1)
	terms := ThemeTerms(centroid, mean, vocab, &forms, 3)
	require.Len(t, terms, 3)
	assert.Equal(t, []string{"impot", "fiscal", "tax"}, []string{terms[0].Stem, terms[1].Stem, terms[2].Stem}, "by weight, ties by term")
	assert.Equal(t, []string{"fiscalité", "fiscal"}, terms[1].Forms)
	assert.Equal(t, []string{"impot"}, terms[0].Forms, "no recorded form: the stem")
	assert.InDelta(t, 10, terms[1].Lift, 1e-12)
	// c·ln(lift): fiscal 0.5·ln 10 = 1.15, impot 0.7·ln 2 = 0.49, tax 0.5·ln 2 = 0.35.
	assert.Equal(t, []string{"fiscalité", "impot"}, Label(terms, 2))
	assert.Equal(t, []string{"fiscalité", "impot", "tax"}, Label(terms, 5))
}

// explainReference is Explain as first written: occurrences sorted by term
// string, each term's found by binary search.
func explainReference(spans []cluster.TermSpan, vocab *cluster.Vocabulary, ind []int32, data []float64, centroid []float64) []Evidence {
	// Occurrences grouped by term, each group in text order, so that every
	// term finds its own in one search: a long text with a large vocabulary
	// costs its length times a logarithm, not its terms times its length.
	byTerm := make([]int32, len(spans))
	for k := range byTerm {
		byTerm[k] = int32(k)
	}
	slices.SortStableFunc(byTerm, func(a, b int32) int { return strings.Compare(spans[a].Term, spans[b].Term) })
	// One allocation holds every evidence's spans, and one the evidence:
	// a million contributions make millions of evidences, not tens of
	// millions of small objects for the collector to trace.
	arena := make([][2]int, 0, len(spans))
	out := make([]Evidence, 0, len(ind))
	for p, t := range ind {
		product := data[p] * centroid[t]
		if product == 0 {
			continue
		}
		term := vocab.Terms[t]
		e := Evidence{Stem: term, Contribution: product}
		lo, _ := slices.BinarySearchFunc(byTerm, term, func(k int32, term string) int { return strings.Compare(spans[k].Term, term) })
		hi := lo
		for hi < len(byTerm) && spans[byTerm[hi]].Term == term {
			hi++
		}
		run := byTerm[lo:hi]
		e.Spans = arena[len(arena) : len(arena) : len(arena)+len(run)]
		arena = arena[:len(arena)+len(run)]
		// The most frequent form, ties to the first to occur; a term has few
		// forms, so counting by rescanning its own occurrences is cheapest.
		best := 0
		for q, k := range run {
			s := spans[k]
			e.Spans = append(e.Spans, [2]int{s.Start, s.End})
			if s.Form == e.Form {
				continue
			}
			n := 0
			for _, o := range run[q:] {
				if spans[o].Form == s.Form {
					n++
				}
			}
			if n > best {
				e.Form, best = s.Form, n
			}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Evidence) int {
		if a.Contribution != b.Contribution {
			if a.Contribution > b.Contribution {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Stem, b.Stem)
	})
	return out
}

// Explain gives, evidence for evidence, what explainReference gives, on
// real answers with and without bigrams, each against a theme centroid.
func TestExplainMatchesReference(t *testing.T) {
	for _, cfg := range []cluster.Config{{}, {Bigrams: true}} {
		texts, a, v, m, res := clusteredSample(t, cfg)
		for i, text := range texts {
			ind, data := m.Row(i)
			if len(ind) == 0 {
				continue
			}
			c := res.Centroids.RawRowView(res.Labels[i])
			spans := v.TermSpans(nil, a.Tokens(text))
			want := explainReference(spans, v.Vocabulary(), ind, data, c)
			require.Equal(t, want, Explain(spans, v.Vocabulary(), ind, data, c), "text %d", i)
			if i%10 == 0 {
				// A vocabulary out of term order (Explain then finds terms
				// through its map) gives the same evidence.
				rind, rdata, rc := reversed(ind, data, c)
				require.Equal(t, want, Explain(spans, reverseVocab(v.Vocabulary()), rind, rdata, rc), "text %d, reversed vocabulary", i)
			}
		}
	}
}

// AppendExplain appends what Explain gives: rows explained one after
// another into the same two arrays keep their evidence when the arrays
// grow, and arrays passed back [:0] for each row are reused.
func TestAppendExplain(t *testing.T) {
	texts, a, v, m, res := clusteredSample(t, cluster.Config{})
	var ev []Evidence
	var sp [][2]int
	var wants, gots [][]Evidence
	var reused []Evidence
	var reusedSpans [][2]int
	for i, text := range texts {
		ind, data := m.Row(i)
		if len(ind) == 0 {
			continue
		}
		c := res.Centroids.RawRowView(res.Labels[i])
		spans := v.TermSpans(nil, a.Tokens(text))
		want := Explain(spans, v.Vocabulary(), ind, data, c)
		from := len(ev)
		ev, sp = AppendExplain(ev, sp, spans, v.Vocabulary(), ind, data, c)
		wants, gots = append(wants, want), append(gots, ev[from:])

		reused, reusedSpans = AppendExplain(reused[:0], reusedSpans[:0], spans, v.Vocabulary(), ind, data, c)
		require.Equal(t, want, reused, "text %d, arrays reused", i)
		for _, e := range reused {
			for _, s := range e.Spans {
				require.Contains(t, reusedSpans, s, "text %d: spans in the array returned", i)
			}
		}
	}
	require.NotEmpty(t, wants)
	for k := range wants {
		require.Equal(t, wants[k], gots[k], "row %d, appended", k)
	}
	total := 0
	for _, want := range wants {
		total += len(want)
	}
	assert.Len(t, ev, total, "every evidence appended once")
}

// reverseVocab returns vocab with its columns in reverse order.
func reverseVocab(vocab *cluster.Vocabulary) *cluster.Vocabulary {
	return &cluster.Vocabulary{Terms: reverseStrings(vocab.Terms)}
}

// reversed maps a row and a centroid to reverseVocab's columns.
func reversed(ind []int32, data, c []float64) ([]int32, []float64, []float64) {
	n := int32(len(c))
	var rind []int32
	var rdata []float64
	for p := len(ind) - 1; p >= 0; p-- {
		rind = append(rind, n-1-ind[p])
		rdata = append(rdata, data[p])
	}
	rc := slices.Clone(c)
	slices.Reverse(rc)
	return rind, rdata, rc
}

// clusteredSample returns the sample answers, their analyzer, vectorizer
// (with cfg) and matrix, and 8 themes of them.
func clusteredSample(t testing.TB, cfg cluster.Config) ([]string, *tokenize.Analyzer, *cluster.Vectorizer, *cluster.Matrix, *cluster.Result) {
	texts := sampleAnswers(t)
	a := tokenize.NewAnalyzer(tokenize.Config{})
	v := cluster.NewVectorizer(a, cfg)
	m, err := v.FitTransform(texts)
	require.NoError(t, err)
	res, err := cluster.KMeans(context.Background(), m, 8, cluster.Config{})
	require.NoError(t, err)
	return texts, a, v, m, res
}

func BenchmarkExplain(b *testing.B) {
	texts, a, v, m, res := clusteredSample(b, cluster.Config{})
	spans := make([][]cluster.TermSpan, len(texts))
	for i, text := range texts {
		spans[i] = v.TermSpans(nil, a.Tokens(text))
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range texts {
			ind, data := m.Row(i)
			if len(ind) > 0 {
				Explain(spans[i], v.Vocabulary(), ind, data, res.Centroids.RawRowView(res.Labels[i]))
			}
		}
	}
}

func sampleAnswers(t testing.TB) []string {
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	require.NoError(t, err)
	var texts []string
	for _, r := range rows[1:] {
		texts = append(texts, r[1])
	}
	return texts
}

func reverseStrings(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}
