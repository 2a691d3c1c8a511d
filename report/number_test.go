package report

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendNumberMatchesStrconv holds appendNumber to the bytes of
// strconv's shortest 'g' form, which the page's numbers had before: on
// the twelve-decimal values of a report, at the edges of its fast range,
// and on arbitrary float64s.
func TestAppendNumberMatchesStrconv(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1e-4, math.Nextafter(1e-4, 0), 0.0001234, 4096, math.Nextafter(4096, 0),
		1, 0.5, 0.1, 0.000099999999, 0.358564298415, 1e-12, 123456789, -0.25, math.MaxFloat64, math.SmallestNonzeroFloat64}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200000; i++ {
		values = append(values,
			math.Round(rng.Float64()*1e12)/1e12,                                    // a similarity or margin
			math.Round(rng.Float64()*rng.Float64()*1e12)/1e12,                      // a small product
			math.Round(rng.Float64()*5000*1e12)/1e12,                               // around the top of the range
			math.Float64frombits(rng.Uint64()&^(0x7ff<<52)|rng.Uint64N(0x7fe)<<52)) // any finite float64
	}
	for _, f := range values {
		want := strconv.AppendFloat(nil, f, 'g', -1, 64)
		if got := appendNumber(nil, f); string(got) != string(want) {
			t.Fatalf("appendNumber(%v) = %s, want %s", f, got, want)
		}
	}
}
