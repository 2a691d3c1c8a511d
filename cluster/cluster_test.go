package cluster

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/james-bowman/nlp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/internal/centroids"
	"github.com/limpide/limpide/tokenize"
)

// obvious is a corpus whose right partition is plain: taxes, transport,
// democracy, three answers each.
var obvious = []string{
	"Baisser les impôts et la taxe foncière",
	"Les impôts et les taxes sont trop lourds",
	"Moins de taxes, moins d'impôts",
	"Développer les transports en commun et le train",
	"Plus de trains et de transports en commun",
	"Le train plutôt que la voiture, des transports en commun",
	"Le référendum d'initiative citoyenne pour la démocratie",
	"Plus de démocratie directe, le référendum",
	"Un référendum citoyen, la démocratie participative",
}

func obviousTruth() []int { return []int{0, 0, 0, 1, 1, 1, 2, 2, 2} }

func TestObviousPartition(t *testing.T) {
	m, err := NewVectorizer(nil, Config{}).FitTransform(obvious)
	require.NoError(t, err)
	// A mini-batch larger than the corpus draws rows twice: labels are kept
	// by position in the batch, not by row (go test -race would see two
	// writes to one row's label).
	for _, cfg := range []Config{{Algorithm: Full}, {Algorithm: MiniBatch, BatchSize: 4}, {Algorithm: MiniBatch, BatchSize: 64}} {
		alg := cfg.Algorithm
		res, err := KMeans(context.Background(), m, 3, cfg)
		require.NoError(t, err)
		assert.Equal(t, 1.0, NMI(obviousTruth(), res.Labels), "%v: labels %v", alg, res.Labels)
		assert.Equal(t, []int{3, 3, 3}, res.Sizes)
		assert.Equal(t, alg, res.Algorithm)
		// Themes are numbered by size, ties by first row.
		assert.Equal(t, []int{0, 0, 0, 1, 1, 1, 2, 2, 2}, res.Labels)
		checkResult(t, m, res)
	}
}

// TestBatchSmallerThanK: mini-batch k-means seeds from k rows even when
// three batches hold fewer, rather than running out of rows to seed from.
func TestBatchSmallerThanK(t *testing.T) {
	m, err := NewVectorizer(nil, Config{}).FitTransform(obvious)
	require.NoError(t, err)
	res, err := KMeans(context.Background(), m, 4, Config{Algorithm: MiniBatch, BatchSize: 1})
	require.NoError(t, err)
	assert.Len(t, res.Sizes, 4)
	checkResult(t, m, res)
}

// checkResult checks the invariants of a Result: unit centroids, and each
// similarity the dot product with the assigned centroid, the largest one.
func checkResult(t *testing.T, m *Matrix, res *Result) {
	t.Helper()
	for j := 0; j < res.K; j++ {
		row := res.Centroids.RawRowView(j)
		n := 0.0
		for _, x := range row {
			n += x * x
		}
		assert.InDelta(t, 1, n, 1e-9, "centroid %d norm²", j)
	}
	obj := 0.0
	for i := 0; i < m.Rows; i++ {
		if res.Labels[i] < 0 {
			continue
		}
		sim := m.Dot(i, res.Centroids.RawRowView(res.Labels[i]))
		assert.InDelta(t, sim, res.Similarity[i], 1e-12, "row %d", i)
		for j := 0; j < res.K; j++ {
			assert.LessOrEqual(t, m.Dot(i, res.Centroids.RawRowView(j)), sim+1e-12, "row %d theme %d", i, j)
		}
		obj += res.Similarity[i]
	}
	assert.InDelta(t, obj, res.Objective, 1e-9)
}

func sampleTexts(t testing.TB) (texts, labels, questions []string) {
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	require.NoError(t, err)
	for _, r := range rows[1:] {
		texts = append(texts, r[1])
		labels = append(labels, r[2])
		questions = append(questions, r[3])
	}
	return texts, labels, questions
}

func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	texts, _, _ := sampleTexts(t)
	runAt := func(procs int, alg Algorithm) (*Matrix, *Result) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, err := NewVectorizer(nil, Config{}).FitTransform(texts)
		require.NoError(t, err)
		res, err := KMeans(context.Background(), m, 12, Config{Algorithm: alg, BatchSize: 256})
		require.NoError(t, err)
		return m, res
	}
	for _, alg := range []Algorithm{Full, MiniBatch} {
		m1, r1 := runAt(1, alg)
		m8, r8 := runAt(8, alg)
		m8b, r8b := runAt(8, alg)
		assert.Equal(t, m1, m8, "%v: matrices differ between GOMAXPROCS 1 and 8", alg)
		assert.Equal(t, r1, r8, "%v: results differ between GOMAXPROCS 1 and 8", alg)
		assert.Equal(t, r8, r8b, "%v: results differ between two runs", alg)
		assert.Equal(t, m8, m8b)
		checkResult(t, m1, r1)
	}
}

// Several chunks, counted and built on several cores, give the matrix and
// the recorded tokens one core gives.
func TestVectorizerAcrossChunks(t *testing.T) {
	sample, _, _ := sampleTexts(t)
	// A hashtag's text is not recorded: the rows after it must still find
	// their own tokens.
	sample = append(sample[:len(sample):len(sample)], "Le #RIC et la fiscalité")
	var texts []string
	for len(texts) < 3*chunkSize+100 {
		texts = append(texts, sample...)
	}
	fit := func(procs int) (*Matrix, [][]TermSpan, []bool) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		v := NewVectorizer(nil, Config{})
		v.RecordTokens()
		m, err := v.FitTransform(texts)
		require.NoError(t, err)
		spans := make([][]TermSpan, len(texts))
		recorded := make([]bool, len(texts))
		for i := range texts {
			spans[i], recorded[i] = v.RowSpans(nil, i)
		}
		return m, spans, recorded
	}
	m1, s1, ok1 := fit(1)
	m4, s4, ok4 := fit(4)
	assert.Equal(t, m1, m4)
	assert.Equal(t, s1, s4)
	assert.Equal(t, ok1, ok4)
	unrecorded := 0
	for _, ok := range ok1 {
		if !ok {
			unrecorded++
		}
	}
	assert.Equal(t, (len(texts)+len(sample)-1)/len(sample), unrecorded, "the hashtag's copies")
	// Every copy of a text, whichever chunk holds it, makes the same row
	// and the same spans.
	n := len(sample)
	for i := n; i < len(texts); i++ {
		ind0, data0 := m1.Row(i % n)
		ind, data := m1.Row(i)
		require.Equal(t, ind0, ind, "row %d", i)
		require.Equal(t, data0, data, "row %d", i)
		require.Equal(t, s1[i%n], s1[i], "row %d", i)
	}
}

func TestSeedChangesResult(t *testing.T) {
	texts, _, _ := sampleTexts(t)
	m, err := NewVectorizer(nil, Config{}).FitTransform(texts)
	require.NoError(t, err)
	a, err := KMeans(context.Background(), m, 12, Config{})
	require.NoError(t, err)
	b, err := KMeans(context.Background(), m, 12, Config{Seed: 7})
	require.NoError(t, err)
	assert.NotEqual(t, a.Labels, b.Labels)
}

func TestVectorizer(t *testing.T) {
	v := NewVectorizer(nil, Config{})
	m, err := v.FitTransform(obvious)
	require.NoError(t, err)
	voc := v.Vocabulary()
	assert.IsIncreasing(t, voc.Terms, "vocabulary sorted")
	assert.Equal(t, len(voc.Terms), m.Cols)
	// min_df 2: "foncier" occurs once and is not a term; max_df 0.5: no term
	// occurs in more than 4 of the 9 documents.
	assert.Equal(t, -1, voc.Index("fonci"))
	for i, df := range voc.DF {
		assert.GreaterOrEqual(t, df, 2, voc.Terms[i])
		assert.LessOrEqual(t, df, 4, voc.Terms[i])
		assert.InDelta(t, math.Log(10/float64(1+df))+1, voc.IDF[i], 1e-12)
	}
	for i := 0; i < m.Rows; i++ {
		ind, data := m.Row(i)
		n := 0.0
		for p := range ind {
			n += data[p] * data[p]
			if p > 0 {
				assert.Less(t, ind[p-1], ind[p], "row %d columns increasing", i)
			}
		}
		assert.InDelta(t, 1, n, 1e-12, "row %d is unit length", i)
	}
	// Sublinear tf: "impôts" twice weighs 1+ln 2 times its idf before norming.
	twice := NewVectorizer(nil, Config{MinDF: 1, MaxDF: 1})
	m2, err := twice.FitTransform([]string{"impôts impôts taxe", "taxe"})
	require.NoError(t, err)
	ind, data := m2.Row(0)
	require.Len(t, ind, 2)
	vi := twice.Vocabulary()
	wImpot := (1 + math.Log(2)) * vi.IDF[vi.Index("impot")]
	wTaxe := vi.IDF[vi.Index("tax")]
	assert.InDelta(t, wImpot/math.Hypot(wImpot, wTaxe), data[vi.Index("impot")], 1e-12)

	// Transform projects new texts on the fitted vocabulary.
	late := v.Transform([]string{"Les taxes et les impôts, encore les impôts", "rien de connu ici"})
	assert.Equal(t, 2, late.Rows)
	assert.Equal(t, m.Cols, late.Cols)
	assert.Greater(t, late.Indptr[1], 0)
	assert.Equal(t, late.Indptr[1], late.Indptr[2], "unknown words give an empty row")
}

func TestBigrams(t *testing.T) {
	v := NewVectorizer(nil, Config{Bigrams: true, MinDF: 1, MaxDF: 1})
	_, err := v.FitTransform([]string{"la transition écologique", "transition écologique et justice"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, v.Vocabulary().Index("transit ecolog"), 0)
	assert.Equal(t, -1, v.Vocabulary().Index("ecolog justic"), "not adjacent: a stop word stands between")
}

func TestIDFMatchesNLP(t *testing.T) {
	// limpide's idf is nlp's TfidfTransformer weight plus one.
	texts := obvious
	v := NewVectorizer(nil, Config{MinDF: 1, MaxDF: 1})
	_, err := v.FitTransform(texts)
	require.NoError(t, err)
	cv := nlp.NewCountVectoriser()
	cv.Tokeniser = tokenize.NLPTokeniser{Analyzer: tokenize.NewAnalyzer(tokenize.Config{})}
	counts, err := cv.FitTransform(texts...)
	require.NoError(t, err)
	weighted, err := nlp.NewTfidfTransformer().FitTransform(counts)
	require.NoError(t, err)
	voc := v.Vocabulary()
	require.Len(t, cv.Vocabulary, len(voc.Terms))
	for term, row := range cv.Vocabulary {
		// nlp's weighted value over the raw count is its idf.
		for d := 0; d < len(texts); d++ {
			if c := counts.At(row, d); c != 0 {
				assert.InDelta(t, voc.IDF[voc.Index(term)]-1, weighted.At(row, d)/c, 1e-12, term)
				break
			}
		}
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	_, err := NewVectorizer(nil, Config{}).FitTransform(nil)
	assert.ErrorIs(t, err, ErrEmptyCorpus)
	_, err = NewVectorizer(nil, Config{}).FitTransform([]string{"le la les", "et ou"})
	assert.ErrorIs(t, err, ErrNoTerms)

	m, err := NewVectorizer(nil, Config{MinDF: 1, MaxDF: 1}).FitTransform([]string{"impôts", "impôts", "taxe", ""})
	require.NoError(t, err)
	_, err = KMeans(ctx, m, 3, Config{})
	var few *ErrTooFewRows
	require.True(t, errors.As(err, &few), "got %v", err)
	assert.Equal(t, 2, few.Distinct)
	_, err = KMeans(ctx, m, 0, Config{})
	assert.Error(t, err)

	res, err := KMeans(ctx, m, 2, Config{})
	require.NoError(t, err)
	assert.Equal(t, -1, res.Labels[3], "the empty row is not clustered")
	assert.Equal(t, res.Labels[0], res.Labels[1])

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = KMeans(cancelled, m, 2, Config{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestMetrics(t *testing.T) {
	a := []string{"x", "x", "y", "y", "z", "z"}
	assert.InDelta(t, 1, NMI(a, []int{5, 5, 3, 3, 1, 1}), 1e-12, "renamed labels")
	assert.InDelta(t, 1, ARI(a, []int{5, 5, 3, 3, 1, 1}), 1e-12)
	// Known values (scikit-learn gives NMI 0.5158037429793888 and ARI
	// 0.24242424242424243 for these labelings).
	p := []int{0, 0, 1, 1, 2, 2}
	q := []int{0, 0, 0, 2, 2, 2}
	assert.InDelta(t, 0.5158037429793888, NMI(p, q), 1e-12)
	assert.InDelta(t, 0.24242424242424243, ARI(p, q), 1e-12)
	assert.InDelta(t, 0, NMI([]int{0, 0, 1, 1}, []int{0, 1, 0, 1}), 1e-12, "independent")
	assert.Panics(t, func() { NMI([]int{1}, []int{1, 2}) })
}

func TestChooseK(t *testing.T) {
	m, err := NewVectorizer(nil, Config{}).FitTransform(obvious)
	require.NoError(t, err)
	choice, err := ChooseK(context.Background(), m, Config{KCandidates: []int{2, 3, 4}})
	require.NoError(t, err)
	assert.Equal(t, "silhouette", choice.Method)
	assert.Equal(t, 3, choice.Chosen, "%+v", choice.Candidates)
	assert.Len(t, choice.Candidates, 3)
	assert.Equal(t, 9, choice.SampleSize)
}

func TestDFBounds(t *testing.T) {
	for _, tt := range []struct{ n, min, max int }{
		{1, 1, 1}, {2, 2, 2}, {3, 2, 2}, {4, 2, 2}, {10, 2, 5}, {24000, 2, 12000},
	} {
		lo, hi := DFBounds(Config{}, tt.n)
		assert.Equal(t, [2]int{tt.min, tt.max}, [2]int{lo, hi}, "n=%d", tt.n)
	}
	// One text: its terms are kept, not all filtered away.
	v := NewVectorizer(nil, Config{})
	m, err := v.FitTransform([]string{"Les impôts et les taxes sont trop élevés"})
	require.NoError(t, err)
	assert.Equal(t, []string{"elev", "impot", "tax"}, v.Vocabulary().Terms)
	assert.Equal(t, 3, m.NNZ())
}

// AppendRow gives, bit for bit, the row Transform gives, with and without
// bigrams, for real answers, a long repetitive text and a text of unknown
// words.
func TestAppendRowMatchesTransform(t *testing.T) {
	texts, _, _ := sampleTexts(t)
	fit, extra := texts[:1500], texts[1500:]
	extra = append(extra, strings.Repeat("Les impôts, les taxes et encore les impôts. ", 2000), "zzz qqq", "")
	for _, cfg := range []Config{{}, {Bigrams: true}} {
		v := NewVectorizer(nil, cfg)
		_, err := v.FitTransform(fit)
		require.NoError(t, err)
		m := v.Transform(extra)
		a := v.Analyzer()
		var ind []int32
		var data []float64
		for i, text := range extra {
			ind, data = v.AppendRow(ind[:0], data[:0], a.Tokens(text))
			wantInd, wantData := m.Row(i)
			require.Equal(t, wantInd, ind, "text %d", i)
			require.Equal(t, wantData, data, "text %d", i)
		}
	}
}

// A batch that holds rows twice, and more rows than the matrix, gets one
// label per position: the label of the row at that position.
func TestAssignByPosition(t *testing.T) {
	m, err := NewVectorizer(nil, Config{}).FitTransform(obvious)
	require.NoError(t, err)
	res, err := KMeans(context.Background(), m, 3, Config{})
	require.NoError(t, err)
	km := &kmeans{m: m, k: 3, cfg: Config{}.withDefaults(), rows: nonEmptyRows(m)}
	ct := km.transpose(res.Centroids.RawMatrix().Data, nil)
	var batch []int
	for i := 0; i < 3000; i++ { // more than a chunk of the parallel loop
		batch = append(batch, (i*7)%m.Rows)
	}
	labels := make([]int, len(batch))
	sims := make([]float64, len(batch))
	km.assignScaled(batch, ct, nil, labels, sims, true)
	for p, i := range batch {
		require.Equal(t, res.Labels[i], labels[p], "position %d (row %d)", p, i)
		require.InDelta(t, res.Similarity[i], sims[p], 1e-12)
	}
}

// TestCompactColumns checks what CompactColumns promises: on a sample of
// rows, which leaves many columns unused, KMeans gives the same labels,
// similarities and objective after compaction, and the same centroids
// over the kept columns (zero on the dropped ones), for both algorithms.
func TestCompactColumns(t *testing.T) {
	texts, _, _ := sampleTexts(t)
	m, err := NewVectorizer(nil, Config{}).FitTransform(texts)
	require.NoError(t, err)
	rows := SampleRows(nonEmptyRows(m), 300, 11)
	for _, alg := range []Algorithm{Full, MiniBatch} {
		cfg := Config{Algorithm: alg, BatchSize: 64}
		sub := m.Subset(rows)
		want, err := KMeans(context.Background(), sub, 8, cfg)
		require.NoError(t, err)

		compact := m.Subset(rows)
		cols := compact.CompactColumns()
		require.Less(t, len(cols), m.Cols, "a sample of 300 rows leaves columns unused")
		require.Equal(t, len(cols), compact.Cols)
		for q := range rows {
			ind, data := sub.Row(q)
			cind, cdata := compact.Row(q)
			require.Equal(t, data, cdata)
			for p, c := range cind {
				require.Equal(t, ind[p], cols[c], "row %d keeps its columns, renumbered", q)
			}
		}
		got, err := KMeans(context.Background(), compact, 8, cfg)
		require.NoError(t, err)
		assert.Equal(t, want.Labels, got.Labels, "%v", alg)
		assert.Equal(t, want.Similarity, got.Similarity, "%v", alg)
		assert.Equal(t, want.Objective, got.Objective, "%v", alg)
		assert.Equal(t, want.Iterations, got.Iterations, "%v", alg)
		for j := 0; j < 8; j++ {
			full := make([]float64, m.Cols)
			for c, col := range cols {
				full[col] = got.Centroids.At(j, c)
			}
			assert.Equal(t, want.Centroids.RawRowView(j), full, "%v: centroid %d", alg, j)
		}
	}
}

// TestRowSpans checks the recorded tokens against the texts analysed
// again: RowSpans gives TermSpans of the text's tokens less the terms the
// vocabulary lacks, and says when a row's tokens were not kept.
func TestRowSpans(t *testing.T) {
	texts, _, _ := sampleTexts(t)
	// A word whose Norm is shorter than its text (’ for ', a decomposed
	// é), then a hashtag, which has no word number: its text is not
	// recorded.
	texts = append(slices.Clone(texts), "Aujourd’hui les citoyens de\u0301cident aujourd’hui",
		"Le #RIC et la fiscalité", "")
	a := tokenize.NewAnalyzer(tokenize.Config{})
	v := NewVectorizer(a, Config{})
	_, err := v.FitTransform(texts)
	require.NoError(t, err)
	for i := range texts {
		_, ok := v.RowSpans(nil, i)
		require.False(t, ok, "nothing recorded unless asked")
	}
	v.RecordTokens()
	_, err = v.FitTransform(texts)
	require.NoError(t, err)
	vocab := v.Vocabulary()
	recorded, spans := 0, 0
	for i, text := range texts {
		got, ok := v.RowSpans([]TermSpan{{Term: "kept"}}, i)
		require.Equal(t, TermSpan{Term: "kept"}, got[0], "RowSpans appends")
		got = got[1:]
		toks := a.Tokens(text)
		if slices.ContainsFunc(toks, func(t tokenize.Token) bool { return t.Kind != tokenize.Word }) {
			assert.False(t, ok, "text %d has a token other than a word", i)
			continue
		}
		require.True(t, ok, "text %d", i)
		want := []TermSpan{}
		for _, sp := range v.TermSpans(nil, toks) {
			if sp.Col >= 0 {
				require.Equal(t, vocab.Terms[sp.Col], sp.Term)
				want = append(want, sp)
			}
		}
		assert.Equal(t, want, append([]TermSpan{}, got...), "text %d", i)
		recorded++
		spans += len(got)
	}
	assert.Greater(t, recorded, len(texts)*9/10)
	assert.Positive(t, spans)
	_, ok := v.RowSpans(nil, len(texts)-2)
	assert.False(t, ok, "the hashtag's text")
	_, ok = v.RowSpans(nil, len(texts)-1)
	assert.True(t, ok, "an empty text has no token to keep")
	_, ok = v.RowSpans(nil, len(texts))
	assert.False(t, ok, "past the last row")

	// Transform leaves the fitted rows' tokens alone; DropTokens drops
	// them.
	v.Transform(texts[:10])
	_, ok = v.RowSpans(nil, 0)
	assert.True(t, ok)
	v.DropTokens()
	_, ok = v.RowSpans(nil, 0)
	assert.False(t, ok)

	// With bigrams, nothing is recorded.
	vb := NewVectorizer(a, Config{Bigrams: true})
	vb.RecordTokens()
	_, err = vb.FitTransform(texts)
	require.NoError(t, err)
	for i := range texts {
		_, ok := vb.RowSpans(nil, i)
		require.False(t, ok)
	}
}

// TermSpans gives each span its term's column, by word number or by
// string alike, and -1 before Fit or for a term the vocabulary lacks.
func TestTermSpansCol(t *testing.T) {
	texts, _, _ := sampleTexts(t)
	a := tokenize.NewAnalyzer(tokenize.Config{})
	v := NewVectorizer(a, Config{})
	for _, sp := range v.TermSpans(nil, a.Tokens(texts[0])) {
		assert.Equal(t, -1, sp.Col, "before Fit")
	}
	_, err := v.FitTransform(texts)
	require.NoError(t, err)
	vocab := v.Vocabulary()
	// Forms met only after Fit have word numbers past the fitted ones.
	late := "Les contributions citoyennes, zorglubesques et fiscalitéssimes"
	cols := map[int]bool{}
	for _, text := range append(texts[:50:50], late) {
		for _, sp := range v.TermSpans(nil, a.Tokens(text)) {
			assert.Equal(t, vocab.Index(sp.Term), sp.Col, "%q", sp.Term)
			cols[sp.Col] = true
		}
	}
	assert.True(t, cols[-1], "a term the vocabulary lacks")
	assert.Greater(t, len(cols), 100)
}

// TestPermuteRows checks the in-place reordering of the result's centroids
// against a copy, on permutations with fixed points and cycles of every
// length.
func TestPermuteRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, k := range []int{1, 2, 3, 7, 51} {
		for range 20 {
			const V = 4
			order := rng.Perm(k)
			c := make([]float64, k*V)
			for i := range c {
				c[i] = float64(i)
			}
			want := make([]float64, 0, k*V)
			for _, old := range order {
				want = append(want, c[old*V:(old+1)*V]...)
			}
			assert.Equal(t, want, permuteRows(c, V, order), "order %v", order)
		}
	}
}

// transposeBlocks writes every weight where the plain loop does, for
// sizes around its blocks, and leaves the padding of each row (past k, to
// the stride) zero.
func TestTransposeBlocks(t *testing.T) {
	for _, k := range []int{1, 2, 7, 8, 51} {
		kp := centroids.Stride(k)
		for _, V := range []int{1, 7, 8, 9, 16, 17, 100} {
			c := make([]float64, k*V)
			for i := range c {
				c[i] = float64(i) + 0.5
			}
			want := make([]float64, kp*V)
			for j := 0; j < k; j++ {
				for tt := 0; tt < V; tt++ {
					want[tt*kp+j] = c[j*V+tt]
				}
			}
			got := make([]float64, kp*V)
			transposeBlocks(got, c, k, kp, V)
			if !slices.Equal(want, got) {
				t.Fatalf("k=%d V=%d: %v, want %v", k, V, got, want)
			}
		}
	}
}

// SampleRows draws what Floyd's algorithm draws, a sample sorted and
// without repeats, whether the rows come in increasing order or not.
func TestSampleRows(t *testing.T) {
	rows := make([]int, 1000)
	for i := range rows {
		rows[i] = 3 * i
	}
	floyd := func(rows []int, size int, seed uint64) []int {
		rng := rand.New(rand.NewPCG(seed, 0x5A3B))
		chosen := map[int]bool{}
		var out []int
		for j := len(rows) - size; j < len(rows); j++ {
			p := rng.IntN(j + 1)
			if chosen[p] {
				p = j
			}
			chosen[p] = true
			out = append(out, rows[p])
		}
		slices.Sort(out)
		return out
	}
	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, size := range []int{1, 63, 64, 65, 500, 999} {
		for _, list := range [][]int{rows, shuffled} {
			got := SampleRows(list, size, 7)
			require.Equal(t, floyd(list, size, 7), got, "size %d", size)
			require.True(t, slices.IsSorted(got))
			require.Len(t, slices.Compact(slices.Clone(got)), size)
		}
	}
	assert.Equal(t, rows, SampleRows(rows, len(rows)+1, 7), "all of them")
}
