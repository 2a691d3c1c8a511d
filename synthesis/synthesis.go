// Package synthesis turns contributions into a Report whose every theme
// traces back to its contributions, down to the exact bytes, and whose
// every contribution is accounted for: assigned to a theme, an outlier,
// a duplicate of another, or excluded with a reason. Verify re-runs a
// synthesis and names the first place where a report and its inputs part.
//
// The report never depends on the input order (contributions are processed
// in id order), on GOMAXPROCS, on map order or on the clock: the same
// contributions and Config give a byte-identical report.json.
//
// Run returns the whole Report. For a large consultation, Synthesize
// settles the themes and Synthesis.Each explains the contributions one by
// one, to be written as they come (JSONWriter writes report.json so;
// Synthesis.EachBatch does it in batches whose memory is reused);
// VerifyJSON checks a report.json by digest and FindContribution reads one
// entry, neither holding the report.
package synthesis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/ingest"
	"github.com/limpide/limpide/internal/centroids"
	"github.com/limpide/limpide/tokenize"
)

// Contribution is one input text: an answer, a proposal, a comment. It is
// ingest.Contribution, so that what package ingest reads goes straight in.
type Contribution = ingest.Contribution

// Config sets a synthesis. Its zero value gives the documented defaults.
type Config struct {
	// Tokenize configures the French analysis.
	Tokenize tokenize.Config
	// Cluster configures the vectorising and the clustering (K zero: the
	// number of themes is chosen by silhouette).
	Cluster cluster.Config
	// OutlierThreshold: a contribution whose similarity to its nearest
	// theme is below it is an outlier, not a member. Zero means 0.05;
	// negative means no outliers.
	OutlierThreshold float64
	// StabilityRuns is the number of reruns with other seeds that measure
	// each theme's stability. Zero means 5; negative means none (stability
	// is then reported as 0). Above 50,000 clustered texts each rerun
	// clusters a sample of 50,000 of them (see Theme.Stability).
	StabilityRuns int
	// NearDuplicate is the Jaccard index of word 3-shingles at or above
	// which two texts are near-duplicates. Zero means 0.8; negative turns
	// near-duplicate detection off (exact duplicates are always grouped).
	NearDuplicate float64
	// Representatives per theme. Zero means 5.
	Representatives int
	// Terms listed per theme. Zero means 15.
	Terms int
	// LabelTerms in a theme's label. Zero means 3.
	LabelTerms int
	// Source describes how the contributions were read (file, format,
	// encoding, preset, transformations such as html_stripped), as
	// ingest.Result.Source gives it. It is recorded in the manifest and
	// does not change the synthesis.
	Source map[string]string `json:",omitempty"`
	// Progress, when set, is called at each stage and as long stages
	// advance. It is not part of the report.
	Progress func(Progress) `json:"-"`
}

// Progress reports the advance of a synthesis. Stages, in order:
// duplicates, vectorize, choose_k (when k is chosen), cluster, explain,
// stability, themes, then report as Synthesis.Each explains the
// contributions. The stability reruns start with the clustering and run
// beside it and the explanation; the stage stability is the wait for
// those still running.
type Progress struct {
	Stage       string
	Done, Total int
}

// WithDefaults returns c with every zero field set to its default, as Run
// uses it and as the manifest records it.
func (c Config) WithDefaults() Config {
	if c.OutlierThreshold == 0 {
		c.OutlierThreshold = 0.05
	}
	if c.StabilityRuns == 0 {
		c.StabilityRuns = 5
	}
	if c.NearDuplicate == 0 {
		c.NearDuplicate = 0.8
	}
	if c.Representatives <= 0 {
		c.Representatives = 5
	}
	if c.Terms <= 0 {
		c.Terms = 15
	}
	if c.LabelTerms <= 0 {
		c.LabelTerms = 3
	}
	c.Cluster = c.Cluster.WithDefaults()
	return c
}

func (c Config) progress(stage string, done, total int) {
	if c.Progress != nil {
		c.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

// InputError names a contribution that cannot be synthesised.
type InputError struct {
	// Positions are the 0-based positions in the input slice.
	Positions []int
	ID        string
	Problem   string
}

func (e *InputError) Error() string {
	pos := make([]string, len(e.Positions))
	for i, p := range e.Positions {
		pos[i] = fmt.Sprint(p)
	}
	return fmt.Sprintf("synthesis: contribution at position %s (id %q): %s", strings.Join(pos, " and "), e.ID, e.Problem)
}

// textSHA256 is the hex SHA-256 of a contribution's text: one
// allocation, the string (hex.EncodeToString makes a buffer, then copies
// it into the string), for a hash written for every contribution.
func textSHA256(text string) string {
	var buf [2 * sha256.Size]byte
	return string(appendTextSHA256(buf[:0], text))
}

// appendTextSHA256 appends the hex SHA-256 of text to b.
func appendTextSHA256(b []byte, text string) []byte {
	sum := sha256.Sum256(readOnlyBytes(text))
	return hex.AppendEncode(b, sum[:])
}

// readOnlyBytes returns the bytes of s without copying them, for the
// hash functions, which only read them: []byte(s) copies every text of
// a corpus once more just to hash it.
func readOnlyBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// sortedInput checks ids and returns the contributions in id order: the
// slice itself when it is in id order already (exports often are), a
// sorted copy otherwise.
func sortedInput(contributions []Contribution) ([]Contribution, error) {
	for i, c := range contributions {
		if c.ID == "" {
			// The first problem in the input's order is the one reported.
			if err := firstDuplicate(contributions[:i]); err != nil {
				return nil, err
			}
			return nil, &InputError{Positions: []int{i}, Problem: "empty id"}
		}
	}
	byID := func(a, b Contribution) int { return strings.Compare(a.ID, b.ID) }
	sorted := contributions
	if !slices.IsSortedFunc(sorted, byID) {
		sorted = slices.Clone(contributions)
		slices.SortFunc(sorted, byID)
	}
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return nil, firstDuplicate(contributions)
		}
	}
	return sorted, nil
}

// firstDuplicate returns the error for the first contribution, in the
// given order, whose id an earlier one has.
func firstDuplicate(contributions []Contribution) error {
	seen := make(map[string]int, len(contributions))
	for i, c := range contributions {
		if j, ok := seen[c.ID]; ok {
			return &InputError{Positions: []int{j, i}, ID: c.ID, Problem: "duplicate id"}
		}
		seen[c.ID] = i
	}
	return nil
}

// Run synthesises contributions. See the package documentation and Report.
//
// Steps: contributions are sorted by id; empty texts are excluded
// ("empty"); exact and near duplicates are grouped and the clustering sees
// each group's canonical (smallest id) once; TF-IDF rows are fitted on the
// clustered texts and those left with no term are excluded ("no_terms");
// k is Config.Cluster.K or chosen by silhouette; spherical k-means groups
// the rows; each theme gets its terms, label, representatives, cohesion
// and stability; each contribution gets its status, theme, runner-up,
// margin and evidence.
//
// Run holds the whole report, evidence included, in memory. To write the
// report of a large corpus, use Synthesize, which explains the
// contributions as they are written.
func Run(ctx context.Context, contributions []Contribution, cfg Config) (*Report, error) {
	syn, err := Synthesize(ctx, contributions, cfg)
	if err != nil {
		return nil, err
	}
	return syn.report(ctx)
}

// Synthesis is a synthesis whose themes, duplicate groups and accounting
// are settled, and whose contributions are explained as they are read:
// the report of a million contributions never has to be held whole.
// Report and Each give together exactly what Run gives.
type Synthesis struct {
	s *state
}

// Synthesize runs a synthesis (see Run) up to the contributions'
// evidence, which Each computes as it goes.
//
// The Synthesis reads the contributions again as Each explains them. When
// they come in id order it keeps the slice it was given rather than a copy
// (a million contributions are tens of megabytes of headers): the caller
// must not change them while the Synthesis is in use.
func Synthesize(ctx context.Context, contributions []Contribution, cfg Config) (*Synthesis, error) {
	input, err := sortedInput(contributions)
	if err != nil {
		return nil, err
	}
	return synthesize(ctx, input, cfg)
}

// synthesize is Synthesize for contributions already checked and sorted.
func synthesize(ctx context.Context, input []Contribution, cfg Config) (*Synthesis, error) {
	cfg = cfg.WithDefaults()
	s := &state{cfg: cfg, in: input}
	if err := s.run(ctx); err != nil {
		return nil, err
	}
	return &Synthesis{s: s}, nil
}

// report returns the whole report, contributions included.
func (x *Synthesis) report(ctx context.Context) (*Report, error) {
	r := x.Report()
	r.Contributions = make([]ContributionResult, 0, x.Len())
	err := x.Each(ctx, func(_ *Contribution, c *ContributionResult) error {
		r.Contributions = append(r.Contributions, *c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// WriteJSON writes the report.json of the synthesis, contributions
// explained as they are written: the bytes Run's Report.WriteJSON gives.
func (x *Synthesis) WriteJSON(ctx context.Context, w io.Writer) error {
	jw, err := NewJSONWriter(w, x.Report())
	if err != nil {
		return err
	}
	err = x.EachBatch(ctx, func(b *Batch) error {
		defer b.Release()
		for k := range b.Out {
			if err := jw.Add(&b.Out[k]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return jw.Close()
}

// Report returns the report without its contributions (Contributions is
// nil): schema, manifest, accounting, themes and duplicate groups. The
// Report is new, but its themes and groups are the synthesis's own: read
// them, do not change them.
func (x *Synthesis) Report() *Report {
	r := *x.s.report
	r.Contributions = nil
	return &r
}

// Len is the number of contributions Each gives.
func (x *Synthesis) Len() int { return len(x.s.in) }

// eachChunk is the number of contributions explained together (a
// variable for the tests).
var eachChunk = 1024

// Each calls fn for every contribution in id order, with the contribution
// as given and its entry of the report, evidence included. Contributions
// are explained on every core a few chunks ahead of fn, which runs on the
// calling goroutine. Each out is a value of its own, which fn may keep
// (in points into the contributions the Synthesis holds, which fn must
// not change: see Synthesize). The first error of
// fn or ctx stops Each and is returned.
func (x *Synthesis) Each(ctx context.Context, fn func(in *Contribution, out *ContributionResult) error) error {
	return x.batches(ctx, false, func(b *Batch) error {
		for k := range b.Out {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(&b.In[k], &b.Out[k]); err != nil {
				return err
			}
		}
		return nil
	})
}

// A Batch is a run of consecutive contributions that EachBatch gives:
// In[k] as given (in the contributions the Synthesis holds, which must not
// change) and Out[k], its entry of the report.
type Batch struct {
	In  []Contribution
	Out []ContributionResult

	// The evidence of Out and its spans, in two arrays reused from batch
	// to batch.
	evidence    []Evidence
	occurrences [][2]int
	digests     []byte     // the hex SHA-256 digests of In's texts
	pool        *batchPool // where Release puts the batch back; nil: never
	released    atomic.Bool
}

// Release gives the batch back to EachBatch, which fills it again with
// later contributions: neither Out nor the evidence it points to may be
// read after. It may be called from any goroutine, once. A batch never
// released is not reused, and costs only its memory.
func (b *Batch) Release() {
	if b.pool == nil || b.released.Swap(true) {
		return
	}
	b.pool.mu.Lock()
	b.pool.free = append(b.pool.free, b)
	b.pool.mu.Unlock()
}

// batchPool holds the released batches of one EachBatch.
type batchPool struct {
	mu   sync.Mutex
	free []*Batch
}

// get returns a released batch, or a new one when none is.
func (p *batchPool) get() *Batch {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free = p.free[:n-1]
		b.released.Store(false)
		return b
	}
	return &Batch{pool: p}
}

// EachBatch is Each for callers that write each contribution's entry out
// and then forget it, such as the streaming writers: fn gets the
// contributions a batch at a time, in id order, and calls the batch's
// Release once it is done with it, then or later and from any goroutine,
// so that its memory holds later contributions. As many batches exist as
// are explained ahead of fn (a few per core) or held and not yet released:
// explaining a large corpus this way allocates little beyond its first
// batches and their evidence. On the 429,112-answer scale corpus, giving
// every contribution to a JSONWriter allocates 34 MB this way, against
// 370 MB with Each (BenchmarkWriteJSON). The first error of fn or ctx
// stops EachBatch and is returned.
func (x *Synthesis) EachBatch(ctx context.Context, fn func(b *Batch) error) error {
	return x.batches(ctx, true, fn)
}

// batches explains the contributions a chunk at a time on every core, a
// few chunks ahead of fn, and gives fn the chunks in order. With reuse,
// the chunks go to batches that Release brought back when there are any;
// without, each chunk is new and its evidence allocated per contribution,
// so that keeping one contribution keeps no other.
func (x *Synthesis) batches(ctx context.Context, reuse bool, fn func(b *Batch) error) error {
	s := x.s
	n, size := len(s.in), eachChunk
	chunks := (n + size - 1) / size
	// On return, the chunks being explained stop and are waited for:
	// nothing runs on after.
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// At most ahead chunks are explained and not yet given to fn.
	ahead := 2 * runtime.GOMAXPROCS(0)
	slots := make([]chan *Batch, chunks)
	for c := range slots {
		slots[c] = make(chan *Batch, 1)
	}
	tokens := make(chan struct{}, ahead)
	var pool *batchPool
	if reuse {
		pool = &batchPool{}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for c := 0; c < chunks; c++ {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			b := &Batch{}
			if reuse {
				b = pool.get()
			}
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				var sc scratch
				lo, hi := c*size, min((c+1)*size, n)
				b.In = s.in[lo:hi]
				b.Out = slices.Grow(b.Out[:0], hi-lo)
				if reuse {
					sc.evidence, sc.occurrences = b.evidence[:0], b.occurrences[:0]
					// Room for every digest at once: the batch's strings
					// point into one array.
					sc.digests = slices.Grow(b.digests[:0], (hi-lo)*2*sha256.Size)
				}
				for i := lo; i < hi && ctx.Err() == nil; i++ {
					b.Out = append(b.Out, s.contribution(i, &sc, reuse))
				}
				if reuse {
					b.evidence, b.occurrences, b.digests = sc.evidence, sc.occurrences, sc.digests
				}
				slots[c] <- b
			}(c)
		}
	}()
	for c := 0; c < chunks; c++ {
		var b *Batch
		select {
		case b = <-slots[c]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		<-tokens
		s.cfg.progress("report", min((c+1)*size, n), n)
	}
	return ctx.Err()
}

// exclusion says why a contribution is excluded: one byte per
// contribution rather than the reason's string.
type exclusion uint8

const (
	included exclusion = iota
	excludedEmpty
	excludedNoTerms
)

// reason is the report's reason for e (ReasonEmpty, ReasonNoTerms), or
// "" for an included contribution.
func (e exclusion) reason() string { return exclusionReasons[e] }

var exclusionReasons = [...]string{included: "", excludedEmpty: ReasonEmpty, excludedNoTerms: ReasonNoTerms}

// state carries one synthesis through its steps.
type state struct {
	cfg    Config
	in     []Contribution
	report *Report

	excluded  []exclusion // per contribution: why it is excluded, or included
	canonical []int       // per contribution: its group's canonical, or -1 when excluded
	near      map[int]bool

	rows      []int // contribution index of each clustered row, increasing
	vec       *cluster.Vectorizer
	m         *cluster.Matrix
	res       *cluster.Result
	themeOf   []int // cluster label → theme index (T01 = 0)
	out       []outcome
	centroids [][]float64
	ct        []float64      // centroids transposed: ct[t*k+j] = centroids[j][t]; nil once every score is computed
	stab      *stabilityRuns // started with the clustering, waited for by the themes
}

func (s *state) run(ctx context.Context) (err error) {
	defer func() {
		if s.stab != nil { // the synthesis failed before the themes
			s.stab.stop()
		}
	}()
	n := len(s.in)
	r := &Report{Schema: Schema}
	s.report = r
	r.Manifest.LibraryVersion = limpide.Version
	r.Manifest.Config = s.cfg
	r.Manifest.Config.Progress = nil
	// The corpus digest is needed only by the report: it is computed
	// beside the duplicates, whose serial steps leave a core idle.
	digest := make(chan CorpusDigest, 1)
	go func() { digest <- corpusDigest(s.in) }()
	defer func() {
		if err == nil {
			r.Manifest.Corpus = <-digest
		}
	}()
	r.Accounting.Input = n
	r.Themes = []Theme{}
	r.Duplicates = []DuplicateGroup{}

	// Exclusions and duplicates.
	s.cfg.progress("duplicates", 0, n)
	s.excluded = make([]exclusion, n)
	skip := make([]bool, n)
	texts := make([]string, n)
	for i, c := range s.in {
		texts[i] = c.Text
		if strings.TrimSpace(c.Text) == "" {
			s.excluded[i] = excludedEmpty
			skip[i] = true
		}
	}
	threshold := s.cfg.NearDuplicate
	if threshold < 0 {
		threshold = -1
	}
	s.canonical, s.near = dupGroups(texts, skip, threshold)
	s.cfg.progress("duplicates", n, n)
	if err := ctx.Err(); err != nil {
		return err
	}

	// Vectorise the canonical texts.
	canonicals := 0
	for i, c := range s.canonical {
		if c == i {
			canonicals++
		}
	}
	s.rows = make([]int, 0, canonicals)
	rowTexts := make([]string, 0, canonicals)
	for i, c := range s.canonical {
		if c == i {
			s.rows = append(s.rows, i)
			rowTexts = append(rowTexts, texts[i])
		}
	}
	s.cfg.progress("vectorize", 0, len(rowTexts))
	s.vec = cluster.NewVectorizer(tokenize.NewAnalyzer(s.cfg.Tokenize), s.cfg.Cluster)
	s.vec.RecordTokens() // to explain the rows without analysing them again
	if len(rowTexts) > 0 {
		m, err := s.vec.FitTransform(rowTexts)
		switch err {
		case nil:
			s.m = m
		case cluster.ErrNoTerms:
		default:
			return err
		}
	}
	s.cfg.progress("vectorize", len(rowTexts), len(rowTexts))
	clustered := 0
	for q, i := range s.rows {
		if s.m == nil || s.m.Indptr[q+1] == s.m.Indptr[q] {
			s.excluded[i] = excludedNoTerms
			continue
		}
		clustered++
	}
	// Duplicates of a contribution with no term have no term either.
	for i := range s.in {
		if c := s.canonical[i]; c >= 0 && c != i && s.excluded[c] == excludedNoTerms {
			s.excluded[i] = excludedNoTerms
		}
	}
	if s.m != nil {
		r.Manifest.Vocabulary = vocabularyDigest(s.vec.Vocabulary())
	}

	// Number of themes, clustering.
	if clustered > 0 {
		if err := s.cluster(ctx, clustered); err != nil {
			return err
		}
	} else {
		r.Manifest.KSelection = KSelection{Method: "none", Candidates: []KScore{}}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.explain(ctx); err != nil {
		return err
	}
	return ctx.Err()
}

// corpusDigest is the SHA-256 of the lines "id\tsha256(text)\n" of the
// contributions in id order. The texts are hashed on every core, a block
// at a time: their digests are not kept (contribution hashes its text
// again when it is written), so a million contributions do not hold 32
// bytes each for the whole run.
func corpusDigest(in []Contribution) CorpusDigest {
	const chunk, block = 4096, 16 * 4096
	h := sha256.New()
	sums := make([][sha256.Size]byte, min(block, len(in)))
	var line []byte
	for lo := 0; lo < len(in); lo += block {
		part := in[lo:min(lo+block, len(in))]
		parallel((len(part)+chunk-1)/chunk, func(c int) {
			for i := c * chunk; i < min((c+1)*chunk, len(part)); i++ {
				sums[i] = sha256.Sum256(readOnlyBytes(part[i].Text))
			}
		})
		for i, c := range part {
			line = append(line[:0], c.ID...)
			line = append(line, '\t')
			line = hex.AppendEncode(line, sums[i][:])
			line = append(line, '\n')
			h.Write(line)
		}
	}
	return CorpusDigest{Contributions: len(in), SHA256: hex.EncodeToString(h.Sum(nil))}
}

func vocabularyDigest(v *cluster.Vocabulary) VocabularyDigest {
	h := sha256.New()
	for _, t := range v.Terms {
		h.Write([]byte(t))
		h.Write([]byte{'\n'})
	}
	return VocabularyDigest{Terms: len(v.Terms), SHA256: hex.EncodeToString(h.Sum(nil))}
}

// cluster chooses k and clusters the rows.
func (s *state) cluster(ctx context.Context, clustered int) error {
	r := s.report
	ccfg := s.cfg.Cluster
	k := ccfg.K
	if k > 0 {
		r.Manifest.KSelection = KSelection{Method: "fixed", Candidates: []KScore{}, Chosen: k}
		// Fewer distinct texts than themes asked for: as many themes as
		// there are distinct texts, and the report says so.
		if distinct := cluster.DistinctRows(s.m, k); distinct < k {
			r.Manifest.KSelection.Requested = k
			r.Manifest.KSelection.Chosen = distinct
			k = distinct
		}
	} else {
		s.cfg.progress("choose_k", 0, len(ccfg.KCandidates))
		choice, err := cluster.ChooseK(ctx, s.m, ccfg)
		if err != nil {
			return err
		}
		ks := KSelection{Method: choice.Method, Candidates: []KScore{}, Chosen: choice.Chosen, SampleSize: choice.SampleSize}
		for _, c := range choice.Candidates {
			ks.Candidates = append(ks.Candidates, KScore{K: c.K, Score: round(c.Score)})
		}
		r.Manifest.KSelection = ks
		k = choice.Chosen
		s.cfg.progress("choose_k", len(ccfg.KCandidates), len(ccfg.KCandidates))
	}
	s.stab = s.startStability(ctx, k)
	s.cfg.progress("cluster", 0, 1)
	res, err := cluster.KMeans(ctx, s.m, k, ccfg)
	if err != nil {
		return err
	}
	// The explanation scores every row again, with the rows' runner-up
	// themes: the clustering's similarities are not read.
	res.Similarity = nil
	s.res = res
	s.cfg.progress("cluster", 1, 1)
	return nil
}

// scores returns the similarity of row (ind, data) to every centroid. It
// reads the centroids transposed (term-major, s.ct, each term's row
// centroids.Stride(k) long), so each term's k weights are contiguous;
// each score still sums its products in term order, exactly as a dot
// product with the centroid would. The result is written into buf (grown
// to the stride when shorter).
func (s *state) scores(buf []float64, ind []int32, data []float64) []float64 {
	k := len(s.centroids)
	kp := centroids.Stride(k)
	if cap(buf) < kp {
		buf = make([]float64, kp)
	}
	// As the clustering computes it.
	centroids.Scores(buf[:kp], s.ct, ind, data)
	return buf[:k]
}

// top2 returns the best and second best themes of scores (ties: lowest
// theme), the second -1 when there is one theme. Each is
// centroids.Nearest's pick, which reads the scores eight at a time: the
// second with the best set aside for the while (scores is the caller's
// scratch, given back as it came).
func top2(scores []float64) (best, second int) {
	if len(scores) == 0 {
		return -1, -1
	}
	best, _ = centroids.Nearest(scores, nil)
	if len(scores) == 1 {
		return best, -1
	}
	v := scores[best]
	scores[best] = math.Inf(-1)
	second, _ = centroids.Nearest(scores, nil)
	scores[best] = v
	return best, second
}

func themeID(j int) string {
	if j < len(themeIDs) {
		return themeIDs[j]
	}
	return fmt.Sprintf("T%02d", j+1)
}

// themeIDs are the first theme ids, written once rather than for each of
// the contributions that name one.
var themeIDs = func() (ids [100]string) {
	for j := range ids {
		ids[j] = fmt.Sprintf("T%02d", j+1)
	}
	return ids
}()
