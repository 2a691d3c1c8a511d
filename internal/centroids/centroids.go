// Package centroids computes the similarities of a sparse row to every
// centroid at once, the inner loop of k-means assignment and of a
// report's runner-up themes.
//
// The centroids are given transposed, term-major: ct[t·k+j] is centroid
// j's weight for term t, so that a term's k weights are contiguous. Scores
// sets
//
//	scores[j] = Σ_p data[p]·ct[ind[p]·k+j]
//
// with each sum taken in p order, one product then one addition at a
// time, from +0: exactly what adding data[p]·ct[t·k:t·k+k] to scores with
// gonum's floats.AddScaled for each p in turn gives, bit for bit. On amd64
// processors with AVX, the sums run four centroids to a register and up
// to 48 centroids at once, in registers, across the whole row; with
// AVX-512, eight to a register and up to 64 at once, the last register
// masked to the centroids left. On rows shaped as the scale corpus's (51
// centroids, 16,936 terms, 7 terms a row), BenchmarkScores gives
// 98-126 ns a row with AVX-512, 138-169 with AVX and 267-309 with the
// AddScaled loop (three runs each, one machine). The build tag purego
// keeps the portable loop.
package centroids

import (
	"fmt"
	"unsafe"

	"gonum.org/v1/gonum/floats"
)

// Scores sets scores[j], for every centroid j < k = len(scores), to the
// similarity of the row (ind, data) to centroid j, from the transposed
// centroids ct (V × k, term-major). It panics if ind and data differ in
// length, if len(ct) is not a multiple of k or if a term of ind is not
// below len(ct)/k.
func Scores(scores, ct []float64, ind []int32, data []float64) {
	k := len(scores)
	if len(ind) != len(data) {
		panic(fmt.Sprintf("centroids: %d terms and %d values", len(ind), len(data)))
	}
	if k == 0 {
		return
	}
	if len(ct)%k != 0 {
		panic(fmt.Sprintf("centroids: %d transposed weights for %d centroids", len(ct), k))
	}
	V := uint32(len(ct) / k)
	for _, t := range ind {
		if uint32(t) >= V {
			panic(fmt.Sprintf("centroids: term %d of a row, with %d terms", t, V))
		}
	}
	if useAVX512 && len(ind) > 0 {
		rowAVX512(&scores[0], &ct[0], k, &ind[0], &data[0], len(ind))
		return
	}
	if useAVX && len(ind) > 0 {
		rowAVX(&scores[0], &ct[0], k, &ind[0], &data[0], len(ind))
		return
	}
	rowGo(scores, ct, ind, data)
}

// rowGo is Scores without its checks, portable.
func rowGo(scores, ct []float64, ind []int32, data []float64) {
	k := len(scores)
	clear(scores)
	for p, t := range ind {
		floats.AddScaled(scores, data[p], ct[int(t)*k:int(t)*k+k])
	}
}

// Nearest returns the first j with the greatest scores[j]·factor[j] (or
// scores[j] when factor is nil), and that value: what scaling the scores
// in place and keeping each score strictly greater than the best so far
// gives. On amd64 with AVX the scores are read four at a time (eight
// with AVX-512: BenchmarkNearest, 51 scores and their factors, 46-51 ns
// against 65-73 and the loop's 170-177); a NaN among them sends Nearest
// to that loop.
// It panics if factor is neither nil nor as long as scores, or if scores
// is empty.
func Nearest(scores, factor []float64) (int, float64) {
	if len(scores) == 0 {
		panic("centroids: no scores")
	}
	if factor != nil && len(factor) != len(scores) {
		panic(fmt.Sprintf("centroids: %d factors for %d scores", len(factor), len(scores)))
	}
	if useAVX {
		var f *float64
		if factor != nil {
			f = &factor[0]
		}
		var best int
		if useAVX512 {
			best = nearestAVX512(&scores[0], f, len(scores))
		} else {
			best = nearestAVX(&scores[0], f, len(scores))
		}
		if best >= 0 {
			sim := scores[best]
			if factor != nil {
				sim *= factor[best]
			}
			return best, sim
		}
	}
	return nearestGo(scores, factor)
}

// nearestGo is Nearest's portable loop.
func nearestGo(scores, factor []float64) (int, float64) {
	at := func(j int) float64 {
		if factor != nil {
			return scores[j] * factor[j]
		}
		return scores[j]
	}
	best, bestSim := 0, at(0)
	for j := 1; j < len(scores); j++ {
		if v := at(j); v > bestSim {
			best, bestSim = j, v
		}
	}
	return best, bestSim
}

// Stride is the row length the transposed centroids of k centres are
// given (see Scores): k rounded up to a multiple of eight, the extra
// weights zero, their scores ignored. An array so laid out from a 64-byte
// boundary (as Go lays out a large one) starts each term's weights on a
// cache line, and the AVX-512 loop reads whole lines rather than loads
// split across two. BenchmarkScores, AVX-512, eight runs each: 80-111
// ns a row (median 98) with rows of 51 weights, 75-101 (median 90) with
// rows of 56, though it then scores 56 centres.
func Stride(k int) int { return (k + 7) &^ 7 }

// PrefetchRow asks the processor to bring into its caches the start of
// the row that begins at lo in ind and data, whose values are read soon:
// rows taken at random (a mini-batch) otherwise wait on memory one after
// another. It does nothing when lo is out of range.
func PrefetchRow(ind []int32, data []float64, lo int) {
	if uint(lo) < uint(len(ind)) && uint(lo) < uint(len(data)) {
		prefetch2(unsafe.Pointer(&ind[lo]), unsafe.Pointer(&data[lo]))
	}
}

// Prefetch asks the processor to bring into its caches the line of
// x[i], when i is in range.
func Prefetch(x []int, i int) {
	if uint(i) < uint(len(x)) {
		prefetch(unsafe.Pointer(&x[i]))
	}
}
