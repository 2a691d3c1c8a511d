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

// TestPageNumber: the page's numbers are the report's rounded once, to
// the decimals the page shows, and read back exactly as the rounded value.
func TestPageNumber(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	values := []float64{0, 1, 0.5, 4e-7, 6e-7, 0.0000015, 0.00015, 0.0005, 0.358564298415, 0.000266912517, 2.5e-5, 1234.5678905, -0.125, -3e-6,
		math.Nextafter(4096, 0), 4095.9999996}
	for i := 0; i < 100000; i++ {
		values = append(values, math.Round(rng.Float64()*1e12)/1e12, math.Round(rng.Float64()*rng.Float64()*1e12)/1e12,
			-math.Round(rng.Float64()*1e12)/1e12, rng.Float64()*4096)
	}
	for _, places := range []int{3, 4, 6} {
		unit := math.Pow(10, float64(places))
		for _, f := range values {
			got := string(pageNumber(nil, f, places))
			back, err := strconv.ParseFloat(got, 64)
			if err != nil {
				t.Fatalf("pageNumber(%v, %d) = %q: %v", f, places, got, err)
			}
			if want := math.Round(f*unit) / unit; back != want || math.Abs(back-f) > 0.5/unit+1e-12 {
				t.Fatalf("pageNumber(%v, %d) = %q, want %v", f, places, got, want)
			}
		}
	}
	for _, c := range []struct {
		f      float64
		places int
		want   string
	}{{0.358564298415, 6, "0.358564"}, {0.358564298415, 3, "0.359"}, {0.358564298415, 4, "0.3586"}, {0.000025, 6, "0.000025"},
		{0.000025, 4, "0"}, {0.00025, 3, "0"}, {0.0005, 3, "0.001"}, {4e-7, 6, "0"}, {-0.25, 3, "-0.25"}, {2, 4, "2"},
		{1234.5678905, 6, "1234.567891"}, {1234.5678905, 3, "1234.568"}, {-4e-7, 6, "0"}, {5000.5, 3, "5000.5"}} {
		if got := string(pageNumber(nil, c.f, c.places)); got != c.want {
			t.Errorf("pageNumber(%v, %d) = %q, want %q", c.f, c.places, got, c.want)
		}
	}
}

// TestFormatFloatMatchesStrconv holds assignments.csv's numbers to
// strconv's shortest 'f' form, which they had before the fast path.
func TestFormatFloatMatchesStrconv(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1e-6, math.Nextafter(1e-6, 0), 4096, math.Nextafter(4096, 0), 1e21, 1e-300,
		0.5, -0.25, 0.358564298415, 0.000000123456, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64}
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 200000; i++ {
		values = append(values,
			math.Round(rng.Float64()*1e12)/1e12,
			math.Round(rng.Float64()*rng.Float64()*1e12)/1e12,
			-math.Round(rng.Float64()*1e12)/1e12,
			math.Float64frombits(rng.Uint64()&^(0x7ff<<52)|rng.Uint64N(0x7fe)<<52))
	}
	for _, f := range values {
		if got, want := string(appendFloat(nil, f)), strconv.FormatFloat(f, 'f', -1, 64); got != want {
			t.Fatalf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
}
