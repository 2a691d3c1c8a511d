package cluster

import (
	"fmt"
	"math"
	"slices"
)

// contingency counts the pairs (a[i], b[i]).
func contingency[A, B comparable](a []A, b []B) (table map[[2]int]float64, rowSums, colSums []float64, n float64) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("cluster: labelings of different lengths %d and %d", len(a), len(b)))
	}
	ai, bi := map[A]int{}, map[B]int{}
	table = map[[2]int]float64{}
	for i := range a {
		x, ok := ai[a[i]]
		if !ok {
			x = len(ai)
			ai[a[i]] = x
			rowSums = append(rowSums, 0)
		}
		y, ok := bi[b[i]]
		if !ok {
			y = len(bi)
			bi[b[i]] = y
			colSums = append(colSums, 0)
		}
		table[[2]int{x, y}]++
		rowSums[x]++
		colSums[y]++
	}
	return table, rowSums, colSums, float64(len(a))
}

// sortedKeys returns the cells of a contingency table in a fixed order, so
// that sums over them never depend on map order.
func sortedKeys(table map[[2]int]float64) [][2]int {
	keys := make([][2]int, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return keys
}

func entropy(sums []float64, n float64) float64 {
	h := 0.0
	for _, s := range sums {
		if s > 0 {
			p := s / n
			h -= p * math.Log(p)
		}
	}
	return h
}

// NMI returns the normalised mutual information of two labelings of the
// same items, with the arithmetic mean of the entropies as normaliser:
//
//	NMI(A, B) = I(A; B) / ((H(A) + H(B)) / 2)
//
// (scikit-learn's default). It is 1 for identical partitions, whatever
// the label names, and near 0 for independent ones. Two labelings that
// each put everything in one group have NMI 1. It panics when the lengths
// differ.
func NMI[A, B comparable](a []A, b []B) float64 {
	if len(a) == 0 {
		return 1
	}
	table, rows, cols, n := contingency(a, b)
	ha, hb := entropy(rows, n), entropy(cols, n)
	if ha == 0 && hb == 0 {
		return 1
	}
	mi := 0.0
	for _, key := range sortedKeys(table) {
		nij := table[key]
		mi += nij / n * math.Log(n*nij/(rows[key[0]]*cols[key[1]]))
	}
	return math.Max(0, mi/((ha+hb)/2))
}

// ARI returns the adjusted Rand index of two labelings of the same items
// (Hubert and Arabie): the Rand index corrected for chance,
//
//	ARI = (Σ_ij C(n_ij,2) − Σ_i C(a_i,2)·Σ_j C(b_j,2)/C(n,2)) /
//	      (½(Σ_i C(a_i,2) + Σ_j C(b_j,2)) − Σ_i C(a_i,2)·Σ_j C(b_j,2)/C(n,2))
//
// 1 for identical partitions, about 0 for random ones. It panics when the
// lengths differ.
func ARI[A, B comparable](a []A, b []B) float64 {
	table, rows, cols, n := contingency(a, b)
	c2 := func(x float64) float64 { return x * (x - 1) / 2 }
	index := 0.0
	for _, key := range sortedKeys(table) {
		index += c2(table[key])
	}
	sa, sb := 0.0, 0.0
	for _, x := range rows {
		sa += c2(x)
	}
	for _, x := range cols {
		sb += c2(x)
	}
	expected := sa * sb / c2(n)
	maxIndex := (sa + sb) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}
