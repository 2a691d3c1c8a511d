//go:build !amd64 || purego

package centroids

import "unsafe"

const useAVX, useAVX512 = false, false

func rowAVX(scores, ct *float64, k int, ind *int32, data *float64, n int) {
	panic("scores: no AVX loop on this architecture")
}

func rowAVX512(scores, ct *float64, k int, ind *int32, data *float64, n int) {
	panic("scores: no AVX-512 loop on this architecture")
}

func nearestAVX(scores, factor *float64, k int) int {
	panic("centroids: no AVX loop on this architecture")
}

func nearestAVX512(scores, factor *float64, k int) int {
	panic("centroids: no AVX-512 loop on this architecture")
}

func prefetch(p unsafe.Pointer) {}

func prefetch2(p, q unsafe.Pointer) {}
