//go:build !amd64 || purego

package minhash

const useAVX512 = false

func signatureAVX512(set *uint64, n int, seeds *[Len]uint64, sig *[Len]uint64) {
	panic("minhash: no AVX-512 loop on this architecture")
}
