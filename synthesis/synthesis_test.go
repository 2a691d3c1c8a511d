package synthesis

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/internal/minhash"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/")

// sample returns the embedded Grand Débat sample as contributions, the
// first n of them (all when n <= 0).
func sample(t testing.TB, n int) []Contribution {
	in, err := sampleContributions(n)
	require.NoError(t, err)
	return in
}

func sampleContributions(n int) ([]Contribution, error) {
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	if err != nil {
		return nil, err
	}
	var in []Contribution
	for _, r := range rows[1:] {
		in = append(in, Contribution{ID: r[0], Text: r[1], Meta: map[string]string{"question_id": r[3]}})
	}
	if n > 0 {
		in = in[:n]
	}
	return in, nil
}

// withCampaign adds a copy-pasted campaign, a near copy, empty texts and a
// text of stop words only to the sample.
func withCampaign(in []Contribution) []Contribution {
	campaign := "Je demande la suppression de la taxe foncière pour les retraités modestes de nos communes rurales."
	in = slices.Clone(in)
	for i := 0; i < 30; i++ {
		text := campaign
		if i%3 == 1 {
			text = strings.ToUpper(campaign) // same after light normalisation
		}
		in = append(in, Contribution{ID: "campagne-" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Text: text})
	}
	in = append(in,
		Contribution{ID: "presque-copie", Text: "Je demande la suppression de la taxe foncière pour les retraités modestes de nos communes rurales. Merci."},
		Contribution{ID: "vide-1", Text: ""},
		Contribution{ID: "vide-2", Text: "  \n\t "},
		Contribution{ID: "mots-vides", Text: "et que de la le ou"},
	)
	return in
}

func run(t testing.TB, in []Contribution, cfg Config) *Report {
	t.Helper()
	rep, err := Run(context.Background(), in, cfg)
	require.NoError(t, err)
	return rep
}

func encode(t testing.TB, r *Report) []byte {
	b, err := r.MarshalJSONBytes()
	require.NoError(t, err)
	return b
}

var testCfg = Config{Cluster: cluster.Config{K: 12}}

func TestInvariants(t *testing.T) {
	in := withCampaign(sample(t, 0))
	rep := run(t, in, testCfg)
	text := map[string]string{}
	for _, c := range in {
		text[c.ID] = c.Text
	}

	// Accounting adds up, and matches the statuses.
	a := rep.Accounting
	assert.Equal(t, len(in), a.Input)
	assert.Equal(t, a.Input, a.Assigned+a.Outlier+a.Duplicate+a.Excluded)
	counts := map[string]int{}
	for _, c := range rep.Contributions {
		counts[c.Status]++
	}
	assert.Equal(t, map[string]int{StatusAssigned: a.Assigned, StatusOutlier: a.Outlier, StatusDuplicate: a.Duplicate,
		StatusExcluded: a.Excluded}, counts)
	assert.Len(t, rep.Contributions, len(in))

	// Themes: sizes, members, order, shares.
	members := 0
	for p, th := range rep.Themes {
		assert.Equal(t, themeID(p), th.ID)
		assert.Equal(t, th.Size, len(th.Members))
		assert.LessOrEqual(t, th.Distinct, th.Size)
		assert.True(t, slices.IsSorted(th.Members))
		assert.InDelta(t, float64(th.Size)/float64(len(in)), th.Share, 1e-12)
		if p > 0 {
			assert.GreaterOrEqual(t, rep.Themes[p-1].Size, th.Size)
		}
		assert.Len(t, th.Terms, 15)
		assert.NotEmpty(t, th.Label)
		members += th.Size
		// Every quote is the bytes it points at.
		for _, rp := range th.Representatives {
			q := rp.Quote
			require.LessOrEqual(t, q.End, len(text[rp.Contribution]))
			assert.Equal(t, text[rp.Contribution][q.Start:q.End], q.Text, "quote of %s", rp.Contribution)
		}
	}
	// Members are the assigned contributions and their duplicates.
	theme := map[string]string{}
	for _, c := range rep.Contributions {
		theme[c.ID] = c.Theme
	}
	inTheme := 0
	for _, c := range rep.Contributions {
		if c.Status == StatusAssigned || (c.Status == StatusDuplicate && statusOf(rep, c.Canonical) == StatusAssigned) {
			inTheme++
		}
	}
	assert.Equal(t, inTheme, members)

	for _, c := range rep.Contributions {
		if c.Status == StatusExcluded {
			assert.Contains(t, []string{ReasonEmpty, ReasonNoTerms}, c.Reason)
			assert.Empty(t, c.Evidence)
			continue
		}
		// Evidence sums to the similarity; spans are the words.
		sum := 0.0
		for _, e := range c.Evidence {
			sum += e.Contribution
			require.NotEmpty(t, e.Spans, "%s: %s", c.ID, e.Stem)
			for _, sp := range e.Spans {
				require.LessOrEqual(t, sp[1], len(text[c.ID]))
				assert.NotEmpty(t, text[c.ID][sp[0]:sp[1]])
			}
		}
		assert.InDelta(t, c.Similarity, sum, 1e-9, "evidence of %s", c.ID)
		assert.NotEmpty(t, c.Theme)
		assert.NotEqual(t, c.Theme, c.RunnerUp)
		assert.LessOrEqual(t, c.Margin, c.Similarity+1e-12)
		if c.Status == StatusAssigned {
			assert.GreaterOrEqual(t, c.Similarity, 0.05)
			assert.GreaterOrEqual(t, c.Margin, -1e-12, "%s: assigned to its nearest theme", c.ID)
		}
		if c.Status == StatusOutlier {
			assert.Less(t, c.Similarity, 0.05)
		}
	}
}

func statusOf(r *Report, id string) string {
	for _, c := range r.Contributions {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func TestDuplicatesAndExclusions(t *testing.T) {
	in := withCampaign(sample(t, 300))
	rep := run(t, in, Config{Cluster: cluster.Config{K: 5}})
	require.NotEmpty(t, rep.Duplicates)
	g := rep.Duplicates[0]
	assert.Equal(t, "near", g.Kind, "the near copy joins the campaign")
	assert.Len(t, g.Members, 31)
	assert.Contains(t, g.Members, "presque-copie")
	assert.Equal(t, "campagne-aa", g.Canonical, "the smallest id")

	byID := map[string]ContributionResult{}
	for _, c := range rep.Contributions {
		byID[c.ID] = c
	}
	canon := byID["campagne-aa"]
	for _, id := range g.Members[1:] {
		c := byID[id]
		assert.Equal(t, StatusDuplicate, c.Status, id)
		assert.Equal(t, "campagne-aa", c.Canonical, id)
		assert.Equal(t, canon.Theme, c.Theme, id)
	}
	// The campaign's theme counts all 31, but 1 distinct text.
	for _, th := range rep.Themes {
		if th.ID == canon.Theme {
			assert.GreaterOrEqual(t, th.Size-th.Distinct, 30)
		}
	}
	assert.Equal(t, ReasonEmpty, byID["vide-1"].Reason)
	assert.Equal(t, ReasonEmpty, byID["vide-2"].Reason)
	assert.Equal(t, ReasonNoTerms, byID["mots-vides"].Reason)
	assert.Equal(t, StatusExcluded, byID["vide-1"].Status)
}

func TestDeterminism(t *testing.T) {
	in := withCampaign(sample(t, 0))
	var want []byte
	func() {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		want = encode(t, run(t, in, testCfg))
	}()
	func() {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
		got := encode(t, run(t, in, testCfg))
		assert.True(t, bytes.Equal(want, got), "report differs between GOMAXPROCS 1 and 8")
	}()
	shuffled := slices.Clone(in)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	got := encode(t, run(t, shuffled, testCfg))
	assert.True(t, bytes.Equal(want, got), "report differs for shuffled input")

	// Round trip: a decoded report encodes to the same bytes.
	dec, err := ReadJSON(bytes.NewReader(want))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(want, encode(t, dec)), "decode/encode changes the report")
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	in := sample(t, 400)
	cfg := Config{Cluster: cluster.Config{K: 6}, StabilityRuns: 2}
	good := encode(t, run(t, in, cfg))
	fresh := func() *Report {
		r, err := ReadJSON(bytes.NewReader(good))
		require.NoError(t, err)
		return r
	}
	require.NoError(t, Verify(ctx, fresh(), in), "untouched report")

	mismatch := func(err error) *Mismatch {
		t.Helper()
		var m *Mismatch
		require.True(t, errors.As(err, &m), "want a *Mismatch, got %v", err)
		return m
	}

	r := fresh()
	r.Themes[3].Representatives[0].Quote.Text += "!"
	m := mismatch(Verify(ctx, r, in))
	assert.Equal(t, "themes[3].representatives[0].quote.text", m.Path)

	changed := slices.Clone(in)
	changed[17].Text += " Et la justice fiscale."
	m = mismatch(Verify(ctx, fresh(), changed))
	assert.Equal(t, ".sha256", m.Path[strings.LastIndex(m.Path, "."):])
	assert.Contains(t, m.Error(), in[17].ID)

	m = mismatch(Verify(ctx, fresh(), in[:len(in)-1]))
	assert.Contains(t, m.Error(), "in the report but not in the inputs")

	added := append(slices.Clone(in), Contribution{ID: "zz-ajout", Text: "Une contribution de plus sur les impôts."})
	m = mismatch(Verify(ctx, fresh(), added))
	assert.Contains(t, m.Error(), `"zz-ajout" is in the inputs but not in the report`)

	r = fresh()
	r.Manifest.Config.Cluster.Seed++
	m = mismatch(Verify(ctx, r, in))
	assert.NotEqual(t, "manifest.config.Cluster.Seed", m.Path, "the seed is the report's; what it gives differs elsewhere")
	t.Logf("seed changed: %v", m)

	r = fresh()
	r.Contributions[5].Evidence[0].Spans[0][0]++
	m = mismatch(Verify(ctx, r, in))
	assert.Equal(t, "contributions[5].evidence[0].spans[0][0]", m.Path)

	r = fresh()
	r.Schema = "autre"
	m = mismatch(Verify(ctx, r, in))
	assert.Equal(t, "schema", m.Path)
}

func TestInputErrors(t *testing.T) {
	_, err := Run(context.Background(), []Contribution{{ID: "a", Text: "x"}, {ID: "b", Text: "y"}, {ID: "a", Text: "z"}}, Config{})
	var ie *InputError
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, []int{0, 2}, ie.Positions)
	assert.Equal(t, `synthesis: contribution at position 0 and 2 (id "a"): duplicate id`, err.Error())

	_, err = Run(context.Background(), []Contribution{{ID: "a", Text: "x"}, {ID: "", Text: "y"}}, Config{})
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, []int{1}, ie.Positions)
	assert.Contains(t, err.Error(), "empty id")

	// Both problems: the first in the input's order is reported.
	_, err = Run(context.Background(), []Contribution{{ID: "b", Text: "x"}, {ID: "a", Text: "y"}, {ID: "b", Text: "z"}, {ID: "", Text: "w"}}, Config{})
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, []int{0, 2}, ie.Positions)
	_, err = Run(context.Background(), []Contribution{{ID: "b", Text: "x"}, {ID: "", Text: "w"}, {ID: "b", Text: "z"}}, Config{})
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, []int{1}, ie.Positions)

	// Nothing to cluster: an honest report of exclusions.
	rep := run(t, []Contribution{{ID: "a", Text: ""}, {ID: "b", Text: "le la"}}, Config{})
	assert.Equal(t, Accounting{Input: 2, Excluded: 2}, rep.Accounting)
	assert.Empty(t, rep.Themes)

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Run(cancelled, sample(t, 100), Config{Cluster: cluster.Config{K: 3}})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestProgress(t *testing.T) {
	var stages []string
	cfg := Config{Cluster: cluster.Config{K: 3}, StabilityRuns: 1, Progress: func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
	}}
	run(t, sample(t, 200), cfg)
	assert.Equal(t, []string{"duplicates", "vectorize", "cluster", "explain", "stability", "themes", "report"}, stages)
}

// TestVerifyJSONProgress checks that a verification reports its re-run's
// stages, in order, and verifies as VerifyJSON does.
func TestVerifyJSONProgress(t *testing.T) {
	in := sample(t, 200)
	good := encode(t, run(t, in, Config{Cluster: cluster.Config{K: 3}, StabilityRuns: 1}))
	var stages []string
	err := VerifyJSONProgress(context.Background(), bytes.NewReader(good), in, func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"duplicates", "vectorize", "cluster", "explain", "stability", "themes", "report"}, stages)
}

// TestGolden compares the report of the first 160 answers of the sample
// with testdata/sample160.report.json.golden (go test -update rewrites it).
func TestGolden(t *testing.T) {
	got := encode(t, run(t, sample(t, 160), Config{Cluster: cluster.Config{K: 4}}))
	path := "testdata/sample160.report.json.golden"
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update once to create it")
	if !bytes.Equal(want, got) {
		a, _ := parseOrdered(want)
		b, _ := parseOrdered(got)
		t.Fatalf("report differs from the golden file (go test -update rewrites it): %v", firstDifference("", a, b))
	}
}

func TestAutoK(t *testing.T) {
	rep := run(t, sample(t, 600), Config{Cluster: cluster.Config{KCandidates: []int{2, 4, 6, 8}}, StabilityRuns: 1})
	ks := rep.Manifest.KSelection
	assert.Equal(t, "silhouette", ks.Method)
	assert.Len(t, ks.Candidates, 4)
	assert.Equal(t, ks.Chosen, len(rep.Themes))
	best := ks.Candidates[0]
	for _, c := range ks.Candidates {
		if c.Score > best.Score {
			best = c
		}
	}
	assert.Equal(t, best.K, ks.Chosen)
	assert.False(t, math.IsNaN(best.Score))
}

// TestSampledStability runs the sampled stability of large corpora on the
// sample, with the threshold lowered: deterministic, within [0, 1], and the
// report otherwise the same as with full reruns.
func TestSampledStability(t *testing.T) {
	in := sample(t, 800)
	cfg := Config{Cluster: cluster.Config{K: 6}, StabilityRuns: 3}
	full := run(t, in, cfg)
	defer func(n int) { stabilitySample = n }(stabilitySample)
	stabilitySample = 500
	a := run(t, in, cfg)
	b := run(t, in, cfg)
	assert.Equal(t, encode(t, a), encode(t, b), "sampled stability is deterministic")
	for p, th := range a.Themes {
		assert.GreaterOrEqual(t, th.Stability, 0.0)
		assert.LessOrEqual(t, th.Stability, 1.0)
		full.Themes[p].Stability = th.Stability
	}
	assert.Equal(t, encode(t, full), encode(t, a), "only stability differs")
}

// TestStabilityStopped: the stability reruns start with the clustering;
// a synthesis cancelled before its themes are built waits for them to
// stop, so that none is left running once Run has returned.
func TestStabilityStopped(t *testing.T) {
	in := sample(t, 300)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := false
	cfg := Config{Cluster: cluster.Config{K: 4}, StabilityRuns: 8, Progress: func(p Progress) {
		if p.Stage == "cluster" && p.Done == 0 {
			started = true
			cancel()
		}
	}}
	_, err := Run(ctx, in, cfg)
	require.True(t, started, "the clustering started")
	assert.ErrorIs(t, err, context.Canceled)
	// A rerun's goroutine ends just after it reports its end.
	for range 100 {
		if runtime.NumGoroutine() <= before {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "no rerun left running")
}

// TestSampleBatch: a stability rerun on a sample makes the main run's
// number of mini-batch steps (max(50, rows/batch), see cluster.KMeans),
// hence as many passes over its sample, until the batch reaches its floor.
func TestSampleBatch(t *testing.T) {
	steps := func(rows, batch int) int { return max(50, rows/batch) }
	for _, rows := range []int{60_000, 365_000, 800_000} {
		b := sampleBatch(4096, 51, 50_000, rows)
		assert.InDelta(t, steps(rows, 4096), steps(50_000, b), 1, "%d rows: batch %d", rows, b)
	}
	assert.Equal(t, 256, sampleBatch(4096, 51, 50_000, 2_000_000), "floor")
	assert.Equal(t, 300, sampleBatch(4096, 300, 50_000, 2_000_000), "never under k")
}

// TestWriteJSONMatchesMarshal checks that the streaming writer gives the
// bytes encoding/json gives for the whole report.
func TestWriteJSONMatchesMarshal(t *testing.T) {
	for _, rep := range []*Report{run(t, withCampaign(sample(t, 200)), Config{Cluster: cluster.Config{K: 4}}), {Schema: Schema}} {
		var want bytes.Buffer
		require.NoError(t, json.NewEncoder(&want).Encode(rep))
		assert.Equal(t, want.String(), string(encode(t, rep)))
	}
}

// The hand-written encoding of a contribution is json.Marshal's, byte for
// byte, whatever its status, texts, floats and meta.
func TestAppendContributionMatchesEncodingJSON(t *testing.T) {
	in := sample(t, 300)
	in = append(in,
		Contribution{ID: "zz-<b>&\u2028", Text: "Les impôts <script>alert(1)</script> et \xff « L’État »", Meta: map[string]string{"zip": "75001", "b": "<&>", "a": ""}},
		Contribution{ID: "zz-empty", Text: "  "},
		Contribution{ID: "zz-dup", Text: in[0].Text},
	)
	rep := run(t, in, Config{Cluster: cluster.Config{K: 4}, StabilityRuns: -1})
	cases := rep.Contributions
	cases = append(cases,
		ContributionResult{ID: "x", Similarity: 1e-7, Margin: -2.5e-9, Evidence: nil},
		ContributionResult{ID: "y", Evidence: []Evidence{{Stem: "a", Contribution: 1e21, Spans: nil}}, Meta: map[string]string{}},
	)
	statuses := map[string]bool{}
	for i := range cases {
		want, err := json.Marshal(&cases[i])
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendContribution(nil, &cases[i])))
		statuses[cases[i].Status] = true
	}
	assert.Len(t, statuses, 4, "assigned, outlier or duplicate, excluded and the hand-made cases are covered")
}

// The hand-written encodings of themes and duplicate groups are
// json.Marshal's, byte for byte, members nil, empty or hostile.
func TestAppendThemeAndGroupMatchEncodingJSON(t *testing.T) {
	in := sample(t, 300)
	in = append(in, Contribution{ID: "zz-dup", Text: in[0].Text})
	rep := run(t, in, Config{Cluster: cluster.Config{K: 4}})
	themes := append(rep.Themes,
		Theme{ID: "T99"},
		Theme{ID: "T98", Label: `"members":null}`, Members: []string{}},
		Theme{ID: "T97", Members: []string{"<b>&\u2028", "\xff", `"members":null}`}},
	)
	requireMarshalled(t, themes, appendTheme)
	require.NotEmpty(t, rep.Duplicates, "the sample has duplicates")
	groups := append(rep.Duplicates,
		DuplicateGroup{},
		DuplicateGroup{Canonical: "<&>", Members: []string{}, Kind: "near"},
		DuplicateGroup{Canonical: "\xff", Members: []string{"a\u2029", `"kind":"x"`}, Kind: "exact"},
	)
	requireMarshalled(t, groups, appendDuplicateGroup)
}

// requireMarshalled requires add to append, for each of items, the bytes
// json.Marshal gives.
func requireMarshalled[T any](t *testing.T, items []T, add func([]byte, *T) ([]byte, error)) {
	t.Helper()
	for i := range items {
		want, err := json.Marshal(&items[i])
		require.NoError(t, err)
		got, err := add(nil, &items[i])
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "item %d", i)
	}
}

// mostSimilar picks the first n rows of the order by decreasing
// similarity then row, whether it selects (small n) or sorts (large n),
// with many ties.
func TestMostSimilar(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]outcome, 3000)
	for i := range out {
		out[i].similarity = float64(rng.IntN(40)) / 40 // ties
	}
	var rows []int
	for i := range out {
		if rng.IntN(3) > 0 {
			rows = append(rows, i)
		}
	}
	want := slices.Clone(rows)
	slices.SortStableFunc(want, func(a, b int) int { return -cmp.Compare(out[a].similarity, out[b].similarity) })
	for _, n := range []int{0, 1, 5, 16, 17, 100, len(rows), len(rows) + 3} {
		got := mostSimilar(slices.Values(rows), out, n)
		require.Equal(t, want[:min(n, len(rows))], got, "n=%d", n)
	}
	assert.Empty(t, mostSimilar(slices.Values([]int(nil)), out, 5))
}

// referenceNormalize is lightNormalize written the plain way, rune by
// rune through package unicode.
func referenceNormalize(text string) string {
	var b strings.Builder
	space := false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

func TestLightNormalizeAndShingles(t *testing.T) {
	texts := []string{"", "  ", "Oui, MERCI !", "L’État doit-il payer 1 000 € ?", "ÉCOLE\tpublique\n\n2019", "bad \xff byte Ωmega",
		"un deux trois quatre cinq six sept", "Un  deux, trois; quatre... cinq six sept deux trois quatre"}
	for _, c := range sample(t, 300) {
		texts = append(texts, c.Text)
	}
	for _, text := range texts {
		norm := lightNormalize(text)
		require.Equal(t, referenceNormalize(text), norm, "%q", text)
		// Shingles: FNV-1a of each run of three words, each word followed
		// by a zero byte, as a sorted set.
		words := strings.Fields(norm)
		var want []uint64
		if len(words) >= minNearWords {
			for i := 0; i+shingleWords <= len(words); i++ {
				want = append(want, fnv64([]byte(strings.Join(words[i:i+shingleWords], "\x00")+"\x00")))
			}
			slices.Sort(want)
			want = slices.Compact(want)
		}
		assert.Equal(t, want, shingles(norm), "%q", text)
	}
}

// fnv64 is the 64-bit FNV-1a hash of s, as the shingle list hashes each
// word 3-shingle.
func fnv64(s []byte) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * prime
	}
	return h
}

// TestShingleList holds the one-pass shingle list to a shingle at a time
// (FNV-1a over each run of three words, each followed by a zero byte),
// in order, repeats included, on any bytes: spaces doubled, leading or
// trailing included.
func TestShingleList(t *testing.T) {
	reference := func(norm []byte) []uint64 {
		var words [][]byte
		for i := 0; i < len(norm); {
			j := i
			for j < len(norm) && norm[j] != ' ' {
				j++
			}
			words = append(words, norm[i:j])
			i = j + 1
		}
		if len(words) < minNearWords {
			return nil
		}
		var out []uint64
		for i := 0; i+shingleWords <= len(words); i++ {
			var b []byte
			for _, w := range words[i : i+shingleWords] {
				b = append(append(b, w...), 0)
			}
			out = append(out, fnv64(b))
		}
		return out
	}
	inputs := []string{"", " ", "a b c d e", "a b c d e f", "a b c d e f g", "  a  b c d e f ", "oui oui oui oui oui oui non",
		"é\xff\x00 b c d e f g h", "a b c d e f "}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(60))
		for i := range b {
			const alphabet = " ab\xc3\xa9"
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		inputs = append(inputs, string(b))
	}
	var sc shingleScratch
	for _, in := range inputs {
		want := reference([]byte(in))
		got := sc.list([]byte(in))
		if len(want) == 0 {
			assert.Empty(t, got, "%q", in)
			continue
		}
		assert.Equal(t, want, got, "%q", in)
	}
}

// TestSignature: each MinHash value is the least of its hash over the
// set, so the signature of a union is the values' minima of the parts',
// whatever the order, and the empty set's is all ones.
// shingles is the shingle set of a light normalisation, in a slice of
// its own.
func shingles(norm string) []uint64 {
	var sc shingleScratch
	return slices.Clone(sc.shingles([]byte(norm)))
}

func TestSignature(t *testing.T) {
	var empty [minHashes]uint64
	for k := range empty {
		empty[k] = ^uint64(0)
	}
	assert.Equal(t, empty, signature(nil))
	a, b := shingles("un deux trois quatre cinq six sept"), shingles("huit neuf dix onze douze treize")
	union := slices.Concat(b, a)
	want := signature(a)
	for k, v := range signature(b) {
		want[k] = min(want[k], v)
	}
	assert.Equal(t, want, signature(union))
	assert.NotEqual(t, signature(a), signature(b))
	for k, seed := range minHashSeeds {
		m := ^uint64(0)
		for _, sh := range a {
			if v := minhash.Mix(sh ^ seed); v < m {
				m = v
			}
		}
		assert.Equal(t, m, signature(a)[k], "value %d", k)
	}
	// The unsorted list with its repeats, as the LSH keys use it, signs
	// as the set does.
	var sc shingleScratch
	norm := []byte("oui oui oui oui oui oui non non non oui oui oui")
	list := slices.Clone(sc.list(norm))
	set := sc.shingles(norm)
	require.Greater(t, len(list), len(set), "the list has repeats")
	assert.False(t, slices.IsSorted(list))
	assert.Equal(t, signature(set), signature(list))
}

func TestVerifyJSON(t *testing.T) {
	ctx := context.Background()
	in := sample(t, 300)
	good := encode(t, run(t, in, Config{Cluster: cluster.Config{K: 5}, StabilityRuns: 1}))
	require.NoError(t, VerifyJSON(ctx, bytes.NewReader(good), in), "the report's own bytes")

	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, good, "", "  "))
	require.NoError(t, VerifyJSON(ctx, bytes.NewReader(pretty.Bytes()), in), "the same report, pretty-printed")

	tampered := bytes.Replace(good, []byte(`"similarity":0.`), []byte(`"similarity":0.9`), 1)
	require.NotEqual(t, good, tampered)
	var m *Mismatch
	require.ErrorAs(t, VerifyJSON(ctx, bytes.NewReader(tampered), in), &m)
	assert.Contains(t, m.Path, "similarity")

	m = nil
	require.ErrorAs(t, VerifyJSON(ctx, bytes.NewReader(good), in[1:]), &m)
	assert.Contains(t, m.Error(), "in the report but not in the inputs")

	other := bytes.Replace(good, []byte(Schema), []byte("limpide.report/v0"), 1)
	var se *SchemaError
	assert.ErrorAs(t, VerifyJSON(ctx, bytes.NewReader(other), in), &se)
	assert.Error(t, VerifyJSON(ctx, bytes.NewReader([]byte("not json")), in))
	assert.Error(t, VerifyJSON(ctx, bytes.NewReader(good[:len(good)/2]), in), "a truncated report")

	head, err := ReadHeader(bytes.NewReader(good))
	require.NoError(t, err)
	full, err := ReadJSON(bytes.NewReader(good))
	require.NoError(t, err)
	assert.Equal(t, full.Manifest, head.Manifest)
	assert.Nil(t, head.Contributions)
}

// Exact duplicates are told apart by their normalisation, not only by its
// hash: with every hash colliding, the groups are the same.
func TestDuplicateHashCollisions(t *testing.T) {
	in := withCampaign(sample(t, 300))
	in = append(in, Contribution{ID: "zz-1", Text: "IMPÔTS, impôts !"}, Contribution{ID: "zz-2", Text: "impôts impôts"},
		Contribution{ID: "zz-3", Text: "Les taxes."}, Contribution{ID: "zz-4", Text: "les   TAXES"})
	texts := make([]string, len(in))
	for i, c := range in {
		texts[i] = c.Text
	}
	skip := make([]bool, len(in))
	wantCanon, wantNear := dupGroups(texts, skip, 0.8)
	defer func(h func([]byte) uint64) { normHash = h }(normHash)
	normHash = func([]byte) uint64 { return 7 }
	canon, near := dupGroups(texts, skip, 0.8)
	assert.Equal(t, wantCanon, canon)
	assert.Equal(t, wantNear, near)
	n := len(in)
	assert.Equal(t, n-4, canon[n-3], "zz-2 joins zz-1")
	assert.Equal(t, n-2, canon[n-1], "zz-4 joins zz-3")
	assert.NotEqual(t, canon[n-4], canon[n-2])
}

func TestFindContribution(t *testing.T) {
	rep := run(t, withCampaign(sample(t, 200)), Config{Cluster: cluster.Config{K: 4}, StabilityRuns: 1})
	good := encode(t, rep)
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, good, "", "  "))
	want := *rep
	want.Contributions = nil
	for _, doc := range [][]byte{good, pretty.Bytes()} {
		for i := 0; i < len(rep.Contributions); i += 37 {
			head, c, err := FindContribution(bytes.NewReader(doc), rep.Contributions[i].ID)
			require.NoError(t, err)
			require.NotNil(t, c)
			assert.Equal(t, rep.Contributions[i], *c)
			assert.Equal(t, want.Themes, head.Themes)
			assert.Equal(t, want.Manifest, head.Manifest)
		}
		head, c, err := FindContribution(bytes.NewReader(doc), "no-such-id")
		require.NoError(t, err)
		assert.Nil(t, c)
		assert.Equal(t, want.Accounting, head.Accounting)
	}
	_, _, err := FindContribution(bytes.NewReader(bytes.Replace(good, []byte(Schema), []byte("autre/v9"), 1)), rep.Contributions[0].ID)
	var se *SchemaError
	assert.ErrorAs(t, err, &se)
	_, _, err = FindContribution(bytes.NewReader([]byte("[1,2]")), "x")
	assert.Error(t, err)

	// The contributions before the head: the entry is found, and the
	// head read after it.
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(good, &fields))
	var reordered bytes.Buffer
	reordered.WriteString(`{"contributions":`)
	reordered.Write(fields["contributions"])
	for _, k := range []string{"schema", "manifest", "accounting", "themes", "duplicates"} {
		fmt.Fprintf(&reordered, ",%q:%s", k, fields[k])
	}
	reordered.WriteString("}")
	last := rep.Contributions[len(rep.Contributions)/2]
	head, c, err := FindContribution(bytes.NewReader(reordered.Bytes()), last.ID)
	require.NoError(t, err)
	require.NotNil(t, c)
	assert.Equal(t, last, *c)
	assert.Equal(t, want.Themes, head.Themes)

	// A report cut short, or broken in the entries skipped, is an error.
	for _, broken := range [][]byte{good[:len(good)-len(good)/3], bytes.Replace(good, []byte(`"spans":[[`), []byte(`"spans":[`), 1)} {
		_, c, err := FindContribution(bytes.NewReader(broken), "no-such-id")
		assert.Error(t, err)
		assert.Nil(t, c)
	}
	// Ids that need escaping are found.
	odd := rep.Contributions[0]
	odd.ID = `a "quoted" id \ with <html>`
	rep2 := *rep
	rep2.Contributions = append([]ContributionResult{odd}, rep.Contributions...)
	_, c, err = FindContribution(bytes.NewReader(encode(t, &rep2)), odd.ID)
	require.NoError(t, err)
	require.NotNil(t, c)
	assert.Equal(t, odd.ID, c.ID)
}

// Each stops at the first error of its callback or of its context, and
// gives the contributions in id order, the same as Run's.
func TestEachStopsAndOrders(t *testing.T) {
	in := sample(t, 2000) // two chunks of Each and some
	ctx := context.Background()
	syn, err := Synthesize(ctx, in, Config{Cluster: cluster.Config{K: 5}, StabilityRuns: -1})
	require.NoError(t, err)
	var ids []string
	require.NoError(t, syn.Each(ctx, func(c *Contribution, r *ContributionResult) error {
		require.Equal(t, c.ID, r.ID)
		ids = append(ids, r.ID)
		return nil
	}))
	assert.Len(t, ids, len(in))
	assert.True(t, slices.IsSorted(ids))

	stop := errors.New("stop")
	n := 0
	err = syn.Each(ctx, func(*Contribution, *ContributionResult) error {
		if n++; n == 1100 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1100, n)

	cancelled, cancel := context.WithCancel(ctx)
	n = 0
	err = syn.Each(cancelled, func(*Contribution, *ContributionResult) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 10, n, "nothing given after the cancellation")
}

// EachBatch gives what Each gives, in batches whose memory comes back
// when they are released, even late and from another goroutine; it stops
// at the first error of its callback.
func TestEachBatch(t *testing.T) {
	defer func(n int) { eachChunk = n }(eachChunk)
	eachChunk = 50 // 40 batches
	in := sample(t, 2000)
	ctx := context.Background()
	syn, err := Synthesize(ctx, in, Config{Cluster: cluster.Config{K: 5}, StabilityRuns: -1})
	require.NoError(t, err)
	var want [][]byte
	require.NoError(t, syn.Each(ctx, func(_ *Contribution, r *ContributionResult) error {
		want = append(want, appendContribution(nil, r))
		return nil
	}))

	// The batches are encoded and released on another goroutine, a few
	// behind.
	var got [][]byte
	seen := map[*Batch]int{}
	given := make(chan *Batch, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range given {
			for k := range b.Out {
				require.Equal(t, b.In[k].ID, b.Out[k].ID)
				got = append(got, appendContribution(nil, &b.Out[k]))
			}
			b.Release()
			b.Release() // a second Release does nothing
		}
	}()
	batches := 0
	require.NoError(t, syn.EachBatch(ctx, func(b *Batch) error {
		batches++
		seen[b]++
		given <- b
		return nil
	}))
	close(given)
	<-done
	assert.Equal(t, 40, batches)
	// Those explained ahead, those in given, the one being read and the
	// one being sent: no more.
	assert.LessOrEqual(t, len(seen), 2*runtime.GOMAXPROCS(0)+4+2, "batches reused")
	require.Equal(t, len(want), len(got))
	for i := range want {
		require.Equal(t, string(want[i]), string(got[i]), "contribution %d", i)
	}

	// Batches never released are not reused, and nothing waits for them.
	kept := map[*Batch]bool{}
	require.NoError(t, syn.EachBatch(ctx, func(b *Batch) error {
		kept[b] = true
		return nil
	}))
	assert.Len(t, kept, 40)

	stop := errors.New("stop")
	n := 0
	err = syn.EachBatch(ctx, func(b *Batch) error {
		defer b.Release()
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 3, n)
}

// TestSortedInputKeepsOrCopies checks what Synthesize documents: input in
// id order is kept as given (no copy of its headers), input in another
// order is sorted in a copy and the caller's slice keeps its order.
func TestSortedInputKeepsOrCopies(t *testing.T) {
	in := sample(t, 50)
	slices.SortFunc(in, func(a, b Contribution) int { return strings.Compare(a.ID, b.ID) })
	got, err := sortedInput(in)
	require.NoError(t, err)
	assert.Same(t, &in[0], &got[0], "input in id order is kept, not copied")

	shuffled := slices.Clone(in)
	shuffled[0], shuffled[len(shuffled)-1] = shuffled[len(shuffled)-1], shuffled[0]
	before := slices.Clone(shuffled)
	got, err = sortedInput(shuffled)
	require.NoError(t, err)
	assert.NotSame(t, &shuffled[0], &got[0])
	assert.Equal(t, in, got, "sorted by id")
	assert.Equal(t, before, shuffled, "the caller's slice keeps its order")
}

// groupByKey puts the band entries of each key next to each other, in
// text order, as sorting by key then by text would, given entries in text
// order; the groups may come in any order. Keys that share their low bits
// (the radix passes' only bits) and keys that many entries share are
// forced in.
func TestGroupByKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 2, 100, 5000, 50000} {
		entries := make([]bandEntry, n)
		for i := range entries {
			key := rng.Uint64()
			switch r := rng.IntN(6); {
			case i > 0 && r < 2:
				key = entries[rng.IntN(i)].key // shared buckets
			case i > 0 && r == 2:
				key = entries[rng.IntN(i)].key ^ rng.Uint64()<<22 // same low bits
			case r == 3:
				key = uint64(rng.IntN(3)) << 40 // a few heavy keys, one low bucket
			}
			entries[i] = bandEntry{key, int32(i)}
		}
		want := slices.Clone(entries)
		slices.SortFunc(want, func(x, y bandEntry) int {
			if c := cmp.Compare(x.key, y.key); c != 0 {
				return c
			}
			return cmp.Compare(x.i, y.i)
		})
		got := groupByKey(entries, make([]bandEntry, n))
		// The groups of got, sorted by key, must be want.
		var groups [][]bandEntry
		forEachRun(got, func(run []bandEntry) { groups = append(groups, run) })
		keys := map[uint64]bool{}
		for _, g := range groups {
			require.False(t, keys[g[0].key], "n=%d: key %x in two groups", n, g[0].key)
			keys[g[0].key] = true
		}
		slices.SortFunc(groups, func(x, y []bandEntry) int { return cmp.Compare(x[0].key, y[0].key) })
		require.Equal(t, want, append([]bandEntry{}, slices.Concat(groups...)...), "n=%d", n)
	}
}

// top2 picks as the plain loop does: the first greatest score, then the
// first greatest of the others, with many ties; and leaves scores as it
// found them.
func TestTop2(t *testing.T) {
	reference := func(scores []float64) (best, second int) {
		best, second = -1, -1
		for j, v := range scores {
			switch {
			case best < 0 || v > scores[best]:
				best, second = j, best
			case second < 0 || v > scores[second]:
				second = j
			}
		}
		return best, second
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, k := range []int{1, 2, 3, 7, 8, 9, 16, 51, 64, 65} {
		for range 200 {
			scores := make([]float64, k)
			for j := range scores {
				scores[j] = float64(rng.IntN(5)) / 4 // ties
			}
			before := slices.Clone(scores)
			b, s := top2(scores)
			wb, ws := reference(scores)
			require.Equal(t, [2]int{wb, ws}, [2]int{b, s}, "%v", scores)
			require.Equal(t, before, scores)
		}
	}
	b, s := top2(nil)
	assert.Equal(t, [2]int{-1, -1}, [2]int{b, s})
}
