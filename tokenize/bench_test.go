package tokenize

import (
	"sync"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/limpide/limpide/internal/shareddata"
)

// BenchmarkAnalyzeScale measures full analysis (spans, elision, stop words,
// stems through the cache) over the 429,112 texts of the Grand Débat scale
// corpus, on one goroutine. It reports MB/s of input text; run with
// -cpu 1 for the one-core figure.
func BenchmarkAnalyzeScale(b *testing.B) {
	texts, total := scaleTexts(b)
	a := NewAnalyzer(Config{})
	var buf []Token
	for _, t := range texts { // warm the stem cache, as a long run would
		buf = a.AppendTokens(buf[:0], t)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			buf = a.AppendTokens(buf[:0], t)
		}
	}
}

// BenchmarkSplitLowerStem is the floor the full analysis is measured
// against: a bare split on non-letters, lowercasing and a cached Snowball
// stem, with no spans, elision, stop words or Unicode normalisation.
func BenchmarkSplitLowerStem(b *testing.B) {
	texts, total := scaleTexts(b)
	cache := map[string]string{}
	var word []byte
	n := 0
	flush := func() {
		if len(word) == 0 {
			return
		}
		s, ok := cache[string(word)]
		if !ok {
			s = Stem(string(word))
			cache[string(word)] = s
		}
		n += len(s)
		word = word[:0]
	}
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, t := range texts {
			for _, r := range t {
				switch {
				case 'a' <= r && r <= 'z':
					word = append(word, byte(r))
				case 'A' <= r && r <= 'Z':
					word = append(word, byte(r+'a'-'A'))
				case r >= 0xC0 && unicode.IsLetter(r):
					word = utf8.AppendRune(word, unicode.ToLower(r))
				default:
					flush()
				}
			}
			flush()
		}
	}
	_ = n
}

// scaleTexts returns the texts of the scale corpus and their total size in
// bytes, or skips the benchmark when the corpus is absent.
func scaleTexts(b *testing.B) ([]string, int) {
	path, err := shareddata.Path("granddebat_scale.csv.gz")
	if err != nil {
		b.Skip(err)
	}
	cols, err := shareddata.ReadCSV(path, "text")
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, t := range cols[0] {
		total += len(t)
	}
	return cols[0], total
}

// BenchmarkAnalyzeScaleCold analyses the scale corpus as a synthesis
// does: a new Analyzer, its cache empty, the texts in chunks of 4,096
// shared by two goroutines.
func BenchmarkAnalyzeScaleCold(b *testing.B) {
	texts, total := scaleTexts(b)
	b.SetBytes(int64(total))
	for b.Loop() {
		a := NewAnalyzer(Config{})
		var wg sync.WaitGroup
		var next atomic.Int64
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var buf []Token
				for {
					lo := int(next.Add(4096)) - 4096
					if lo >= len(texts) {
						return
					}
					for _, t := range texts[lo:min(lo+4096, len(texts))] {
						buf = a.AppendTokens(buf[:0], t)
					}
				}
			}()
		}
		wg.Wait()
	}
}
