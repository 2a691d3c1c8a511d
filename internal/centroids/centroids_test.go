package centroids

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomRows returns V × k transposed centroids and rows of up to 40
// terms (in increasing order, as a matrix row holds them), with values of
// both signs, zeros among them.
func randomRows(r *rand.Rand, V, k, rows int) (ct []float64, inds [][]int32, datas [][]float64) {
	ct = make([]float64, V*k)
	for i := range ct {
		if r.IntN(10) > 0 {
			ct[i] = r.NormFloat64()
		}
	}
	for range rows {
		var ind []int32
		var data []float64
		for t := 0; t < V; t++ {
			if r.IntN(V) < 12 {
				ind = append(ind, int32(t))
				data = append(data, r.NormFloat64()*math.Pow(10, float64(r.IntN(6)-3)))
			}
		}
		inds, datas = append(inds, ind), append(datas, data)
	}
	return ct, inds, datas
}

// rowKernel is one of the loops Scores may run.
type rowKernel struct {
	name string
	row  func(scores, ct []float64, ind []int32, data []float64)
}

// kernels returns Scores and each assembly loop that this processor
// runs, whichever Scores picks, so that each is held to the portable
// loop.
func kernels() []rowKernel {
	ks := []rowKernel{{"Scores", Scores}}
	asm := func(f func(scores, ct *float64, k int, ind *int32, data *float64, n int)) func(scores, ct []float64, ind []int32, data []float64) {
		return func(scores, ct []float64, ind []int32, data []float64) {
			if len(ind) == 0 {
				clear(scores)
				return
			}
			f(&scores[0], &ct[0], len(scores), &ind[0], &data[0], len(ind))
		}
	}
	if useAVX {
		ks = append(ks, rowKernel{"AVX", asm(rowAVX)})
	}
	if useAVX512 {
		ks = append(ks, rowKernel{"AVX-512", asm(rowAVX512)})
	}
	return ks
}

// nearestKernels returns the assembly loops of Nearest this processor
// runs.
func nearestKernels() (ks []nearestKernel) {
	if useAVX {
		ks = append(ks, nearestKernel{"AVX", nearestAVX})
	}
	if useAVX512 {
		ks = append(ks, nearestKernel{"AVX-512", nearestAVX512})
	}
	return ks
}

type nearestKernel struct {
	name    string
	nearest func(scores, factor *float64, k int) int
}

// Scores gives, bit for bit, what the AddScaled loop gives, for every number
// of centroids around the loops' blocks (AVX: 48, 16, 4, 1; AVX-512: 64,
// then one to eight registers, the last masked), with each loop this
// processor has.
func TestScoresMatchesAddScaled(t *testing.T) {
	if !useAVX {
		t.Log("no AVX loop here (not amd64, purego, or no AVX): Scores is the AddScaled loop itself")
	}
	if !useAVX512 {
		t.Log("no AVX-512 loop here: only the AVX loop is checked")
	}
	r := rand.New(rand.NewPCG(7, 11))
	for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 20, 24, 31, 47, 48, 49, 51, 52, 56, 57, 63, 64, 65, 72, 96, 100, 113, 127, 128, 129} {
		ct, inds, datas := randomRows(r, 300, k, 200)
		got := make([]float64, k+1)
		want := make([]float64, k)
		for _, kern := range kernels() {
			for i := range inds {
				for j := range got {
					got[j] = math.NaN() // Scores overwrites every score
				}
				got[k] = 42 // and no more
				kern.row(got[:k], ct, inds[i], datas[i])
				rowGo(want, ct, inds[i], datas[i])
				for j := range want {
					require.Equal(t, math.Float64bits(want[j]), math.Float64bits(got[j]), "%s: k=%d row %d score %d: %v, want %v", kern.name, k, i, j, got[j], want[j])
				}
				require.Equal(t, 42.0, got[k], "%s: k=%d: wrote past the scores", kern.name, k)
			}
		}
	}
}

// A row without terms scores 0 everywhere.
func TestScoresEmpty(t *testing.T) {
	got := []float64{1, 2, 3}
	Scores(got, make([]float64, 30), nil, nil)
	assert.Equal(t, []float64{0, 0, 0}, got)
}

func TestScoresChecks(t *testing.T) {
	ct := make([]float64, 10*4)
	s := make([]float64, 4)
	assert.PanicsWithValue(t, "centroids: term 10 of a row, with 10 terms", func() { Scores(s, ct, []int32{2, 10}, []float64{1, 1}) })
	assert.PanicsWithValue(t, "centroids: term -1 of a row, with 10 terms", func() { Scores(s, ct, []int32{-1}, []float64{1}) })
	assert.PanicsWithValue(t, "centroids: 1 terms and 2 values", func() { Scores(s, ct, []int32{1}, []float64{1, 2}) })
	assert.PanicsWithValue(t, "centroids: 39 transposed weights for 4 centroids", func() { Scores(s, ct[:39], []int32{1}, []float64{1}) })
}

// Nearest picks what the portable loop picks, ties (to the first),
// signed zeros, NaNs and factors included.
func TestNearestMatchesLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.5, math.Inf(1), math.Inf(-1), math.NaN()}
	for k := 1; k <= 140; k++ {
		for trial := 0; trial < 300; trial++ {
			// NaNs past the k values, which no loop may read.
			scores := slices.Repeat([]float64{math.NaN()}, k+8)[:k]
			var factor []float64
			if trial%2 == 1 {
				factor = slices.Repeat([]float64{math.NaN()}, k+8)[:k]
			}
			for j := range scores {
				switch {
				case trial < 100: // few distinct values: ties
					scores[j] = float64(r.IntN(3)) * 0.25
				case r.IntN(20) == 0 && trial > 250:
					scores[j] = values[r.IntN(len(values))]
				default:
					scores[j] = r.NormFloat64()
				}
				if factor != nil {
					factor[j] = 0.5 + r.Float64()
					if trial%10 == 1 {
						factor[j] = 1
					}
				}
			}
			wantJ, want := nearestGo(scores, factor)
			gotJ, got := Nearest(scores, factor)
			require.Equal(t, wantJ, gotJ, "k=%d trial %d: %v × %v", k, trial, scores, factor)
			require.Equal(t, math.Float64bits(want), math.Float64bits(got), "k=%d trial %d", k, trial)
			// Each assembly loop this processor has, whichever Nearest
			// picks: the same index, or -1 when a value is NaN.
			nan := false
			for j := range scores {
				v := scores[j]
				if factor != nil {
					v *= factor[j]
				}
				nan = nan || math.IsNaN(v)
			}
			for _, kern := range nearestKernels() {
				var f *float64
				if factor != nil {
					f = &factor[0]
				}
				j := kern.nearest(&scores[0], f, k)
				if nan {
					require.Equal(t, -1, j, "%s: k=%d trial %d: a NaN", kern.name, k, trial)
				} else {
					require.Equal(t, wantJ, j, "%s: k=%d trial %d: %v × %v", kern.name, k, trial, scores, factor)
				}
			}
		}
	}
	assert.Panics(t, func() { Nearest(nil, nil) })
	assert.Panics(t, func() { Nearest([]float64{1, 2}, []float64{1}) })
}

// BenchmarkScores scores rows of 7 terms drawn from a Zipf law over 16,936
// terms against 51 centroids: the scale corpus's shape. The centroids are
// laid out with rows of 51 weights (packed) and of Stride(51) (strided).
func BenchmarkScores(b *testing.B) {
	for _, layout := range []struct {
		name string
		k    int
	}{{"packed", 51}, {"strided", Stride(51)}} {
		for _, impl := range append(kernels(), rowKernel{"AddScaled", rowGo}) {
			b.Run(layout.name+"/"+impl.name, func(b *testing.B) {
				benchmarkScores(b, impl, layout.k)
			})
		}
	}
}

// benchmarkScores scores the rows with impl against centroids of k
// weights a term.
func benchmarkScores(b *testing.B, impl rowKernel, k int) {
	const V, rows, nnz = 16936, 100000, 7
	r := rand.New(rand.NewPCG(1, 2))
	ct := make([]float64, V*k)
	for i := range ct {
		ct[i] = r.NormFloat64()
	}
	z := rand.NewZipf(r, 1.1, 1, V-1)
	ind := make([]int32, rows*nnz)
	data := make([]float64, len(ind))
	for i := range ind {
		ind[i], data[i] = int32(z.Uint64()), r.Float64()
	}
	scores := make([]float64, k)
	b.ResetTimer()
	for b.Loop() {
		for i := 0; i < rows; i++ {
			impl.row(scores, ct, ind[i*nnz:(i+1)*nnz], data[i*nnz:(i+1)*nnz])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
}

// FuzzScores feeds Scores and Nearest rows and centroids made of arbitrary
// bytes (every float64 bit pattern, NaNs and infinities included) and
// holds them to the portable loops, bit for bit.
func FuzzScores(f *testing.F) {
	f.Add(uint8(51), []byte("\x01\x02\x03"), []byte("some bytes for the weights and values"))
	f.Add(uint8(4), []byte{0, 0, 1}, []byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, kk uint8, terms []byte, bits []byte) {
		k := int(kk%100) + 1
		const V = 16
		word := func(i int) float64 {
			var w uint64
			for b := 0; b < 8; b++ {
				if len(bits) > 0 {
					w |= uint64(bits[(i*8+b)%len(bits)]) << (8 * b)
				}
			}
			return math.Float64frombits(w)
		}
		ct := make([]float64, V*k)
		for i := range ct {
			ct[i] = word(i)
		}
		ind := make([]int32, 0, len(terms))
		data := make([]float64, 0, len(terms))
		for p, b := range terms {
			ind = append(ind, int32(b%V))
			data = append(data, word(len(ct)+p))
		}
		got, want := make([]float64, k), make([]float64, k)
		rowGo(want, ct, ind, data)
		for _, kern := range kernels() {
			kern.row(got, ct, ind, data)
			for j := range want {
				if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
					t.Fatalf("%s: k=%d score %d: %v, want %v", kern.name, k, j, got[j], want[j])
				}
			}
		}
		factor := make([]float64, k)
		for j := range factor {
			factor[j] = word(3 * j)
		}
		for _, fac := range [][]float64{nil, factor} {
			gj, gs := Nearest(got, fac)
			wj, ws := nearestGo(got, fac)
			if gj != wj || math.Float64bits(gs) != math.Float64bits(ws) {
				t.Fatalf("k=%d: nearest %d %v, want %d %v", k, gj, gs, wj, ws)
			}
			var f *float64
			if fac != nil {
				f = &fac[0]
			}
			for _, kern := range nearestKernels() {
				// -1 sends Nearest to the loop (a NaN); any other answer
				// must be the loop's.
				if j := kern.nearest(&got[0], f, k); j != -1 && j != wj {
					t.Fatalf("%s: k=%d: nearest %d, want %d", kern.name, k, j, wj)
				}
			}
		}
	})
}

// BenchmarkNearest picks the nearest of 51 scores scaled by factors, as
// a mini-batch step does for each row, with each loop this processor has.
func BenchmarkNearest(b *testing.B) {
	const k, rows = 51, 4096
	r := rand.New(rand.NewPCG(3, 4))
	scores := make([]float64, k*rows)
	factor := make([]float64, k)
	for i := range scores {
		scores[i] = r.Float64()
	}
	for j := range factor {
		factor[j] = 0.5 + r.Float64()
	}
	for _, kern := range nearestKernels() {
		b.Run(kern.name, func(b *testing.B) {
			for b.Loop() {
				for i := 0; i < rows; i++ {
					kern.nearest(&scores[i*k], &factor[0], k)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
	b.Run("loop", func(b *testing.B) {
		for b.Loop() {
			for i := 0; i < rows; i++ {
				nearestGo(scores[i*k:(i+1)*k], factor)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
	})
}

// TestPrefetchBounds calls the prefetches at and past the ends of their
// slices, as the k-means loops may: they must do nothing there, and never
// fault or panic.
func TestPrefetchBounds(t *testing.T) {
	ind, data := []int32{1, 2, 3}, []float64{.1, .2, .3}
	offsets := []int{0, 3}
	assert.NotPanics(t, func() {
		for lo := -1; lo <= len(ind)+1; lo++ {
			PrefetchRow(ind, data, lo)
			Prefetch(offsets, lo)
		}
		PrefetchRow(nil, nil, 0)
		Prefetch(nil, 0)
		PrefetchRow(ind, data[:1], 2) // a shorter data: past its end
	})
}
