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
