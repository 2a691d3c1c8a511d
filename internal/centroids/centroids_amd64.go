//go:build amd64 && !purego

package centroids

import "golang.org/x/sys/cpu"

// useAVX is set when the processor and the system support AVX.
var useAVX = cpu.X86.HasAVX

// rowAVX is the loop of Scores in AVX (scores_amd64.s): n terms of ind and data,
// k scores, k ≥ 1 and n ≥ 1.
//
//go:noescape
func rowAVX(scores, ct *float64, k int, ind *int32, data *float64, n int)

// nearestAVX returns the first j < k whose scores[j]·factor[j] (scores[j]
// when factor is nil) equals the greatest of them, or -1 when none does
// (a NaN among them). k ≥ 1.
//
//go:noescape
func nearestAVX(scores, factor *float64, k int) int
