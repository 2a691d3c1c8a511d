package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
