package synthesis

import (
	"context"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"unsafe"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/explain"
	"github.com/limpide/limpide/internal/centroids"
	"github.com/limpide/limpide/internal/topn"
	"github.com/limpide/limpide/tokenize"
)

// outcome is what the explanation step learns of one contribution.
type outcome struct {
	similarity float64
	margin     float64
	label      int32 // cluster label of its theme (nearest for an outlier), -1 if none
	runnerUp   int32
}

// outlier reports whether contribution i, scored, is too far from its
// nearest theme to be a member (Config.OutlierThreshold). It is derived
// rather than stored: 8 bytes less for each of a million outcomes.
func (s *state) outlier(i int) bool {
	o := &s.out[i]
	return o.label >= 0 && s.cfg.OutlierThreshold >= 0 && o.similarity < s.cfg.OutlierThreshold
}

// explain builds the themes, the duplicate groups and the accounting of
// the report, and settles every contribution's outcome; the
// contributions' evidence is computed as they are read (see
// Synthesis.Each).
func (s *state) explain(ctx context.Context) error {
	n := len(s.in)
	r := s.report
	out := make([]outcome, n)
	s.out = out
	for i := range out {
		out[i].label, out[i].runnerUp = -1, -1
	}
	var forms []tokenize.Forms
	var k int
	if s.res != nil {
		k = s.res.K
		s.centroids = make([][]float64, k)
		kp := centroids.Stride(k)
		s.ct = make([]float64, kp*s.m.Cols)
		for j := range s.centroids {
			s.centroids[j] = s.res.Centroids.RawRowView(j)
			for t, w := range s.centroids[j] {
				s.ct[t*kp+j] = w
			}
		}
		forms = make([]tokenize.Forms, k)
		s.explainRows(out, forms)
		s.explainDuplicates(out)
		// Every score is settled: the transposed centroids are not read
		// again, and the stability reruns and the report that follow are
		// where memory peaks.
		s.ct = nil
	}

	// Theme order: by size (duplicates included, outliers not), ties by
	// first member.
	sizes := make([]int, k)
	firsts := make([]int, k)
	for j := range firsts {
		firsts[j] = math.MaxInt
	}
	for i := range s.in {
		if s.memberOf(i) >= 0 {
			j := out[i].label
			sizes[j]++
			firsts[j] = min(firsts[j], i)
		}
	}
	order := make([]int, k)
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if sizes[a] != sizes[b] {
			return sizes[b] - sizes[a]
		}
		if firsts[a] != firsts[b] {
			if firsts[a] < firsts[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	s.themeOf = make([]int, k)
	for pos, j := range order {
		s.themeOf[j] = pos
	}

	if s.res != nil {
		stability, err := s.stab.wait(s.res.Labels, func(done, total int) { s.cfg.progress("stability", done, total) })
		s.stab = nil
		if err != nil {
			return err
		}
		s.cfg.progress("themes", 0, k)
		mean := explain.MeanWeights(s.m, nil)
		// Members of every theme in one pass, in id order.
		members := make([][]int, k)
		for j := range members {
			members[j] = make([]int, 0, sizes[j])
		}
		for i := range s.in {
			if j := s.memberOf(i); j >= 0 {
				members[j] = append(members[j], i)
			}
		}
		// Themes are independent of each other: they are built side by
		// side, each into its place.
		themes := make([]Theme, k)
		parallelChunks(k, func(p int) {
			j := order[p]
			themes[p] = s.theme(j, out, members[j], &forms[j], mean, stability[j])
		}, func(done int) { s.cfg.progress("themes", done, k) })
		r.Themes = append(r.Themes, themes...)
	}
	r.Duplicates = s.duplicateGroups()
	for i := range s.in {
		switch s.status(i) {
		case StatusExcluded:
			r.Accounting.Excluded++
		case StatusDuplicate:
			r.Accounting.Duplicate++
		case StatusOutlier:
			r.Accounting.Outlier++
		default:
			r.Accounting.Assigned++
		}
	}
	return nil
}

// memberOf returns the cluster label of the theme contribution i is a
// member of (assigned, or duplicate of an assigned canonical), or -1.
func (s *state) memberOf(i int) int {
	if s.excluded[i] != included || s.out[i].label < 0 {
		return -1
	}
	if s.outlier(s.canonical[i]) {
		return -1
	}
	return int(s.out[i].label)
}

// explainRows scores every clustered row against every centroid, marks
// outliers and records the real forms of each theme's terms. Rows are shared among the cores in fixed chunks; each chunk
// counts forms on its own and the counts are added up afterwards (a sum,
// so the order of chunks does not matter).
func (s *state) explainRows(out []outcome, forms []tokenize.Forms) {
	vocab := s.vec.Vocabulary()
	an := s.vec.Analyzer()
	total := len(s.rows)
	// Only the terms a theme will list need their real forms.
	listedCols := make([][]int32, len(forms))
	for j := range listedCols {
		for _, t := range explain.ThemeTerms(s.centroids[j], s.centroids[j], vocab, nil, s.cfg.Terms) {
			listedCols[j] = append(listedCols[j], int32(vocab.Index(t.Stem)))
		}
	}
	const chunk = 2048
	nChunks := (total + chunk - 1) / chunk
	chunkForms := make([][]tokenize.Forms, nChunks)
	parallelChunks(nChunks, func(c int) {
		var toks []tokenize.Token
		var spans []cluster.TermSpan
		var scores []float64
		local := make([]tokenize.Forms, len(forms))
		for q := c * chunk; q < min((c+1)*chunk, total); q++ {
			i := s.rows[q]
			if s.excluded[i] != included {
				continue
			}
			ind, data := s.m.Row(q)
			scores = s.scores(scores, ind, data)
			best, second := top2(scores)
			o := &out[i]
			o.label, o.runnerUp = int32(best), int32(second)
			o.similarity = scores[best]
			o.margin = scores[best]
			if second >= 0 {
				o.margin -= scores[second]
			}
			if s.outlier(i) {
				continue
			}
			// The forms of the theme's listed terms in the row, from the
			// tokens the vectorizer recorded, or from the text analysed
			// again when it could not.
			var ok bool
			if spans, ok = s.vec.RowSpans(spans[:0], q); !ok {
				toks = an.AppendTokens(toks[:0], s.in[i].Text)
				spans = s.vec.TermSpans(spans[:0], toks)
			}
			for _, sp := range spans {
				if sp.Col >= 0 && slices.Contains(listedCols[best], int32(sp.Col)) {
					local[best].AddForm(sp.Term, sp.Form, 1)
				}
			}
		}
		chunkForms[c] = local
	}, func(done int) { s.cfg.progress("explain", min(done*chunk, total), total) })
	// The counts are added up theme by theme, the themes side by side:
	// each sums its chunks' counts into its own Forms.
	parallelChunks(len(forms), func(j int) {
		for _, local := range chunkForms {
			forms[j].Merge(&local[j])
		}
	}, func(int) {})
}

// parallelChunks calls work(c) for every chunk c in [0, n) on GOMAXPROCS
// goroutines, and progress (from the calling goroutine) with the number of
// chunks done. Each chunk writes only its own results, so the outcome does
// not depend on scheduling.
func parallelChunks(n int, work func(c int), progress func(done int)) {
	jobs := make(chan int, n)
	for c := 0; c < n; c++ {
		jobs <- c
	}
	close(jobs)
	done := make(chan struct{}, n)
	workers := min(runtime.GOMAXPROCS(0), max(n, 1))
	for w := 0; w < workers; w++ {
		go func() {
			for c := range jobs {
				work(c)
				done <- struct{}{}
			}
		}()
	}
	for k := 1; k <= n; k++ {
		<-done
		if progress != nil {
			progress(k)
		}
	}
}

// explainDuplicates scores each duplicate against its canonical's theme,
// from its own text (its own row, so that its evidence's spans index into
// its own bytes). The rows are not kept: evidence recomputes them from the
// tokens it needs anyway.
func (s *state) explainDuplicates(out []outcome) {
	var idx []int
	for i := range s.in {
		if c := s.canonical[i]; c >= 0 && c != i && s.excluded[i] == included {
			idx = append(idx, i)
		}
	}
	const chunk = 2048
	parallelChunks((len(idx)+chunk-1)/chunk, func(c int) {
		var scores []float64
		var toks []tokenize.Token
		var ind []int32
		var data []float64
		for q := c * chunk; q < min((c+1)*chunk, len(idx)); q++ {
			i := idx[q]
			c := s.canonical[i]
			label := out[c].label
			if s.in[i].Text == s.in[c].Text {
				// The very text of its canonical (a copy-pasted campaign):
				// the same row, so the same scores.
				o := &out[i]
				o.label, o.similarity, o.runnerUp, o.margin = label, out[c].similarity, out[c].runnerUp, out[c].margin
				continue
			}
			toks = s.vec.Analyzer().AppendTokens(toks[:0], s.in[i].Text)
			ind, data = s.vec.AppendRow(ind[:0], data[:0], toks)
			scores = s.scores(scores, ind, data)
			o := &out[i]
			o.label = label
			o.similarity = scores[label]
			o.margin = scores[label]
			for j, v := range scores {
				if j != int(label) && (o.runnerUp < 0 || v > scores[o.runnerUp]) {
					o.runnerUp = int32(j)
				}
			}
			if o.runnerUp >= 0 {
				o.margin -= scores[o.runnerUp]
			}
		}
	}, nil)
}

// scratch holds the buffers of one goroutine's explanations.
type scratch struct {
	toks  []tokenize.Token
	spans []cluster.TermSpan
	ind   []int32
	data  []float64
	// The evidence of a batch's contributions and their spans, when it
	// is explained into arrays that are reused (Synthesis.EachBatch),
	// and their texts' hex SHA-256 digests.
	evidence    []Evidence
	occurrences [][2]int
	digests     []byte
}

// evidence explains contribution i against its theme (its nearest theme
// for an outlier): nil when it has none. With reuse, the evidence goes to
// the end of sc.evidence and its spans to sc.occurrences; otherwise it is
// allocated for the contribution alone.
func (s *state) evidence(i int, sc *scratch, reuse bool) []explain.Evidence {
	o := &s.out[i]
	if s.excluded[i] != included || o.label < 0 {
		return nil
	}
	var ind []int32
	var data []float64
	// Its own row, or its canonical's: the very text of its canonical (a
	// copy-pasted campaign) makes the same row, whose tokens the vectorizer
	// recorded. Otherwise, or when they were not, the text is analysed.
	c := s.canonical[i]
	ownRow := c == i || s.in[i].Text == s.in[c].Text
	recorded := false
	if ownRow {
		q, _ := slices.BinarySearch(s.rows, c)
		ind, data = s.m.Row(q)
		sc.spans, recorded = s.vec.RowSpans(sc.spans[:0], q)
	}
	if !recorded {
		sc.toks = s.vec.Analyzer().AppendTokens(sc.toks[:0], s.in[i].Text)
		sc.spans = s.vec.TermSpans(sc.spans[:0], sc.toks)
	}
	if !ownRow {
		sc.ind, sc.data = s.vec.AppendRow(sc.ind[:0], sc.data[:0], sc.toks)
		ind, data = sc.ind, sc.data
	}
	if !reuse {
		return explain.Explain(sc.spans, s.vec.Vocabulary(), ind, data, s.centroids[o.label])
	}
	from := len(sc.evidence)
	sc.evidence, sc.occurrences = explain.AppendExplain(sc.evidence, sc.occurrences, sc.spans, s.vec.Vocabulary(), ind, data, s.centroids[o.label])
	return sc.evidence[from:len(sc.evidence):len(sc.evidence)]
}

// stabilitySample is the number of clustered rows above which each
// stability rerun clusters a sample of that many rows instead of them all.
var stabilitySample = 50000

// stabilityRuns is the stability reruns of one synthesis, started as
// soon as the number of themes is known and collected once the themes
// are built.
type stabilityRuns struct {
	k       int
	reruns  []rerunLabels
	errs    []error
	off     bool          // StabilityRuns < 0: no reruns, no progress
	release func()        // lets the reruns left run side by side
	done    chan struct{} // one value per finished rerun
	cancel  context.CancelFunc
}

// startStability starts the stability reruns of a clustering into k
// themes: StabilityRuns other seeds (Seed+1, Seed+2, …), whose mean best
// Jaccard overlaps stabilityRuns.wait returns per cluster label.
//
// A rerun needs the main clustering's labels only to measure its
// overlaps, not to cluster: the reruns cluster while the main clustering
// and the explanation run, on the core time those leave idle (their
// serial steps). Their results do not depend on when they run.
//
// Above stabilitySample clustered rows, each rerun clusters a sample of
// stabilitySample rows drawn with its own seed and the overlaps are
// measured on that sample: subsample stability, which costs a fraction of
// a full rerun. The rerun is mini-batch k-means, as the main run was at
// that size, with its batch size scaled by the sample's share of the
// rows (never under 256 rows nor under k): as many steps and passes over
// the sample as the main run made over every row.
func (s *state) startStability(ctx context.Context, k int) *stabilityRuns {
	runs := max(s.cfg.StabilityRuns, 0)
	st := &stabilityRuns{k: k, off: s.cfg.StabilityRuns < 0, release: func() {}, reruns: make([]rerunLabels, runs), errs: make([]error, runs), done: make(chan struct{}, runs)}
	ctx, st.cancel = context.WithCancel(ctx)
	if runs == 0 {
		return st
	}
	// The rows the clustering clusters: those with a term, nearly all.
	clustered := make([]int, 0, s.m.Rows)
	for q := range s.m.Rows {
		if s.m.Indptr[q+1] > s.m.Indptr[q] {
			clustered = append(clustered, q)
		}
	}
	// One rerun at a time while the main clustering and explanation run:
	// those use every core but for their serial steps, one rerun is
	// enough to fill them, and two at a time would hold two samples'
	// arrays at the run's peak of memory (on the 429,112 answers, peaks
	// of 235-241 MiB against 229-233, and no sooner). Once they are done
	// (wait), the reruns left run side by side, one per core: a rerun
	// alone does not keep every core busy.
	procs := runtime.GOMAXPROCS(0)
	sem := make(chan struct{}, procs)
	for range procs - 1 {
		sem <- struct{}{} // the main clustering's, until wait
	}
	st.release = func() {
		for range procs - 1 {
			<-sem
		}
	}
	for run := 1; run <= runs; run++ {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			st.reruns[run-1], st.errs[run-1] = s.rerun(ctx, clustered, k, run)
			st.done <- struct{}{}
		}()
	}
	return st
}

// wait waits for the reruns and returns, per cluster label of labels
// (the main clustering's), the mean over reruns of the best Jaccard
// overlap between its rows and a cluster of the rerun; the overlaps are
// added up in run order. A stabilityRuns must be waited for once, or
// stopped.
func (st *stabilityRuns) wait(labels []int, progress func(done, total int)) ([]float64, error) {
	defer st.cancel()
	runs := len(st.reruns)
	out := make([]float64, st.k)
	if st.off {
		return out, nil
	}
	st.release()
	progress(0, runs)
	for done := 1; done <= runs; done++ {
		<-st.done
		progress(done, runs)
	}
	for run, rr := range st.reruns {
		if st.errs[run] != nil {
			return nil, st.errs[run]
		}
		for a, best := range rr.overlaps(labels, st.k) {
			out[a] += best / float64(runs)
		}
	}
	return out, nil
}

// stop cancels the reruns and waits for them to end, when the synthesis
// ends before they are waited for.
func (st *stabilityRuns) stop() {
	st.cancel()
	for range len(st.reruns) {
		<-st.done
	}
}

// sampleBatch is the mini-batch size of a stability rerun that clusters
// sample of the rows when the main run clustered all of them with batch:
// as large a share of the sample as batch is of the rows, so that the
// rerun makes as many steps and passes over its sample as the main run
// made over every row, not several times more; never under 256 rows nor
// under k.
func sampleBatch(batch, k, sample, rows int) int {
	return max(k, 256, batch*sample/rows)
}

// rerunLabels is the clustering of a stability rerun: labels[p] is the
// label of the clustered row rows[p].
type rerunLabels struct {
	rows, labels []int
}

// rerun clusters again into k clusters with seed Seed+run, on a sample
// of the clustered rows above stabilitySample.
func (s *state) rerun(ctx context.Context, clustered []int, k, run int) (rerunLabels, error) {
	cfg := s.cfg.Cluster
	cfg.Seed += uint64(run)
	rows, m := clustered, s.m
	if len(clustered) > stabilitySample {
		rows = cluster.SampleRows(clustered, stabilitySample, cfg.Seed)
		m = s.m.Subset(rows)
		// Only the overlaps are needed: the sample's own columns give
		// the same labels with smaller centroid arrays.
		m.CompactColumns()
		cfg.Algorithm = cluster.MiniBatch
		cfg.BatchSize = sampleBatch(cfg.WithDefaults().BatchSize, k, len(rows), len(clustered))
	}
	other, err := cluster.KMeans(ctx, m, k, cfg)
	if err != nil {
		return rerunLabels{}, err
	}
	labels := make([]int, len(rows))
	for p, q := range rows {
		if m == s.m {
			labels[p] = other.Labels[q]
		} else {
			labels[p] = other.Labels[p]
		}
	}
	return rerunLabels{rows: rows, labels: labels}, nil
}

// overlaps returns, per cluster label of main (the main clustering's
// labels, per row), the best Jaccard overlap between its rows and a
// cluster of the rerun, over the rerun's rows.
func (rr rerunLabels) overlaps(main []int, k int) []float64 {
	inter := make([]int, k*k)
	sizeA, sizeB := make([]int, k), make([]int, k)
	for p, q := range rr.rows {
		a, b := main[q], rr.labels[p]
		inter[a*k+b]++
		sizeA[a]++
		sizeB[b]++
	}
	out := make([]float64, k)
	for a := 0; a < k; a++ {
		for b := 0; b < k; b++ {
			if x := inter[a*k+b]; x > 0 {
				out[a] = math.Max(out[a], float64(x)/float64(sizeA[a]+sizeB[b]-x))
			}
		}
	}
	return out
}

// theme builds the report's theme for cluster label j.
// members are the contributions of the theme, in id order.
func (s *state) theme(j int, out []outcome, members []int, forms *tokenize.Forms, mean []float64, stability float64) Theme {
	size := len(members)
	vocab := s.vec.Vocabulary()
	terms := explain.ThemeTerms(s.centroids[j], mean, vocab, forms, s.cfg.Terms)
	t := Theme{
		ID:        themeID(s.themeOf[j]),
		Label:     strings.Join(explain.Label(terms, s.cfg.LabelTerms), " · "),
		Size:      size,
		Share:     round(float64(size) / float64(len(s.in))),
		Stability: round(stability),
		Terms:     make([]Term, len(terms)),
		Members:   make([]string, 0, size),
	}
	for p, term := range terms {
		t.Terms[p] = Term{Stem: term.Stem, Forms: term.Forms, Weight: round(term.Weight), Lift: round(term.Lift)}
	}
	cohesion := 0.0
	for _, i := range members {
		t.Members = append(t.Members, s.in[i].ID)
		if s.canonical[i] == i {
			t.Distinct++
			cohesion += out[i].similarity
		}
	}
	if t.Distinct > 0 {
		t.Cohesion = round(cohesion / float64(t.Distinct))
	}
	// Representatives: most similar distinct texts, ties by id.
	distinct := func(yield func(int) bool) {
		for _, i := range members {
			if s.canonical[i] == i && !yield(i) {
				return
			}
		}
	}
	t.Representatives = []Representative{}
	var sc scratch
	for _, i := range mostSimilar(distinct, out, s.cfg.Representatives) {
		text := s.in[i].Text
		start, end := explain.Quote(text, s.evidence(i, &sc, false))
		t.Representatives = append(t.Representatives, Representative{
			Contribution: s.in[i].ID,
			Similarity:   round(out[i].similarity),
			Quote:        Quote{Text: text[start:end], Start: start, End: end},
		})
	}
	return t
}

// mostSimilar returns the n contributions of rows with the greatest
// similarity, ties by row, in that order: the first n of rows sorted so,
// picked without listing, let alone sorting, a theme's thousands of texts
// (package topn).
func mostSimilar(rows iter.Seq[int], out []outcome, n int) []int {
	return topn.FirstOf(rows, n, func(a, b int) bool {
		if out[a].similarity != out[b].similarity {
			return out[a].similarity > out[b].similarity
		}
		return a < b
	})
}

// duplicateGroups lists the groups of two or more contributions, largest
// first, ties by canonical id.
func (s *state) duplicateGroups() []DuplicateGroup {
	// Group sizes first: most contributions are alone in their group,
	// and only groups of two or more are listed.
	size := make([]int32, len(s.in))
	for _, c := range s.canonical {
		if c >= 0 {
			size[c]++
		}
	}
	// A group's canonical is its first member: groups come in the order
	// of their canonicals.
	groups := []DuplicateGroup{}
	index := map[int]int{}
	for i, c := range s.canonical {
		if c < 0 || size[c] < 2 {
			continue
		}
		if c == i {
			kind := "exact"
			if s.near[c] {
				kind = "near"
			}
			index[c] = len(groups)
			groups = append(groups, DuplicateGroup{Canonical: s.in[c].ID, Members: make([]string, 0, size[c]), Kind: kind})
		}
		g := &groups[index[c]]
		g.Members = append(g.Members, s.in[i].ID)
	}
	slices.SortStableFunc(groups, func(a, b DuplicateGroup) int { return len(b.Members) - len(a.Members) })
	return groups
}

// status is the state contribution i ends in.
func (s *state) status(i int) string {
	switch {
	case s.excluded[i] != included:
		return StatusExcluded
	case s.canonical[i] != i:
		return StatusDuplicate
	case s.outlier(i):
		return StatusOutlier
	}
	return StatusAssigned
}

// contribution builds the report's entry for contribution i, with its
// evidence.
func (s *state) contribution(i int, sc *scratch, reuse bool) ContributionResult {
	c := &s.in[i]
	o := &s.out[i]
	cr := ContributionResult{ID: c.ID, Status: s.status(i), Evidence: []Evidence{}, Meta: c.Meta}
	if reuse { // in the batch's array, as its evidence
		from := len(sc.digests)
		sc.digests = appendTextSHA256(sc.digests, c.Text)
		cr.SHA256 = unsafe.String(&sc.digests[from], len(sc.digests)-from)
	} else {
		cr.SHA256 = textSHA256(c.Text)
	}
	switch cr.Status {
	case StatusExcluded:
		cr.Reason = s.excluded[i].reason()
		return cr
	case StatusDuplicate:
		cr.Canonical = s.in[s.canonical[i]].ID
	}
	if o.label >= 0 {
		cr.Theme = themeID(s.themeOf[o.label])
	}
	if o.runnerUp >= 0 {
		cr.RunnerUp = themeID(s.themeOf[o.runnerUp])
	}
	cr.Similarity = round(o.similarity)
	cr.Margin = round(o.margin)
	if ev := s.evidence(i, sc, reuse); ev != nil {
		cr.Evidence = ev
	}
	for k := range cr.Evidence {
		e := &cr.Evidence[k]
		e.Contribution = round(e.Contribution)
		if e.Spans == nil {
			e.Spans = [][2]int{}
		}
	}
	return cr
}
