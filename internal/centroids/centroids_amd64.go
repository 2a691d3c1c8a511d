//go:build amd64 && !purego

package centroids

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// useAVX is set when the processor and the system support AVX.
var useAVX = cpu.X86.HasAVX

// useAVX512 is set when they support AVX-512 F and DQ (KMOVB).
var useAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// rowAVX is the loop of Scores in AVX (centroids_amd64.s): n terms of ind and data,
// k scores, k ≥ 1 and n ≥ 1.
//
//go:noescape
func rowAVX(scores, ct *float64, k int, ind *int32, data *float64, n int)

// rowAVX512 is rowAVX with AVX-512 registers, eight scores to each
// (centroids_amd64.s).
//
//go:noescape
func rowAVX512(scores, ct *float64, k int, ind *int32, data *float64, n int)

// nearestAVX returns the first j < k whose scores[j]·factor[j] (scores[j]
// when factor is nil) equals the greatest of them, or -1 when none does
// (a NaN among them). k ≥ 1.
//
//go:noescape
func nearestAVX(scores, factor *float64, k int) int

// nearestAVX512 is nearestAVX with AVX-512 registers, eight values to
// each (centroids_amd64.s).
//
//go:noescape
func nearestAVX512(scores, factor *float64, k int) int

// prefetch asks the processor to bring the cache line at p into its
// caches, without waiting for it (centroids_amd64.s).
//
//go:noescape
func prefetch(p unsafe.Pointer)

// prefetch2 is prefetch of p and q in one call.
//
//go:noescape
func prefetch2(p, q unsafe.Pointer)
