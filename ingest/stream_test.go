package ingest

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
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
	// The second text's first non-UTF-8 byte comes after thousands of
	// chunks were parsed and let go: the text is read again from the
	// compressed bytes.
	for _, text := range []string{
		"id,text\na1,L'État et les impôts\na2,Écologie\n",
		"id,text\n" + strings.Repeat("a,une contribution\n", 2000) + "b,Écologie\n",
	} {
		latin, err := charmap.Windows1252.NewEncoder().String(text)
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

// TestStreamHoldsFewChunks checks that at most streamAhead inflated
// chunks wait to be parsed, that a chunk read is let go, and that the
// text read is the text inflated.
func TestStreamHoldsFewChunks(t *testing.T) {
	withChunk(t, 64)
	text := strings.Repeat("id,une contribution de plusieurs mots\n", 3000)
	zr, err := gzip.NewReader(bytes.NewReader(gzipped(t, []byte(text))))
	require.NoError(t, err)
	s := &chunkStream{valid: true}
	s.more = sync.NewCond(&s.mu)
	go s.fill(zr, 1<<20)
	waiting := func() (n int, done bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.chunks) - s.next, s.done
	}
	deadline := time.Now().Add(10 * time.Second)
	for n, _ := waiting(); n < streamAhead; n, _ = waiting() {
		require.True(t, time.Now().Before(deadline), "the stream fills up to %d chunks, then waits", streamAhead)
		time.Sleep(time.Millisecond)
	}
	// Unread, the stream stays full, well short of the text's 1,800 chunks.
	time.Sleep(50 * time.Millisecond)
	n, done := waiting()
	assert.Equal(t, streamAhead, n, "chunks waiting")
	assert.False(t, done, "the stream waits for the parse")
	var got bytes.Buffer
	_, err = got.ReadFrom(s)
	require.NoError(t, err)
	assert.Equal(t, text, got.String())
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, c := range s.chunks {
		assert.Nil(t, c, "chunk %d was read and let go", k)
	}
}
