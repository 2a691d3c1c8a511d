package minhash

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seeds() *[Len]uint64 {
	var s [Len]uint64
	x := uint64(0x9E3779B97F4A7C15)
	for i := range s {
		x += 0x9E3779B97F4A7C15
		s[i] = Mix(x)
	}
	return &s
}

// Signature gives what the portable loop gives, for sets of every size
// from one member to a few hundred, repeats and extreme values included.
func TestSignatureMatchesLoop(t *testing.T) {
	if !useAVX512 {
		t.Log("no AVX-512 loop here (not amd64, purego, or no AVX-512 F and DQ): Signature is the portable loop itself")
	}
	s := seeds()
	r := rand.New(rand.NewPCG(3, 5))
	for n := 1; n <= 300; n++ {
		set := make([]uint64, n)
		for i := range set {
			switch r.IntN(10) {
			case 0:
				set[i] = 0
			case 1:
				set[i] = ^uint64(0)
			case 2:
				set[i] = set[r.IntN(i+1)]
			default:
				set[i] = r.Uint64()
			}
		}
		require.Equal(t, signatureGo(set, s), Signature(set, s), "%d members", n)
	}
	var ones [Len]uint64
	for k := range ones {
		ones[k] = ^uint64(0)
	}
	assert.Equal(t, ones, Signature(nil, s))
}

// BenchmarkSignature signs sets of 25 members, a long answer's shingles.
func BenchmarkSignature(b *testing.B) {
	s := seeds()
	r := rand.New(rand.NewPCG(1, 2))
	sets := make([][]uint64, 1000)
	for i := range sets {
		for range 25 {
			sets[i] = append(sets[i], r.Uint64())
		}
	}
	for _, impl := range []struct {
		name string
		sign func([]uint64, *[Len]uint64) [Len]uint64
	}{{"Signature", Signature}, {"loop", signatureGo}} {
		b.Run(impl.name, func(b *testing.B) {
			for b.Loop() {
				for _, set := range sets {
					impl.sign(set, s)
				}
			}
		})
	}
}

// FuzzSignature holds Signature to the portable loop on sets made of
// arbitrary bytes.
func FuzzSignature(f *testing.F) {
	f.Add([]byte("a set of eight-byte members, any bytes at all"))
	f.Fuzz(func(t *testing.T, b []byte) {
		set := make([]uint64, 0, len(b)/8)
		for i := 0; i+8 <= len(b); i += 8 {
			var w uint64
			for j := 0; j < 8; j++ {
				w |= uint64(b[i+j]) << (8 * j)
			}
			set = append(set, w)
		}
		s := seeds()
		if got, want := Signature(set, s), signatureGo(set, s); got != want {
			t.Fatalf("%d members: %x, want %x", len(set), got, want)
		}
	})
}
