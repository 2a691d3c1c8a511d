package ingest

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// withChunk sets the size of the chunks a gzip input is inflated in for
// the rest of the test.
func withChunk(t *testing.T, n int) {
	old := streamChunk
	streamChunk = n
	t.Cleanup(func() { streamChunk = old })
}

// streamCSV is an export with what can go wrong at a chunk's edge:
// accented letters, a four-byte emoji, a byte order mark, CRLF, quoted
// fields over several lines, a duplicate id, a row of the wrong width.
const streamCSV = "\ufeffid;text;commune\r\n" +
	"a1;\"L’État doit réduire les impôts 🙂\";Paris\r\n" +
	"a2;\"Première ligne\r\nseconde ligne\";Lyon\r\n" +
	"a1;doublon;Nantes\r\n" +
	"a3;trop;de;champs\r\n" +
	"a4;Écologie et transports en commun;Nîmes\r\n"

// TestStreamMatchesWhole checks that a gzip CSV read as it is inflated,
// in chunks of every small size, gives the result of the same text read
// whole.
func TestStreamMatchesWhole(t *testing.T) {
	cfg := Config{MetaColumns: []string{"commune"}}
	want, err := Read(strings.NewReader(streamCSV), "in.csv.gz", cfg)
	require.NoError(t, err)
	require.Len(t, want.Contributions, 3)
	gz := gzipped(t, []byte(streamCSV))
	for _, n := range []int{1, 2, 3, 4, 5, 7, 16, 64, 1 << 20} {
		withChunk(t, n)
		got, err := Read(bytes.NewReader(gz), "in.csv.gz", cfg)
		require.NoError(t, err, "chunks of %d", n)
		assert.Equal(t, want, got, "chunks of %d", n)
	}
}

// TestStreamSampleFile checks the stream against the whole-file path on
// the repository's gzip sample.
func TestStreamSampleFile(t *testing.T) {
	gz, err := os.ReadFile("testdata/sample.csv.gz")
	require.NoError(t, err)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	require.NoError(t, err)
	var plain bytes.Buffer
	_, err = plain.ReadFrom(zr)
	require.NoError(t, err)
	want, err := Read(bytes.NewReader(plain.Bytes()), "sample.csv.gz", Config{})
	require.NoError(t, err)
	withChunk(t, 100)
	got, err := ReadFile("testdata/sample.csv.gz", Config{})
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// TestStreamNotUTF8 checks that a gzip CSV in Windows-1252 is read again
// whole, wherever its first non-UTF-8 byte falls, and gives what the
// whole-file path gives.
func TestStreamNotUTF8(t *testing.T) {
	latin, err := charmap.Windows1252.NewEncoder().String("id,text\na1,L'État et les impôts\na2,Écologie\n")
	require.NoError(t, err)
	want, err := Read(strings.NewReader(latin), "in.csv.gz", Config{})
	require.NoError(t, err)
	assert.Equal(t, "windows-1252", want.Source["encoding"])
	gz := gzipped(t, []byte(latin))
	for _, n := range []int{1, 3, 8, 1 << 20} {
		withChunk(t, n)
		got, err := Read(bytes.NewReader(gz), "in.csv.gz", Config{})
		require.NoError(t, err)
		assert.Equal(t, want, got, "chunks of %d", n)
	}
}

// TestStreamErrors checks that a truncated gzip stream and an input over
// the limit fail as they do when the file is read whole, even when the
// parse of the first chunks went well.
func TestStreamErrors(t *testing.T) {
	text := "id,text\n" + strings.Repeat("a,une contribution\n", 2000)
	gz := gzipped(t, []byte(text))
	withChunk(t, 64)
	_, err := Read(bytes.NewReader(gz[:len(gz)-10]), "cut.csv.gz", Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "truncated or corrupt")
	assert.Contains(t, err.Error(), "nothing was read")
	_, err = Read(bytes.NewReader(gz), "big.csv.gz", Config{MaxInputBytes: 1000})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "larger than the limit")
	// A header without the id column: the parse stops at once, the error
	// is the parse's.
	_, err = Read(bytes.NewReader(gzipped(t, []byte("ident,text\n1,a\n"))), "h.csv.gz", Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no column "id"`)
}

// TestCompleteRunes checks that a prefix of valid UTF-8, cut anywhere,
// loses at most the three bytes of its last, incomplete sequence.
func TestCompleteRunes(t *testing.T) {
	s := []byte("aé€🙂")
	for n := 0; n <= len(s); n++ {
		k := completeRunes(s[:n])
		assert.True(t, k <= n && n-k < utf8.UTFMax, "%d bytes cut at %d", n, k)
		assert.True(t, utf8.Valid(s[:k]), "%d bytes cut at %d", n, k)
		if utf8.Valid(s[:n]) {
			assert.Equal(t, n, k, "a valid prefix is not cut")
		}
	}
}
