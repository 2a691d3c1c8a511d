package tokenize

import (
	"bufio"
	"os"
	"testing"
)

// TestStemVocabulary stems every word of the Snowball French reference
// vocabulary (testdata/snowball-french/voc.txt, 21,655 words) and compares it
// with the reference output line by line. One wrong stem fails the test.
func TestStemVocabulary(t *testing.T) {
	words := readLines(t, "testdata/snowball-french/voc.txt")
	stems := readLines(t, "testdata/snowball-french/output.txt")
	if len(words) != 21655 || len(stems) != len(words) {
		t.Fatalf("reference files: %d words, %d stems; want 21655 of each", len(words), len(stems))
	}
	wrong := 0
	for i, w := range words {
		if got := Stem(w); got != stems[i] {
			wrong++
			if wrong <= 30 {
				t.Errorf("line %d: Stem(%q) = %q, want %q", i+1, w, got, stems[i])
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%d of %d words stem differently from the reference", wrong, len(words))
	}
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}
