package jsonenc

import (
	"encoding/json"
	"math"
	"testing"

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

func FuzzString(f *testing.F) {
	f.Add("L’État <b>&</b> \u2028 \xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(String(nil, s)))
	})
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
