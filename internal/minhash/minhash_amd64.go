//go:build amd64 && !purego

package minhash

import "golang.org/x/sys/cpu"

// useAVX512 is set when the processor and the system support the AVX-512
// instructions signatureAVX512 uses (VPMULLQ is AVX-512 DQ).
var useAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// signatureAVX512 is Signature's loop in AVX-512 (minhash_amd64.s) over
// the n ≥ 1 members of set.
//
//go:noescape
func signatureAVX512(set *uint64, n int, seeds *[Len]uint64, sig *[Len]uint64)
