package jsonenc

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "<script>&</script>", "tab\tline\nreturn\r",
		"\x00\x1f control \b\f\v", "L’État é 🙂", "sep\u2028\u2029", "bad \xff byte", "\xe2\x80", "é\xffé"} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(String(nil, s)), "%q", s)
	}
}

// String tests eight bytes at a time: every byte to escape or decode is
// found at every place in and across those words, alone and after another
// (whose borrow could hide it).
func TestStringEveryPlace(t *testing.T) {
	specials := []string{"\"", "\\", "<", ">", "&", "\x00", "\x1f", "\x7f", "é", "\u2028", "\xff", "\xc3", "!", "=", "~"}
	for _, a := range specials {
		for _, b := range append(specials, "") {
			for p := 0; p <= 19; p++ {
				s := strings.Repeat("x", p) + a + b + strings.Repeat("y", 19-p)
				want, err := json.Marshal(s)
				require.NoError(t, err)
				require.Equal(t, string(want), string(String(nil, s)), "%q", s)
			}
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("L’État <b>&</b> \u2028 \xff")
	f.Add("déjà 🙂")
	f.Add("\xed\xa0\x80 \xf0\x9f")
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(String(nil, s)))
		got, bmp := StringBMP(nil, s)
		assert.Equal(t, string(want), string(got))
		assert.Equal(t, isBMP(s), bmp, "%q", s)
	})
}

// isBMP reports whether s is valid UTF-8 without a character beyond
// U+FFFF, rune by rune.
func isBMP(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r > 0xFFFF {
			return false
		}
	}
	return true
}

func TestStringBMP(t *testing.T) {
	for s, want := range map[string]bool{
		"":                       true,
		"plain":                  true,
		"L’État « réforme » … Œ": true,
		"\ufffd":                 true, // a real U+FFFD is valid
		"smile 🙂":                false,
		"cut \xc3":               false,
		"surrogate \xed\xa0\x80": false,
		"overlong \xc0\xaf":      false,
	} {
		_, got := StringBMP(nil, s)
		assert.Equal(t, want, got, "%q", s)
	}
}

func TestFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.5, 1e-6, 9.99e-7, 1e-7, -3.2e-9, 1e20, 1e21, 1.5e300, 0.123456789012,
		math.SmallestNonzeroFloat64, math.MaxFloat64, 1.0 / 3, 42, -0.000001} {
		want, err := json.Marshal(f)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(Float(nil, f)), "%v", f)
	}
}

func TestStringMapMatchesEncodingJSON(t *testing.T) {
	for _, m := range []map[string]string{nil, {}, {"b": "<&>", "a": "", "zip": "75001", "é": "\u2028"}} {
		want, err := json.Marshal(m)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(StringMap(nil, m)))
	}
}

// TestFloatRoundedMatchesEncodingJSON checks the fast path of Float, the
// values the report rounds to twelve decimals, against encoding/json on
// random values of every magnitude it takes, on both sides of its bounds,
// and on values not rounded at all.
func TestFloatRoundedMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	check := func(f float64) {
		t.Helper()
		want, err := json.Marshal(f)
		require.NoError(t, err)
		if got := string(Float(nil, f)); got != string(want) {
			t.Fatalf("Float(%v) = %s, want %s", f, got, want)
		}
	}
	for _, f := range []float64{1e-6, 0.000001000001, 4095.999999999999, 4096, 4096.5, 1e-12, 0.1, 0.7, 1, 2, 100} {
		check(f)
		check(-f)
	}
	for range 200000 {
		scale := math.Pow(10, float64(rng.IntN(12))-7)
		x := rng.Float64() * scale
		check(x)
		check(-x)
		r := math.Round(x*1e12) / 1e12
		check(r)
		check(-r)
	}
}

func FuzzFloat(f *testing.F) {
	f.Add(0.239976504951)
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return
		}
		for _, v := range []float64{x, math.Round(x*1e12) / 1e12} {
			want, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(Float(nil, v)), "%v", v)
		}
	})
}

// BenchmarkString encodes the texts of the repository's Grand Débat sample.
func BenchmarkString(b *testing.B) {
	f, err := os.Open("../../testdata/granddebat_sample.csv")
	require.NoError(b, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(b, err)
	var texts []string
	size := 0
	for _, row := range rows[1:] {
		for _, field := range row {
			texts = append(texts, field)
			size += len(field)
		}
	}
	b.SetBytes(int64(size))
	var buf []byte
	for b.Loop() {
		for _, s := range texts {
			buf = String(buf[:0], s)
		}
	}
}

// BenchmarkFloat encodes similarities as the report rounds them.
func BenchmarkFloat(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 5))
	values := make([]float64, 4096)
	for i := range values {
		values[i] = math.Round(rng.Float64()*rng.Float64()*1e12) / 1e12
	}
	var buf []byte
	for b.Loop() {
		for _, v := range values {
			buf = Float(buf[:0], v)
		}
	}
}

// TestInt compares Int with strconv.AppendInt around every boundary of
// its digit-by-digit path, and beyond.
func TestInt(t *testing.T) {
	check := func(n int) {
		if got, want := string(Int([]byte("x"), n)), "x"+strconv.Itoa(n); got != want {
			t.Fatalf("Int(%d) = %q, want %q", n, got, want)
		}
	}
	for n := -20; n <= 20000; n++ {
		check(n)
	}
	for _, n := range []int{math.MaxInt, math.MinInt, 1 << 31, -(1 << 31), 99999, 100000} {
		check(n)
	}
}
