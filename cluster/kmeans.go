package cluster

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/limpide/limpide/internal/centroids"
)

// Result is a partition of a matrix's rows into K themes.
type Result struct {
	// K is the number of themes.
	K int
	// Labels holds each row's theme in [0, K), or -1 for a row with no
	// term (an empty row is never clustered). Themes are numbered by
	// decreasing size, ties by their first row.
	Labels []int
	// Similarity holds each row's cosine similarity to its theme's
	// centroid, x·c (0 for an empty row).
	Similarity []float64
	// Centroids is K × Cols; each row is the L2-normalised mean of its
	// theme's rows, so Similarity[i] = Σ_t x_i[t]·c[t] exactly.
	Centroids *mat.Dense
	// Sizes counts the rows of each theme.
	Sizes []int
	// Objective is Σ_i Similarity[i], summed in row order: what spherical
	// k-means maximises.
	Objective float64
	// Iterations is the number of assignment passes of the kept run,
	// mini-batch steps included.
	Iterations int
	// Restart is the index of the kept run among Config.Restarts.
	Restart int
	// Algorithm is the variant that ran (Full or MiniBatch).
	Algorithm Algorithm
}

// ErrTooFewRows is returned when k exceeds the number of distinct non-empty rows.
type ErrTooFewRows struct {
	K, Distinct int
}

func (e *ErrTooFewRows) Error() string {
	return fmt.Sprintf("cluster: k = %d themes asked for, but only %d distinct non-empty rows", e.K, e.Distinct)
}

// KMeans partitions the rows of m (L2-normalised, as Vectorizer makes them)
// into k themes by spherical k-means, which maximises
//
//	Σ_i x_i · c_{label(i)},   c_j = Σ_{label(i)=j} x_i / ‖Σ_{label(i)=j} x_i‖₂
//
// Seeding is k-means++ (each new centre drawn with probability
// proportional to 1 − max_j x·c_j, the squared Euclidean distance over two
// for unit vectors) from a PCG generator seeded with Config.Seed and the
// restart index. Config.Restarts runs are made and the best objective kept
// (ties: the earliest run). A run stops when no label changes, when the
// objective improves by less than Tol·objective, or after MaxIter passes.
// A theme left empty takes the row least similar to its own centroid (ties:
// lowest row), deterministically.
//
// The assignment step uses Config.Workers goroutines on fixed chunks of
// rows and every reduction runs in row order, so the result is identical
// whatever GOMAXPROCS is.
//
// Above MiniBatchThreshold rows (or with Algorithm MiniBatch), each run is
// mini-batch k-means: k-means++ on a sample of 3·BatchSize rows (k rows
// when that is more), then max(50, n/BatchSize) steps (one pass over the
// data) that each assign BatchSize rows drawn with replacement and move
// each centre to the running mean of the rows it has received (learning
// rate 1/count); the runs are compared after a tenth of their steps (at
// least one), on a fixed sample of 3·BatchSize rows, and the best one
// alone makes all its steps and is refined by RefineIter full Lloyd passes
// (fewer if it converges).
func KMeans(ctx context.Context, m *Matrix, k int, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	rows := nonEmptyRows(m)
	if k < 1 {
		return nil, fmt.Errorf("cluster: k = %d; want at least 1", k)
	}
	if len(rows) == 0 {
		return nil, ErrEmptyCorpus
	}
	if k > len(rows) {
		return nil, &ErrTooFewRows{K: k, Distinct: countDistinct(m, rows, k)}
	}
	if d := countDistinct(m, rows, k); d < k {
		return nil, &ErrTooFewRows{K: k, Distinct: d}
	}
	alg := cfg.Algorithm
	if alg == Auto {
		alg = Full
		if len(rows) > MiniBatchThreshold {
			alg = MiniBatch
		}
	}
	km := &kmeans{m: m, k: k, cfg: cfg, rows: rows}
	var best *run
	var err error
	if alg == MiniBatch {
		best, err = km.miniBatchRuns(ctx)
	} else {
		best, err = km.fullRuns(ctx)
	}
	if err != nil {
		return nil, err
	}
	return km.result(best, alg), nil
}

// kmeans holds one clustering problem.
type kmeans struct {
	m    *Matrix
	k    int
	cfg  Config
	rows []int // non-empty rows, increasing
	// ct is the one V × k array of the transposed centroids that the
	// steps of a clustering use in turn (mini-batch centres, evaluation,
	// Lloyd passes), so that restarts do not each allocate their own.
	ct []float64
	// spare is a run of fullRuns that lost to another: its arrays serve
	// the next restart.
	spare *run
	// seedRows are the rows the last seeding made the centres of, one a
	// centre.
	seedRows []int
}

// takeSpare returns the spare run, or nil, and forgets it.
func (km *kmeans) takeSpare() *run {
	r := km.spare
	km.spare = nil
	return r
}

// keepBest returns the better of best (nil at first) and r and keeps the
// other as the spare.
func (km *kmeans) keepBest(best, r *run, better bool) *run {
	if best == nil || better {
		km.spare = best
		return r
	}
	km.spare = r
	return best
}

// run is the state of one k-means run.
type run struct {
	centroids  []float64 // k × Cols, row-major, unit rows
	labels     []int     // per row of m; -1 for empty rows
	sims       []float64
	objective  float64
	iterations int
	restart    int
}

func nonEmptyRows(m *Matrix) []int {
	rows := make([]int, 0, m.Rows)
	for i := 0; i < m.Rows; i++ {
		if m.Indptr[i+1] > m.Indptr[i] {
			rows = append(rows, i)
		}
	}
	return rows
}

// DistinctRows counts the distinct non-empty rows of m, stopping once it
// reaches limit: KMeans cannot make more themes than that.
func DistinctRows(m *Matrix, limit int) int {
	return countDistinct(m, nonEmptyRows(m), limit)
}

// countDistinct counts distinct rows among rows, stopping once it reaches
// limit (all that the caller needs to know).
func countDistinct(m *Matrix, rows []int, limit int) int {
	seen := map[string]bool{}
	var key []byte
	for _, i := range rows {
		ind, data := m.Row(i)
		key = key[:0]
		for p, t := range ind {
			key = binary.LittleEndian.AppendUint32(key, uint32(t))
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(data[p]))
		}
		seen[string(key)] = true
		if len(seen) >= limit {
			return len(seen)
		}
	}
	return len(seen)
}

func (km *kmeans) rng(restart int) *rand.Rand {
	return rand.New(rand.NewPCG(km.cfg.Seed, uint64(restart)+1))
}

// transpose writes the k × V centroids into a V × stride array (stride
// centroids.Stride(k), the extra weights zero), so that the assignment
// reads the k weights of one term contiguously, from a cache line's
// start.
func (km *kmeans) transpose(c []float64, ct []float64) []float64 {
	V, kp := km.m.Cols, centroids.Stride(km.k)
	if cap(ct) < V*kp {
		ct = make([]float64, V*kp)
	}
	ct = ct[:V*kp]
	transposeBlocks(ct, c, km.k, kp, V)
	return ct
}

// transposeBlocks writes c (k × V) into ct (V × kp), eight terms at a
// time: a centroid's eight weights are one cache line read, and the
// eight terms' rows of ct, being written, stay cached until every
// centroid has had its turn, rather than one line written per weight.
// The weights past k of ct's rows are left as they are (zero).
func transposeBlocks(ct, c []float64, k, kp, V int) {
	const block = 8
	for t0 := 0; t0 < V; t0 += block {
		t1 := min(t0+block, V)
		for j := 0; j < k; j++ {
			row := c[j*V+t0 : j*V+t1]
			for dt, w := range row {
				ct[(t0+dt)*kp+j] = w
			}
		}
	}
}

// assign sets labels[i] and sims[i] for every i in rows to the most similar
// centroid (ties: lowest theme), using the transposed centroids ct. It runs
// on fixed chunks of rows in parallel; each row's sum runs in term order.
func (km *kmeans) assign(rows []int, ct []float64, labels []int, sims []float64) {
	km.assignScaled(rows, ct, nil, labels, sims, false)
}

// assignScaled is assign with centroid j's weights multiplied by factor[j]
// (when factor is not nil) after the dot product. byPosition indexes
// labels and sims by position in rows instead of by row: a mini-batch,
// drawn with replacement, may hold a row twice.
func (km *kmeans) assignScaled(rows []int, ct, factor []float64, labels []int, sims []float64, byPosition bool) {
	k := km.k
	// Each chunk of 1024 rows has its own score buffer: a row of ct, of
	// which the first k are the centroids'.
	parallelFor(len(rows), 1024, km.cfg.workers(), func(lo, hi int) {
		scores := make([]float64, centroids.Stride(k))
		for pos := lo; pos < hi; pos++ {
			if byPosition { // rows drawn at random
				km.m.prefetchAhead(rows[:hi], pos)
			}
			i := rows[pos]
			ind, data := km.m.Row(i)
			centroids.Scores(scores, ct, ind, data)
			best, bestSim := centroids.Nearest(scores[:k], factor)
			if byPosition {
				labels[pos], sims[pos] = best, bestSim
			} else {
				labels[i], sims[i] = best, bestSim
			}
		}
	})
}

// similarities sets d[p] = x_{rows[p]} · v for a dense v, in parallel.
func (km *kmeans) similarities(rows []int, v []float64, d []float64) {
	parallelFor(len(rows), 2048, km.cfg.workers(), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			km.m.prefetchAhead(rows[:hi], p) // the rows of a sample are apart
			d[p] = km.m.Dot(rows[p], v)
		}
	})
}

// prefetchAhead asks for the rows that a loop over rows reads after
// rows[p]: the offsets of the row 16 places ahead, the terms and values
// of the row 8 places ahead (whose offsets were asked for 8 rows
// earlier). Rows far apart in the matrix, as a mini-batch or a sample
// draws them, are otherwise waited for from memory one after another.
func (m *Matrix) prefetchAhead(rows []int, p int) {
	if p+16 < len(rows) {
		centroids.Prefetch(m.Indptr, rows[p+16])
	}
	if p+8 < len(rows) {
		centroids.PrefetchRow(m.Ind, m.Data, m.Indptr[rows[p+8]])
	}
}

// parallelFor calls f on fixed chunks of [0, n), chunk items each, on
// workers goroutines. Chunks write disjoint results, so the outcome does
// not depend on scheduling.
func parallelFor(n, chunk, workers int, f func(lo, hi int)) {
	if workers <= 1 || n <= chunk {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, (n+chunk-1)/chunk)
	for lo := 0; lo < n; lo += chunk {
		next <- lo
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lo := range next {
				f(lo, min(lo+chunk, n))
			}
		}()
	}
	wg.Wait()
}

// seed chooses k initial centroids among rows by spherical k-means++ and
// writes them into c (made when too small), k × V, or V × stride when
// transposed, as transpose would lay them out; km.seedRows lists the
// rows chosen.
func (km *kmeans) seed(rows []int, rng *rand.Rand, c []float64, transposed bool) []float64 {
	V := km.m.Cols
	// The weight of term t in centre j is at j·strideJ + t·strideT.
	strideJ, strideT, size := V, 1, km.k*V
	if transposed {
		kp := centroids.Stride(km.k)
		strideJ, strideT, size = 1, kp, V*kp
	}
	if cap(c) < size {
		c = make([]float64, size)
	}
	c = c[:size]
	clear(c)
	dist := make([]float64, len(rows))
	sims := make([]float64, len(rows))
	chosen := make([]bool, len(rows)) // by position in rows
	dense := make([]float64, V)
	pick := rng.IntN(len(rows))
	km.seedRows = km.seedRows[:0]
	for j := 0; j < km.k; j++ {
		chosen[pick] = true
		km.seedRows = append(km.seedRows, rows[pick])
		if j > 0 { // dense held the centre before: a row, its terms alone
			prev, _ := km.m.Row(km.seedRows[j-1])
			for _, t := range prev {
				dense[t] = 0
			}
		}
		ind, data := km.m.Row(rows[pick])
		for p, t := range ind {
			dense[t] = data[p]
			c[j*strideJ+int(t)*strideT] = data[p]
		}
		if j == km.k-1 {
			break
		}
		km.similarities(rows, dense, sims)
		total := 0.0
		for p, s := range sims {
			d := math.Max(0, 1-s)
			if j == 0 || d < dist[p] {
				dist[p] = d
			}
			if chosen[p] {
				dist[p] = 0
			}
			total += dist[p]
		}
		pick = -1
		if total > 0 {
			r := rng.Float64() * total
			acc := 0.0
			for p, d := range dist {
				acc += d
				if d > 0 && acc >= r {
					pick = p
					break
				}
			}
			if pick < 0 { // rounding at the very end of the sum
				for p := len(dist) - 1; p >= 0; p-- {
					if dist[p] > 0 {
						pick = p
						break
					}
				}
			}
		}
		if pick < 0 { // every row coincides with a centre: take the next unused row
			for p := range rows {
				if !chosen[p] {
					pick = p
					break
				}
			}
		}
	}
	return c
}

// byCentroid calls f on ranges [lo, hi) of the k centroids, one range a
// worker, side by side. Work on a centroid touches only its own state, so
// each centroid's sums run in the order they would on one goroutine: the
// outcome does not depend on the number of workers.
func (km *kmeans) byCentroid(f func(lo, hi int)) {
	w := min(km.cfg.workers(), km.k)
	parallelFor(km.k, (km.k+w-1)/w, w, f)
}

// update recomputes the centroids as the normalised sums of their rows,
// summing in row order. A theme left empty takes the row least similar to
// its centroid (ties: lowest row), which then leaves its old theme.
func (km *kmeans) update(r *run) {
	V := km.m.Cols
	c := r.centroids
	sizes := make([]int, km.k)
	km.byCentroid(func(lo, hi int) {
		clear(c[lo*V : hi*V])
		for _, i := range km.rows {
			j := r.labels[i]
			if j < lo || j >= hi {
				continue
			}
			sizes[j]++
			ind, data := km.m.Row(i)
			row := c[j*V : (j+1)*V]
			for p, t := range ind {
				row[t] += data[p]
			}
		}
	})
	taken := map[int]bool{}
	for j := 0; j < km.k; j++ {
		if sizes[j] > 0 {
			continue
		}
		worst, worstSim := -1, math.Inf(1)
		for _, i := range km.rows {
			if !taken[i] && sizes[r.labels[i]] > 1 && r.sims[i] < worstSim {
				worst, worstSim = i, r.sims[i]
			}
		}
		if worst < 0 {
			continue
		}
		taken[worst] = true
		old := r.labels[worst]
		ind, data := km.m.Row(worst)
		oldRow, newRow := c[old*V:(old+1)*V], c[j*V:(j+1)*V]
		for p, t := range ind {
			oldRow[t] -= data[p]
			newRow[t] = data[p]
		}
		sizes[old]--
		sizes[j] = 1
		r.labels[worst] = j
	}
	km.byCentroid(func(lo, hi int) {
		for j := lo; j < hi; j++ {
			normalize(c[j*V : (j+1)*V])
		}
	})
}

func normalize(v []float64) {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	if s == 0 {
		return
	}
	inv := 1 / math.Sqrt(s)
	for i := range v {
		v[i] *= inv
	}
}

// lloyd runs full assignment/update passes from r's centroids until
// convergence or until it has made the given number of centroid updates;
// it always ends
// on an assignment, so that labels and similarities match the centroids.
func (km *kmeans) lloyd(ctx context.Context, r *run, updates int) error {
	prev := make([]int, len(r.labels))
	prevObj := math.Inf(-1)
	for it := 0; it <= updates; it++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		copy(prev, r.labels)
		km.ct = km.transpose(r.centroids, km.ct)
		km.assign(km.rows, km.ct, r.labels, r.sims)
		r.iterations++
		obj := 0.0
		for _, i := range km.rows {
			obj += r.sims[i]
		}
		r.objective = obj
		if it > 0 && (slices.Equal(prev, r.labels) || obj-prevObj < km.cfg.Tol*math.Abs(obj)) {
			return nil
		}
		prevObj = obj
		if it == updates {
			return nil
		}
		km.update(r)
	}
	return nil
}

// newRun starts a run from centroids, in the arrays of sp when it is not
// nil.
func (km *kmeans) newRun(restart int, centroids []float64, sp *run) *run {
	r := &run{centroids: centroids, restart: restart}
	if sp != nil {
		r.labels, r.sims = sp.labels, sp.sims
		clear(r.sims)
	} else {
		r.labels, r.sims = make([]int, km.m.Rows), make([]float64, km.m.Rows)
	}
	for i := range r.labels {
		r.labels[i] = -1
	}
	return r
}

func (km *kmeans) fullRuns(ctx context.Context) (*run, error) {
	var best *run
	for restart := 0; restart < km.cfg.Restarts; restart++ {
		sp := km.takeSpare()
		var c []float64
		if sp != nil {
			c = sp.centroids
		}
		r := km.newRun(restart, km.seed(km.rows, km.rng(restart), c, false), sp)
		if err := km.lloyd(ctx, r, km.cfg.MaxIter-1); err != nil {
			return nil, err
		}
		best = km.keepBest(best, r, best != nil && r.objective > best.objective)
	}
	return best, nil
}

// SampleRows draws size distinct elements of rows, in increasing order,
// from a PCG generator seeded with seed: the same arguments always give
// the same sample. (All of rows when size is not smaller.)
func SampleRows(rows []int, size int, seed uint64) []int {
	return sampleRows(rows, size, rand.New(rand.NewPCG(seed, 0x5A3B)))
}

// sampleRows draws size distinct elements of rows (Floyd's algorithm),
// returned in increasing order. The positions drawn are marked in a
// bitset, a bit per element of rows, read in order at the end: rows is
// increasing wherever the package samples, so the sample comes out
// sorted. With a map of the sample's size and a sort, drawing 50,000 of
// 390,000 rows took 9-10 ms and allocated 1.6 MB; this way, 0.7-0.8 ms
// and 0.45 MB.
func sampleRows(rows []int, size int, rng *rand.Rand) []int {
	if size >= len(rows) {
		return slices.Clone(rows)
	}
	n := len(rows)
	chosen := make([]uint64, (n+63)/64)
	for j := n - size; j < n; j++ {
		t := rng.IntN(j + 1)
		if chosen[t/64]&(1<<(t%64)) != 0 {
			t = j
		}
		chosen[t/64] |= 1 << (t % 64)
	}
	out := make([]int, 0, size)
	for w, bitsSet := range chosen {
		for bitsSet != 0 {
			out = append(out, rows[w*64+bits.TrailingZeros64(bitsSet)])
			bitsSet &= bitsSet - 1
		}
	}
	if !slices.IsSorted(out) {
		slices.Sort(out)
	}
	return out
}

// trialShare is the share of its steps a mini-batch restart runs before
// the restarts are compared (see miniBatchRuns).
const trialShare = 10

func (km *kmeans) miniBatchRuns(ctx context.Context) (*run, error) {
	B := km.cfg.BatchSize
	steps := max(50, len(km.rows)/B)
	evalRows := sampleRows(km.rows, 3*B, km.rng(-1))
	// seeded seeds restart's centres into km.ct, transposed, and returns
	// its generator, where the seeding left it.
	seeded := func(restart int) *rand.Rand {
		rng := km.rng(restart)
		// k-means++ needs k rows to seed from, whatever the batch size.
		initRows := sampleRows(km.rows, max(3*B, km.k), rng)
		km.ct = km.seed(initRows, rng, km.ct, true)
		return rng
	}
	// The restarts are compared after a tenth of their steps, on the
	// evaluation sample, and the best one alone runs them all, from its
	// seeding again (its first tenth once more, step for step). A
	// tenth tells the runs apart about as well as their whole length: on
	// the 429,112 answers (k = 51, seeds 0 to 5) it kept the run that
	// whole runs kept for five seeds of six, and the mean similarity of
	// the answers to their themes, over the six, was 0.2911 either way;
	// the command's cluster stage, stability reruns included, took
	// 0.96-1.01 s of CPU instead of 1.23-1.32.
	bestRestart := 0
	if km.cfg.Restarts > 1 {
		labels := make([]int, len(evalRows))
		sims := make([]float64, len(evalRows))
		bestScore := math.Inf(-1)
		for restart := 0; restart < km.cfg.Restarts; restart++ {
			rng := seeded(restart)
			if err := km.miniBatch(ctx, km.ct, max(1, steps/trialShare), rng); err != nil {
				return nil, err
			}
			km.assignScaled(evalRows, km.ct, nil, labels, sims, true)
			score := 0.0
			for _, sim := range sims {
				score += sim
			}
			if score > bestScore {
				bestRestart, bestScore = restart, score
			}
		}
	}
	rng := seeded(bestRestart)
	if err := km.miniBatch(ctx, km.ct, steps, rng); err != nil {
		return nil, err
	}
	// Labels and similarities of every row are the refined run's alone.
	best := &run{centroids: make([]float64, km.k*km.m.Cols), restart: bestRestart, iterations: steps}
	km.untranspose(km.ct, best.centroids)
	best.labels, best.sims = make([]int, km.m.Rows), make([]float64, km.m.Rows)
	for i := range best.labels {
		best.labels[i] = -1
	}
	if err := km.lloyd(ctx, best, km.cfg.RefineIter); err != nil {
		return nil, err
	}
	return best, nil
}

// untranspose writes the V × stride centroids ct into c, k × V.
func (km *kmeans) untranspose(ct, c []float64) {
	V, k, kp := km.m.Cols, km.k, centroids.Stride(km.k)
	for j := 0; j < k; j++ {
		row := c[j*V : (j+1)*V]
		for t := range row {
			row[t] = ct[t*kp+j]
		}
	}
}

// miniBatch runs the mini-batch steps of one run. Each centre is kept as
// scale·u with its squared norm, so that moving it towards a row costs the
// row's length, not the vocabulary's: c ← (1−η)c + η·x becomes
// scale ← (1−η)·scale, u ← u + (η/scale)·x.
func (km *kmeans) miniBatch(ctx context.Context, u []float64, steps int, rng *rand.Rand) error {
	V, k, B := km.m.Cols, km.k, km.cfg.BatchSize
	// u is V × kp (transposed centroids, kp = centroids.Stride(k)); the
	// centre j is scale[j]·u[·, j].
	kp := centroids.Stride(k)
	scale := make([]float64, k)
	norm2 := make([]float64, k) // ‖u[·, j]‖²
	counts := make([]float64, k)
	for j := 0; j < k; j++ {
		scale[j], norm2[j] = 1, 1
	}
	batch := make([]int, B)
	labels := make([]int, B)
	sims := make([]float64, B)
	// The batch's positions grouped by centre (a counting sort), in batch
	// order within a centre: a centre's rows then move it one after
	// another, and touch the cache lines of u (a line holds 8 neighbouring
	// centres' weights for a term) while their centre's earlier rows and
	// its neighbours' left them cached, rather than among every other
	// centre's rows. Each centre still takes its rows in batch order, so
	// the result is the same.
	byLabel := make([]int32, B)
	start := make([]int32, k+1) // centre j's positions: byLabel[start[j]:start[j+1]]
	next := make([]int32, k)
	// The similarity to the unit centre j is (x·u[·, j]) / ‖u[·, j]‖.
	factor := make([]float64, k)
	for step := 0; step < steps; step++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		for b := range batch {
			batch[b] = km.rows[rng.IntN(len(km.rows))]
		}
		for j := 0; j < k; j++ {
			factor[j] = 1 / math.Sqrt(norm2[j])
		}
		km.assignScaled(batch, u, factor, labels, sims, true)
		clear(start)
		for _, j := range labels {
			start[j+1]++
		}
		for j := 0; j < k; j++ {
			start[j+1] += start[j]
		}
		copy(next, start[:k])
		for b, j := range labels {
			byLabel[next[j]] = int32(b)
			next[j]++
		}
		// Each centre moves towards its rows in batch order; centres
		// are independent of each other, so they move side by side.
		km.byCentroid(func(lo, hi int) {
			for _, b := range byLabel[start[lo]:start[hi]] {
				i, j := batch[b], labels[b]
				counts[j]++
				eta := 1 / counts[j]
				scale[j] *= 1 - eta
				if scale[j] == 0 { // the first row of a centre replaces it
					scale[j] = 1
					// The centre is still its seed, a row: its terms
					// are its only weights, not the vocabulary's.
					seed, _ := km.m.Row(km.seedRows[j])
					for _, t := range seed {
						u[int(t)*kp+j] = 0
					}
					norm2[j] = 0
				}
				ind, data := km.m.Row(i)
				add := eta / scale[j]
				for p, t := range ind {
					old := u[int(t)*kp+j]
					nw := old + add*data[p]
					u[int(t)*kp+j] = nw
					norm2[j] += nw*nw - old*old
				}
				if norm2[j] <= 0 {
					norm2[j] = 1e-300
				}
			}
		})
	}
	// Back to unit centres, in place: each centre's sum of squares runs
	// in term order, as normalize's over its row would. The array is read
	// a term at a time, its lines one after another, rather than a centre
	// at a time down a column (a line a term, read again for each of the
	// eight centres it holds).
	km.byCentroid(func(lo, hi int) {
		sums := make([]float64, hi-lo)
		for t := 0; t < V; t++ {
			for j, x := range u[t*kp+lo : t*kp+hi] {
				sums[j] += x * x
			}
		}
		for j, s := range sums {
			if s != 0 {
				sums[j] = 1 / math.Sqrt(s)
			} else {
				sums[j] = 1
			}
		}
		for t := 0; t < V; t++ {
			for j, inv := range sums {
				u[t*kp+lo+j] *= inv
			}
		}
	})
	return nil
}

// result numbers themes by decreasing size (ties: first row) and packages r.
func (km *kmeans) result(r *run, alg Algorithm) *Result {
	V := km.m.Cols
	sizes := make([]int, km.k)
	first := make([]int, km.k)
	for j := range first {
		first[j] = math.MaxInt
	}
	for _, i := range km.rows {
		j := r.labels[i]
		sizes[j]++
		first[j] = min(first[j], i)
	}
	order := make([]int, km.k)
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(a, b int) int {
		if sizes[a] != sizes[b] {
			return sizes[b] - sizes[a]
		}
		return first[a] - first[b]
	})
	newOf := make([]int, km.k)
	for nw, old := range order {
		newOf[old] = nw
	}
	// The run's labels and similarities become the result's, relabelled
	// in place: rows left out of the clustering are -1 and 0 in both.
	res := &Result{
		K:          km.k,
		Labels:     r.labels,
		Similarity: r.sims,
		Centroids:  mat.NewDense(km.k, V, permuteRows(r.centroids, V, order)),
		Sizes:      make([]int, km.k),
		Iterations: r.iterations,
		Restart:    r.restart,
		Algorithm:  alg,
	}
	for _, i := range km.rows {
		res.Labels[i] = newOf[r.labels[i]]
		res.Objective += r.sims[i]
	}
	for nw, old := range order {
		res.Sizes[nw] = sizes[old]
	}
	return res
}

// permuteRows reorders the rows of c (width V) in place so that row nw
// becomes the former row order[nw], with one row of scratch, and returns c.
func permuteRows(c []float64, V int, order []int) []float64 {
	done := make([]bool, len(order))
	tmp := make([]float64, V)
	for start := range order {
		if done[start] || order[start] == start {
			continue
		}
		// Follow the cycle start ← order[start] ← order[order[start]] …
		copy(tmp, c[start*V:(start+1)*V])
		nw := start
		for {
			done[nw] = true
			old := order[nw]
			if old == start {
				copy(c[nw*V:(nw+1)*V], tmp)
				break
			}
			copy(c[nw*V:(nw+1)*V], c[old*V:(old+1)*V])
			nw = old
		}
	}
	return c
}
