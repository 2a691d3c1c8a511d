//go:build amd64 && !purego

// signatureAVX512: see minhash.go for what it computes. The 32 seeds sit
// in Z0-Z3, eight to a register, and the 32 minima in Z4-Z7; each member
// of the set, broadcast to Z10, is xored with the seeds and mixed as Mix
// does (shifts, xors and VPMULLQ, the low 64 bits of each product), and
// the minima kept with VPMINUQ.

#include "textflag.h"

// MINMIX mixes the member in Z10 xored with the eight seeds in seeds, as
// Mix does, and keeps in mins the least of each value.
#define MINMIX(seeds, mins) \
	VPXORQ   seeds, Z10, Z11; \
	VPSRLQ   $30, Z11, Z12; \
	VPXORQ   Z12, Z11, Z11; \
	VPMULLQ  Z8, Z11, Z11; \
	VPSRLQ   $27, Z11, Z12; \
	VPXORQ   Z12, Z11, Z11; \
	VPMULLQ  Z9, Z11, Z11; \
	VPSRLQ   $31, Z11, Z12; \
	VPXORQ   Z12, Z11, Z11; \
	VPMINUQ  Z11, mins, mins

// func signatureAVX512(set *uint64, n int, seeds *[32]uint64, sig *[32]uint64)
TEXT ·signatureAVX512(SB), NOSPLIT, $0-32
	MOVQ set+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ seeds+16(FP), DX
	MOVQ sig+24(FP), DI
	VMOVDQU64 0(DX), Z0
	VMOVDQU64 64(DX), Z1
	VMOVDQU64 128(DX), Z2
	VMOVDQU64 192(DX), Z3
	VPTERNLOGQ $0xff, Z4, Z4, Z4
	VMOVDQA64 Z4, Z5
	VMOVDQA64 Z4, Z6
	VMOVDQA64 Z4, Z7
	MOVQ $0xBF58476D1CE4E5B9, AX
	VPBROADCASTQ AX, Z8
	MOVQ $0x94D049BB133111EB, AX
	VPBROADCASTQ AX, Z9
loop:
	VPBROADCASTQ (SI), Z10
	MINMIX(Z0, Z4)
	MINMIX(Z1, Z5)
	MINMIX(Z2, Z6)
	MINMIX(Z3, Z7)
	ADDQ $8, SI
	DECQ CX
	JNZ loop
	VMOVDQU64 Z4, 0(DI)
	VMOVDQU64 Z5, 64(DI)
	VMOVDQU64 Z6, 128(DI)
	VMOVDQU64 Z7, 192(DI)
	VZEROUPPER
	RET
