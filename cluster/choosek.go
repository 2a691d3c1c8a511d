package cluster

import (
	"context"
	"math"
	"slices"
)

// KScore is the silhouette of one candidate number of themes.
type KScore struct {
	K     int
	Score float64
}

// KChoice is the outcome of ChooseK: every candidate's score and the
// chosen k, so that a report can show why.
type KChoice struct {
	Method     string // "silhouette"
	Candidates []KScore
	Chosen     int
	// SampleSize is the number of rows the silhouette was computed on.
	SampleSize int
}

// ChooseK scores each candidate k of Config.KCandidates (those no larger
// than the distinct rows) and returns them with the best. For each k,
// KMeans runs with cfg on a deterministic sample of at most 10·SilhouetteSample
// rows (all rows when fewer), and the mean silhouette is computed with the
// cosine distance d = 1 − x·y on the first SilhouetteSample rows of that
// sample:
//
//	s(i) = (b(i) − a(i)) / max(a(i), b(i))
//
// where a(i) is the mean distance from i to the other sampled rows of its
// theme and b(i) the smallest mean distance to the sampled rows of another
// theme (s(i) = 0 when i is alone in its theme within the sample). The
// highest mean wins; ties go to the smaller k.
func ChooseK(ctx context.Context, m *Matrix, cfg Config) (*KChoice, error) {
	cfg = cfg.withDefaults()
	rows := nonEmptyRows(m)
	if len(rows) == 0 {
		return nil, ErrEmptyCorpus
	}
	rng := (&kmeans{cfg: cfg}).rng(-2)
	fitRows := sampleRows(rows, 10*cfg.SilhouetteSample, rng)
	scoreRows := sampleRows(fitRows, cfg.SilhouetteSample, rng)
	sub := m.subset(fitRows)
	sub.CompactColumns()
	// Positions of the scored rows within sub.
	pos := make([]int, 0, len(scoreRows))
	for p, r := range fitRows {
		if _, ok := slices.BinarySearch(scoreRows, r); ok {
			pos = append(pos, p)
		}
	}
	gram := sub.gram(pos)
	distinct := countDistinct(sub, nonEmptyRows(sub), math.MaxInt)
	choice := &KChoice{Method: "silhouette", SampleSize: len(pos)}
	best := math.Inf(-1)
	for _, k := range cfg.KCandidates {
		if k < 2 || k > distinct {
			continue
		}
		res, err := KMeans(ctx, sub, k, cfg)
		if err != nil {
			return nil, err
		}
		labels := make([]int, len(pos))
		for q, p := range pos {
			labels[q] = res.Labels[p]
		}
		s := silhouette(gram, labels, k)
		choice.Candidates = append(choice.Candidates, KScore{K: k, Score: s})
		if s > best {
			best, choice.Chosen = s, k
		}
	}
	if choice.Chosen == 0 {
		choice.Chosen = 1
	}
	return choice, nil
}

// Subset returns the rows of m listed in rows, in that order, sharing no
// storage with m.
func (m *Matrix) Subset(rows []int) *Matrix { return m.subset(rows) }

// subset returns the rows of m listed in rows, sharing no storage with m.
func (m *Matrix) subset(rows []int) *Matrix {
	nnz := 0
	for _, i := range rows {
		nnz += m.Indptr[i+1] - m.Indptr[i]
	}
	out := &Matrix{Rows: len(rows), Cols: m.Cols, Indptr: make([]int, len(rows)+1),
		Ind: make([]int32, 0, nnz), Data: make([]float64, 0, nnz)}
	for q, i := range rows {
		ind, data := m.Row(i)
		out.Ind = append(out.Ind, ind...)
		out.Data = append(out.Data, data...)
		out.Indptr[q+1] = len(out.Data)
	}
	return out
}

// CompactColumns renumbers the columns of m in place, keeping only those
// that some row uses, in their order, and returns the former index of each
// kept column. The dropped columns are zero in every row and the others
// keep their order, so no dot product or sum of KMeans changes: it gives
// the same labels, similarities and objective on the compacted matrix,
// and centroids over the kept columns. A subset of a large matrix uses a
// fraction of its columns: the centroid arrays shrink with them.
func (m *Matrix) CompactColumns() []int32 {
	newCol := make([]int32, m.Cols)
	for _, t := range m.Ind {
		newCol[t] = 1
	}
	var cols []int32
	for t, used := range newCol {
		if used != 0 {
			newCol[t] = int32(len(cols))
			cols = append(cols, int32(t))
		}
	}
	for p, t := range m.Ind {
		m.Ind[p] = newCol[t]
	}
	m.Cols = len(cols)
	return cols
}

// gram returns the dot products of the rows at positions pos, as a dense
// len(pos) × len(pos) array.
func (m *Matrix) gram(pos []int) []float64 {
	s := len(pos)
	g := make([]float64, s*s)
	dense := make([]float64, m.Cols)
	for a, i := range pos {
		ind, data := m.Row(i)
		for p, t := range ind {
			dense[t] = data[p]
		}
		for b := a; b < s; b++ {
			v := m.Dot(pos[b], dense)
			g[a*s+b], g[b*s+a] = v, v
		}
		for _, t := range ind {
			dense[t] = 0
		}
	}
	return g
}

// silhouette is the mean silhouette of labels under cosine distance, from
// the Gram matrix of the labelled rows.
func silhouette(gram []float64, labels []int, k int) float64 {
	s := len(labels)
	if s == 0 {
		return 0
	}
	sizes := make([]int, k)
	for _, l := range labels {
		sizes[l]++
	}
	sum := make([]float64, k)
	total := 0.0
	for a := 0; a < s; a++ {
		clear(sum)
		for b := 0; b < s; b++ {
			if b != a {
				sum[labels[b]] += 1 - gram[a*s+b]
			}
		}
		own := labels[a]
		if sizes[own] <= 1 {
			continue
		}
		ai := sum[own] / float64(sizes[own]-1)
		bi := math.Inf(1)
		for j := 0; j < k; j++ {
			if j != own && sizes[j] > 0 {
				bi = math.Min(bi, sum[j]/float64(sizes[j]))
			}
		}
		if math.IsInf(bi, 1) {
			continue
		}
		if d := math.Max(ai, bi); d > 0 {
			total += (bi - ai) / d
		}
	}
	return total / float64(s)
}
