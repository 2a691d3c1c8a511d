package synthesis

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/limpide/limpide"
)

// BenchmarkLightNormalize normalises the texts of the repository's Grand
// Débat sample, as the duplicate detection does each text.
func BenchmarkLightNormalize(b *testing.B) {
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	size := 0
	for _, r := range rows[1:] {
		texts = append(texts, r[1])
		size += len(r[1])
	}
	b.SetBytes(int64(size))
	var buf []byte
	for b.Loop() {
		for _, t := range texts {
			buf = appendLightNormalize(buf[:0], t)
		}
	}
}

// FuzzLightNormalize holds the light normalisation to referenceNormalize
// on any bytes, appended after other bytes.
func FuzzLightNormalize(f *testing.F) {
	for _, s := range []string{"", "Oui, MERCI !", "L’État doit-il payer 1 000 € ?", "ÀÉÎÕÜ×÷ßÿ àéîõü", "\xc3", "\xc3\x28 a\xc3", "ȺȾ Ⱥ-Ⱥ", "𐐀𐐀 x", "bad \xff byte Ωmega"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		want := referenceNormalize(text)
		if got := string(appendLightNormalize(nil, text)); got != want {
			t.Fatalf("%q: %q, want %q", text, got, want)
		}
		if got := string(appendLightNormalize([]byte("prefix"), text)); got != "prefix"+want {
			t.Fatalf("%q after a prefix: %q, want %q", text, got, "prefix"+want)
		}
	})
}

// TestLightNormalizeLatin1 normalises every character of Latin-1 and of
// the next blocks, alone and between words.
func TestLightNormalizeLatin1(t *testing.T) {
	for r := rune(0); r < 0x2D00; r++ {
		for _, text := range []string{string(r), "a" + string(r) + "b", "A " + string(r) + string(r) + " B"} {
			if got, want := lightNormalize(text), referenceNormalize(text); got != want {
				t.Fatalf("%U in %q: %q, want %q", r, text, got, want)
			}
		}
	}
}
