//go:build !amd64 || purego

package centroids

const useAVX = false

func rowAVX(scores, ct *float64, k int, ind *int32, data *float64, n int) {
	panic("scores: no AVX loop on this architecture")
}

func nearestAVX(scores, factor *float64, k int) int {
	panic("centroids: no AVX loop on this architecture")
}
