//go:build amd64 && !purego

// rowAVX, the loop of Scores in AVX: see centroids.go for what it
// computes. Each score is a sum over the row's terms in order, one VMULPD
// (or VMULSD) then one VADDPD (VADDSD) per term: the operations, their
// order and the order of their operands (weight times value, then
// product plus sum, which decides whose NaN a NaN result carries) are
// those of floats.AddScaled, four scores to a register.
//
// Registers: DI scores, SI ct, R8 k, R9 ind, R10 data, R11 n, R12 k·8
// (a term's stride in ct), BX the first score of the current block, CX
// the term, DX the address of the block's weights for that term, Y15
// the term's value in the row, Y14 a product, Y0-Y11 the sums.
//
// The scores go in blocks: 48 at a time in 12 registers while 48 are
// left, then 16 in 4, then 4 in 1, then one at a time.

#include "textflag.h"

// TERM points DX at the weights, from score BX on, of the row's term CX
// and puts the term's value in the row in Y15.
#define TERM \
	MOVLQSX (R9)(CX*4), DX; \
	IMULQ   R12, DX; \
	ADDQ    SI, DX; \
	LEAQ    (DX)(BX*8), DX; \
	VBROADCASTSD (R10)(CX*8), Y15

// MULADD adds the four weights at off(DX) times Y15 to the sums in acc:
// weight times value, then product plus sum, as AddScaled does.
#define MULADD(off, acc) \
	VMOVUPD off(DX), Y14; \
	VMULPD  Y15, Y14, Y14; \
	VADDPD  acc, Y14, acc

// ZEROn, SUMn and STOREn zero, add every term to, and store the sums
// of a block of n registers.
#define ZERO12 \
	VXORPD Y0, Y0, Y0; \
	VXORPD Y1, Y1, Y1; \
	VXORPD Y2, Y2, Y2; \
	VXORPD Y3, Y3, Y3; \
	VXORPD Y4, Y4, Y4; \
	VXORPD Y5, Y5, Y5; \
	VXORPD Y6, Y6, Y6; \
	VXORPD Y7, Y7, Y7; \
	VXORPD Y8, Y8, Y8; \
	VXORPD Y9, Y9, Y9; \
	VXORPD Y10, Y10, Y10; \
	VXORPD Y11, Y11, Y11

#define SUM12 \
	MULADD(0, Y0); \
	MULADD(32, Y1); \
	MULADD(64, Y2); \
	MULADD(96, Y3); \
	MULADD(128, Y4); \
	MULADD(160, Y5); \
	MULADD(192, Y6); \
	MULADD(224, Y7); \
	MULADD(256, Y8); \
	MULADD(288, Y9); \
	MULADD(320, Y10); \
	MULADD(352, Y11)

#define STORE12 \
	VMOVUPD Y0, 0(DX); \
	VMOVUPD Y1, 32(DX); \
	VMOVUPD Y2, 64(DX); \
	VMOVUPD Y3, 96(DX); \
	VMOVUPD Y4, 128(DX); \
	VMOVUPD Y5, 160(DX); \
	VMOVUPD Y6, 192(DX); \
	VMOVUPD Y7, 224(DX); \
	VMOVUPD Y8, 256(DX); \
	VMOVUPD Y9, 288(DX); \
	VMOVUPD Y10, 320(DX); \
	VMOVUPD Y11, 352(DX)

#define ZERO4 \
	VXORPD Y0, Y0, Y0; \
	VXORPD Y1, Y1, Y1; \
	VXORPD Y2, Y2, Y2; \
	VXORPD Y3, Y3, Y3

#define SUM4 \
	MULADD(0, Y0); \
	MULADD(32, Y1); \
	MULADD(64, Y2); \
	MULADD(96, Y3)

#define STORE4 \
	VMOVUPD Y0, 0(DX); \
	VMOVUPD Y1, 32(DX); \
	VMOVUPD Y2, 64(DX); \
	VMOVUPD Y3, 96(DX)

#define ZERO1 \
	VXORPD Y0, Y0, Y0

#define SUM1 \
	MULADD(0, Y0)

#define STORE1 \
	VMOVUPD Y0, 0(DX)

// func rowAVX(scores, ct *float64, k int, ind *int32, data *float64, n int)
TEXT ·rowAVX(SB), NOSPLIT, $0-48
	MOVQ scores+0(FP), DI
	MOVQ ct+8(FP), SI
	MOVQ k+16(FP), R8
	MOVQ ind+24(FP), R9
	MOVQ data+32(FP), R10
	MOVQ n+40(FP), R11
	MOVQ R8, R12
	SHLQ $3, R12
	XORQ BX, BX

block48:
	MOVQ R8, AX
	SUBQ BX, AX
	CMPQ AX, $48
	JLT  block16
	ZERO12
	XORQ CX, CX
block48loop:
	CMPQ CX, R11
	JGE  block48store
	TERM
	SUM12
	INCQ CX
	JMP  block48loop
block48store:
	LEAQ (DI)(BX*8), DX
	STORE12
	ADDQ $48, BX
	JMP  block48

block16:
	MOVQ R8, AX
	SUBQ BX, AX
	CMPQ AX, $16
	JLT  block4
	ZERO4
	XORQ CX, CX
block16loop:
	CMPQ CX, R11
	JGE  block16store
	TERM
	SUM4
	INCQ CX
	JMP  block16loop
block16store:
	LEAQ (DI)(BX*8), DX
	STORE4
	ADDQ $16, BX
	JMP  block16

block4:
	MOVQ R8, AX
	SUBQ BX, AX
	CMPQ AX, $4
	JLT  single
	ZERO1
	XORQ CX, CX
block4loop:
	CMPQ CX, R11
	JGE  block4store
	TERM
	SUM1
	INCQ CX
	JMP  block4loop
block4store:
	LEAQ (DI)(BX*8), DX
	STORE1
	ADDQ $4, BX
	JMP  block4

single:
	CMPQ BX, R8
	JGE done
	VXORPD X0, X0, X0
	XORQ CX, CX
singleloop:
	CMPQ CX, R11
	JGE singlestore
	MOVLQSX (R9)(CX*4), DX
	IMULQ R12, DX
	ADDQ SI, DX
	VMOVSD (DX)(BX*8), X1
	VMULSD (R10)(CX*8), X1, X1
	VADDSD X0, X1, X0
	INCQ CX
	JMP singleloop
singlestore:
	VMOVSD X0, (DI)(BX*8)
	INCQ BX
	JMP single

done:
	VZEROUPPER
	RET

// nearestAVX: two passes over the k values (scores, times factor unless
// it is nil): the greatest, four at a time with VMAXPD and one at a time
// for the last k mod 4, then the first value equal to it, four at a time
// with VCMPPD and VMOVMSKPD. A NaN among the values gives -1.
//
// Registers: SI scores, DX factor (0: none), R8 k, R9 k rounded down to
// a multiple of 4, BX the index, Y0 the running maximum, Y3 the lanes
// that met a NaN, X2 the greatest value, Y2 that value four times.

// func nearestAVX(scores, factor *float64, k int) int
TEXT ·nearestAVX(SB), NOSPLIT, $0-32
	MOVQ scores+0(FP), SI
	MOVQ factor+8(FP), DX
	MOVQ k+16(FP), R8
	MOVQ R8, R9
	ANDQ $-4, R9
	MOVQ $0xFFF0000000000000, AX // -Inf
	MOVQ AX, X0
	VMOVDDUP X0, X0
	VINSERTF128 $1, X0, Y0, Y0
	VXORPD Y3, Y3, Y3 // lanes that met a NaN
	XORQ BX, BX

maxblock:
	CMPQ BX, R9
	JGE  maxsingle
	VMOVUPD (SI)(BX*8), Y1
	TESTQ DX, DX
	JZ   maxblocknof
	VMULPD (DX)(BX*8), Y1, Y1
maxblocknof:
	VCMPPD $3, Y1, Y1, Y4 // unordered: NaN
	VORPD Y4, Y3, Y3
	VMAXPD Y1, Y0, Y0
	ADDQ $4, BX
	JMP  maxblock

maxsingle:
	VMOVMSKPD Y3, AX
	TESTQ AX, AX
	JNZ  notfound
	// The four lanes' greatest, in X0.
	VEXTRACTF128 $1, Y0, X1
	VMAXPD X1, X0, X0
	VPERMILPD $1, X0, X1
	VMAXSD X1, X0, X0
maxsingleloop:
	CMPQ BX, R8
	JGE  find
	VMOVSD (SI)(BX*8), X1
	TESTQ DX, DX
	JZ   maxsinglenof
	VMULSD (DX)(BX*8), X1, X1
maxsinglenof:
	VUCOMISD X1, X1
	JP   notfound
	VMAXSD X1, X0, X0
	INCQ BX
	JMP  maxsingleloop

find:
	VMOVDDUP X0, X2
	VINSERTF128 $1, X2, Y2, Y2
	XORQ BX, BX
findblock:
	CMPQ BX, R9
	JGE  findsingle
	VMOVUPD (SI)(BX*8), Y1
	TESTQ DX, DX
	JZ   findblocknof
	VMULPD (DX)(BX*8), Y1, Y1
findblocknof:
	VCMPPD $0, Y2, Y1, Y1 // equal, ordered
	VMOVMSKPD Y1, AX
	TESTQ AX, AX
	JNZ  foundblock
	ADDQ $4, BX
	JMP  findblock
foundblock:
	BSFQ AX, AX
	ADDQ AX, BX
	MOVQ BX, ret+24(FP)
	VZEROUPPER
	RET

findsingle:
	CMPQ BX, R8
	JGE  notfound
	VMOVSD (SI)(BX*8), X1
	TESTQ DX, DX
	JZ   findsinglenof
	VMULSD (DX)(BX*8), X1, X1
findsinglenof:
	VUCOMISD X2, X1
	JNE  findnext
	JP   findnext
	MOVQ BX, ret+24(FP)
	VZEROUPPER
	RET
findnext:
	INCQ BX
	JMP  findsingle

notfound:
	MOVQ $-1, ret+24(FP)
	VZEROUPPER
	RET

// rowAVX512 is rowAVX with eight scores to a Z register: up to 64
// scores at once, the last register of a block of fewer masked (K1) to
// the scores left, so that any k below 64 takes one pass over the row
// (51 themes: seven registers, against rowAVX's 48 and three single
// passes). The operations and their operand order are rowAVX's, lane by
// lane; a masked lane loads zero and is never stored.
//
// Registers as in rowAVX but Z31 the term's value, Z30 a product, Z0-Z7
// the sums, K1 the mask of the last register of a block.

// TERMZ points DX at the weights, from score BX on, of the row's term CX
// and puts the term's value in the row in Z31.
#define TERMZ \
	MOVLQSX (R9)(CX*4), DX; \
	IMULQ   R12, DX; \
	ADDQ    SI, DX; \
	LEAQ    (DX)(BX*8), DX; \
	VBROADCASTSD (R10)(CX*8), Z31

// MULADDZ and MULADDZM add the eight weights at off(DX) (those under K1)
// times Z31 to the sums in acc.
#define MULADDZ(off, acc) \
	VMOVUPD off(DX), Z30; \
	VMULPD  Z31, Z30, Z30; \
	VADDPD  acc, Z30, acc

#define MULADDZM(off, acc) \
	VMOVUPD.Z off(DX), K1, Z30; \
	VMULPD  Z31, Z30, Z30; \
	VADDPD  acc, Z30, acc
#define ZEROZ1 \
	VXORPD Z0, Z0, Z0
#define SUMZ1 \
	MULADDZ(0, Z0)
#define STOREZ1 \
	VMOVUPD Z0, 0(DX)
#define SUMZM1 \
	MULADDZM(0, Z0)
#define STOREZM1 \
	VMOVUPD Z0, K1, 0(DX)
#define ZEROZ2 \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1
#define SUMZ2 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1)
#define STOREZ2 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX)
#define SUMZM2 \
	MULADDZ(0, Z0); \
	MULADDZM(64, Z1)
#define STOREZM2 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, K1, 64(DX)
#define ZEROZ3 \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1; \
	VXORPD Z2, Z2, Z2
#define SUMZ3 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2)
#define STOREZ3 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX)
#define SUMZM3 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZM(128, Z2)
#define STOREZM3 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, K1, 128(DX)
#define ZEROZ4 \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1; \
	VXORPD Z2, Z2, Z2; \
	VXORPD Z3, Z3, Z3
#define SUMZ4 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3)
#define STOREZ4 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX)
#define SUMZM4 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZM(192, Z3)
#define STOREZM4 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, K1, 192(DX)
#define ZEROZ5 \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1; \
	VXORPD Z2, Z2, Z2; \
	VXORPD Z3, Z3, Z3; \
	VXORPD Z4, Z4, Z4
#define SUMZ5 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZ(256, Z4)
#define STOREZ5 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, 256(DX)
#define SUMZM5 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZM(256, Z4)
#define STOREZM5 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, K1, 256(DX)
#define ZEROZ6 \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1; \
	VXORPD Z2, Z2, Z2; \
	VXORPD Z3, Z3, Z3; \
	VXORPD Z4, Z4, Z4; \
	VXORPD Z5, Z5, Z5
#define SUMZ6 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZ(256, Z4); \
	MULADDZ(320, Z5)
#define STOREZ6 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, 256(DX); \
	VMOVUPD Z5, 320(DX)
#define SUMZM6 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZ(256, Z4); \
	MULADDZM(320, Z5)
#define STOREZM6 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, 256(DX); \
	VMOVUPD Z5, K1, 320(DX)
#define ZEROZ7 \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1; \
	VXORPD Z2, Z2, Z2; \
	VXORPD Z3, Z3, Z3; \
	VXORPD Z4, Z4, Z4; \
	VXORPD Z5, Z5, Z5; \
	VXORPD Z6, Z6, Z6
#define SUMZ7 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZ(256, Z4); \
	MULADDZ(320, Z5); \
	MULADDZ(384, Z6)
#define STOREZ7 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, 256(DX); \
	VMOVUPD Z5, 320(DX); \
	VMOVUPD Z6, 384(DX)
#define SUMZM7 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZ(256, Z4); \
	MULADDZ(320, Z5); \
	MULADDZM(384, Z6)
#define STOREZM7 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, 256(DX); \
	VMOVUPD Z5, 320(DX); \
	VMOVUPD Z6, K1, 384(DX)
#define ZEROZ8 \
	VXORPD Z0, Z0, Z0; \
	VXORPD Z1, Z1, Z1; \
	VXORPD Z2, Z2, Z2; \
	VXORPD Z3, Z3, Z3; \
	VXORPD Z4, Z4, Z4; \
	VXORPD Z5, Z5, Z5; \
	VXORPD Z6, Z6, Z6; \
	VXORPD Z7, Z7, Z7
#define SUMZ8 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZ(256, Z4); \
	MULADDZ(320, Z5); \
	MULADDZ(384, Z6); \
	MULADDZ(448, Z7)
#define STOREZ8 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, 256(DX); \
	VMOVUPD Z5, 320(DX); \
	VMOVUPD Z6, 384(DX); \
	VMOVUPD Z7, 448(DX)
#define SUMZM8 \
	MULADDZ(0, Z0); \
	MULADDZ(64, Z1); \
	MULADDZ(128, Z2); \
	MULADDZ(192, Z3); \
	MULADDZ(256, Z4); \
	MULADDZ(320, Z5); \
	MULADDZ(384, Z6); \
	MULADDZM(448, Z7)
#define STOREZM8 \
	VMOVUPD Z0, 0(DX); \
	VMOVUPD Z1, 64(DX); \
	VMOVUPD Z2, 128(DX); \
	VMOVUPD Z3, 192(DX); \
	VMOVUPD Z4, 256(DX); \
	VMOVUPD Z5, 320(DX); \
	VMOVUPD Z6, 384(DX); \
	VMOVUPD Z7, K1, 448(DX)
// func rowAVX512(scores, ct *float64, k int, ind *int32, data *float64, n int)
TEXT ·rowAVX512(SB), NOSPLIT, $0-48
	MOVQ scores+0(FP), DI
	MOVQ ct+8(FP), SI
	MOVQ k+16(FP), R8
	MOVQ ind+24(FP), R9
	MOVQ data+32(FP), R10
	MOVQ n+40(FP), R11
	MOVQ R8, R12
	SHLQ $3, R12
	XORQ BX, BX

zblock64:
	MOVQ R8, AX
	SUBQ BX, AX
	CMPQ AX, $64
	JLT  ztail
	ZEROZ8
	XORQ CX, CX
zblock64loop:
	CMPQ CX, R11
	JGE  zblock64store
	TERMZ
	SUMZ8
	INCQ CX
	JMP  zblock64loop
zblock64store:
	LEAQ (DI)(BX*8), DX
	STOREZ8
	ADDQ $64, BX
	JMP  zblock64

ztail:
	// AX = k − BX scores left, fewer than 64: (AX+7)/8 registers, the
	// last with the (AX−1)%8+1 lanes left.
	TESTQ AX, AX
	JEQ   zdone
	LEAQ  -1(AX), CX
	ANDQ  $7, CX
	INCQ  CX
	MOVQ  $1, DX
	SHLQ  CX, DX
	DECQ  DX
	KMOVB DX, K1
	ADDQ  $7, AX
	SHRQ  $3, AX
	CMPQ AX, $1
	JEQ  ztail1
	CMPQ AX, $2
	JEQ  ztail2
	CMPQ AX, $3
	JEQ  ztail3
	CMPQ AX, $4
	JEQ  ztail4
	CMPQ AX, $5
	JEQ  ztail5
	CMPQ AX, $6
	JEQ  ztail6
	CMPQ AX, $7
	JEQ  ztail7
	CMPQ AX, $8
	JEQ  ztail8
	JMP zdone

ztail1:
	ZEROZ1
	XORQ CX, CX
ztail1loop:
	CMPQ CX, R11
	JGE  ztail1store
	TERMZ
	SUMZM1
	INCQ CX
	JMP  ztail1loop
ztail1store:
	LEAQ (DI)(BX*8), DX
	STOREZM1
	JMP  zdone

ztail2:
	ZEROZ2
	XORQ CX, CX
ztail2loop:
	CMPQ CX, R11
	JGE  ztail2store
	TERMZ
	SUMZM2
	INCQ CX
	JMP  ztail2loop
ztail2store:
	LEAQ (DI)(BX*8), DX
	STOREZM2
	JMP  zdone

ztail3:
	ZEROZ3
	XORQ CX, CX
ztail3loop:
	CMPQ CX, R11
	JGE  ztail3store
	TERMZ
	SUMZM3
	INCQ CX
	JMP  ztail3loop
ztail3store:
	LEAQ (DI)(BX*8), DX
	STOREZM3
	JMP  zdone

ztail4:
	ZEROZ4
	XORQ CX, CX
ztail4loop:
	CMPQ CX, R11
	JGE  ztail4store
	TERMZ
	SUMZM4
	INCQ CX
	JMP  ztail4loop
ztail4store:
	LEAQ (DI)(BX*8), DX
	STOREZM4
	JMP  zdone

ztail5:
	ZEROZ5
	XORQ CX, CX
ztail5loop:
	CMPQ CX, R11
	JGE  ztail5store
	TERMZ
	SUMZM5
	INCQ CX
	JMP  ztail5loop
ztail5store:
	LEAQ (DI)(BX*8), DX
	STOREZM5
	JMP  zdone

ztail6:
	ZEROZ6
	XORQ CX, CX
ztail6loop:
	CMPQ CX, R11
	JGE  ztail6store
	TERMZ
	SUMZM6
	INCQ CX
	JMP  ztail6loop
ztail6store:
	LEAQ (DI)(BX*8), DX
	STOREZM6
	JMP  zdone

ztail7:
	ZEROZ7
	XORQ CX, CX
ztail7loop:
	CMPQ CX, R11
	JGE  ztail7store
	TERMZ
	SUMZM7
	INCQ CX
	JMP  ztail7loop
ztail7store:
	LEAQ (DI)(BX*8), DX
	STOREZM7
	JMP  zdone

ztail8:
	ZEROZ8
	XORQ CX, CX
ztail8loop:
	CMPQ CX, R11
	JGE  ztail8store
	TERMZ
	SUMZM8
	INCQ CX
	JMP  ztail8loop
ztail8store:
	LEAQ (DI)(BX*8), DX
	STOREZM8
	JMP  zdone

zdone:
	VZEROUPPER
	RET

// nearestAVX512 is nearestAVX eight values to a Z register, the last
// register of fewer masked (K1) to the values left: the lanes left out
// hold −Inf for the greatest and are never compared in the search.
//
// Registers: SI scores, DX factor (0: none), R8 k, R9 k rounded down to
// a multiple of 8, BX the index, Z0 the running maximum, Z5 −Inf eight
// times, K3 the lanes that met a NaN, Z2 the greatest value eight times.

// func nearestAVX512(scores, factor *float64, k int) int
TEXT ·nearestAVX512(SB), NOSPLIT, $0-32
	MOVQ scores+0(FP), SI
	MOVQ factor+8(FP), DX
	MOVQ k+16(FP), R8
	MOVQ R8, R9
	ANDQ $-8, R9
	MOVQ $0xFFF0000000000000, AX // -Inf
	VPBROADCASTQ AX, Z5
	VMOVAPD Z5, Z0
	KXORB K3, K3, K3 // lanes that met a NaN
	// K1: the lanes of the last k mod 8 values.
	MOVQ R8, CX
	ANDQ $7, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVB AX, K1
	XORQ BX, BX

zmaxblock:
	CMPQ BX, R9
	JGE  zmaxtail
	VMOVUPD (SI)(BX*8), Z1
	TESTQ DX, DX
	JZ   zmaxblocknof
	VMULPD (DX)(BX*8), Z1, Z1
zmaxblocknof:
	VCMPPD $3, Z1, Z1, K2 // unordered: NaN
	KORB K2, K3, K3
	VMAXPD Z1, Z0, Z0
	ADDQ $8, BX
	JMP  zmaxblock

zmaxtail:
	CMPQ BX, R8
	JGE  zmaxdone
	VMOVAPD Z5, Z1
	VMOVUPD (SI)(BX*8), K1, Z1
	TESTQ DX, DX
	JZ   zmaxtailnof
	VMULPD (DX)(BX*8), Z1, K1, Z1
zmaxtailnof:
	VCMPPD $3, Z1, Z1, K1, K2
	KORB K2, K3, K3
	VMAXPD Z1, Z0, Z0

zmaxdone:
	KORTESTB K3, K3
	JNZ  znotfound
	// The eight lanes' greatest, in X0.
	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPD Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPD X1, X0, X0
	VPERMILPD $1, X0, X1
	VMAXSD X1, X0, X0
	VBROADCASTSD X0, Z2
	XORQ BX, BX

zfindblock:
	CMPQ BX, R9
	JGE  zfindtail
	VMOVUPD (SI)(BX*8), Z1
	TESTQ DX, DX
	JZ   zfindblocknof
	VMULPD (DX)(BX*8), Z1, Z1
zfindblocknof:
	VCMPPD $0, Z2, Z1, K2 // equal, ordered
	KMOVB K2, AX
	TESTQ AX, AX
	JNZ  zfound
	ADDQ $8, BX
	JMP  zfindblock

zfindtail:
	CMPQ BX, R8
	JGE  znotfound
	VMOVUPD.Z (SI)(BX*8), K1, Z1
	TESTQ DX, DX
	JZ   zfindtailnof
	VMULPD.Z (DX)(BX*8), Z1, K1, Z1
zfindtailnof:
	VCMPPD $0, Z2, Z1, K1, K2
	KMOVB K2, AX
	TESTQ AX, AX
	JZ   znotfound

zfound:
	BSFQ AX, AX
	ADDQ AX, BX
	MOVQ BX, ret+24(FP)
	VZEROUPPER
	RET

znotfound:
	MOVQ $-1, ret+24(FP)
	VZEROUPPER
	RET

// func prefetch(p unsafe.Pointer)
TEXT ·prefetch(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	PREFETCHT0 (AX)
	RET

// func prefetch2(p, q unsafe.Pointer)
TEXT ·prefetch2(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ q+8(FP), BX
	PREFETCHT0 (AX)
	PREFETCHT0 (BX)
	RET
