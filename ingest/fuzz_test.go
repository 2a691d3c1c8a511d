package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"os"
	"reflect"
	"testing"
	"unicode/utf8"
)

// fuzzRead reads data as the given file name and checks what Read
// promises whatever the bytes: no panic; an error, or every row accounted
// for as contributions, rejects or skips; ids not empty and unique; texts
// valid UTF-8.
func fuzzRead(t *testing.T, data []byte, name string) {
	res, err := Read(bytes.NewReader(data), name, Config{MaxInputBytes: 1 << 20})
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("error of type %T, want *ingest.Error: %v", err, err)
		}
		return
	}
	skipped := 0
	for _, n := range res.Skipped {
		skipped += n
	}
	if got := len(res.Contributions) + len(res.Rejects) + skipped; got != res.Rows {
		t.Fatalf("%d rows read, but %d contributions + %d rejects + %d skipped", res.Rows, len(res.Contributions), len(res.Rejects), skipped)
	}
	seen := map[string]bool{}
	for _, c := range res.Contributions {
		if c.ID == "" || seen[c.ID] {
			t.Fatalf("empty or repeated id %q", c.ID)
		}
		seen[c.ID] = true
		if !utf8.ValidString(c.Text) {
			t.Fatalf("contribution %q: invalid UTF-8", c.ID)
		}
	}
	for _, r := range res.Rejects {
		if r.Line < 1 || r.EndLine < r.Line || r.Reason == "" {
			t.Fatalf("reject without a place or a reason: %+v", r)
		}
	}
}

func seed(f *testing.F, files ...string) {
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzCSV(f *testing.F) {
	seed(f, "testdata/broken.csv", "testdata/decidim_proposals.csv", "testdata/sample.csv.gz")
	f.Add([]byte("id;text\r\n1;\"a\"\"b\"\r\n2;x\x00y\r\n"))
	f.Add([]byte("\xef\xbb\xbfid,text\n1,caf\xe9\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, "fuzz.csv") })
}

func FuzzJSON(f *testing.F) {
	seed(f, "testdata/decidim_proposals.json", "testdata/consul_investments.json")
	f.Add([]byte(`[{"id":"1","text":"a"},{"id":2,"text":{"fr":"b"}},3,null]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, "fuzz.json") })
}

func FuzzJSONL(f *testing.F) {
	seed(f, "testdata/answers.jsonl")
	f.Add([]byte("{\"id\":\"1\",\"text\":\"a\"}\n[1]\n{\"id\":\"1\",\"text\":\"b\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, "fuzz.jsonl") })
}

// FuzzCSVStream checks that a gzip CSV read as it is inflated, in small
// chunks, gives what the same bytes read whole give, error or result.
func FuzzCSVStream(f *testing.F) {
	for _, name := range []string{"testdata/broken.csv", "testdata/decidim_proposals.csv", "testdata/capcollectif_latin1.csv"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, 7)
	}
	f.Add([]byte("\xef\xbb\xbfid;text\r\n1;\"L’État\r\nsuite\"\r\n2;é\xe9\r\n"), 3)
	// A header the parse stops at, before text that is not UTF-8.
	f.Add([]byte("id,\"te\"xt\n1,\xe9t\xe9\n2,b\n"), 2)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		cfg := Config{MaxInputBytes: 1 << 20}
		want, wantErr := Read(bytes.NewReader(data), "fuzz.csv.gz", cfg)
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(data)
		w.Close()
		old := streamChunk
		streamChunk = 1 + abs(chunk)%64
		defer func() { streamChunk = old }()
		got, gotErr := Read(bytes.NewReader(gz.Bytes()), "fuzz.csv.gz", cfg)
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Fatalf("whole: %v; stream: %v", wantErr, gotErr)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("whole and stream differ:\n%+v\n%+v", want, got)
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// FuzzRecordReader holds recordReader to encoding/csv's Reader (with
// FieldsPerRecord -1, as the package used it): the same records, the same
// errors with the same lines and columns, the same line for each record's
// first field, whatever the bytes and the delimiter.
func FuzzRecordReader(f *testing.F) {
	seed(f, "testdata/broken.csv", "testdata/decidim_proposals.csv")
	f.Add([]byte("id;text\r\n1;\"a\"\"b\"\r\n2;x\x00y\r\n"))
	f.Add([]byte("a,\"b\nc\"\n\n\"d\"x,e\n\"unterminated\nf"))
	f.Add([]byte("a,b\r\n\"q\"\r\nc\rd,\"\"\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, comma := range []rune{',', ';', '\t', '§', '"'} {
			want := csv.NewReader(bytes.NewReader(data))
			want.Comma = comma
			want.FieldsPerRecord = -1
			want.ReuseRecord = true
			got := newRecordReader(bytes.NewReader(data), comma)
			for n := 0; ; n++ {
				w, werr := want.Read()
				g, gerr := got.Read()
				if !reflect.DeepEqual(w, g) && (len(w) > 0 || len(g) > 0) {
					t.Fatalf("comma %q, record %d: %q, want %q", comma, n, g, w)
				}
				if !reflect.DeepEqual(werr, gerr) {
					t.Fatalf("comma %q, record %d: error %v, want %v", comma, n, gerr, werr)
				}
				if werr != nil && !errors.As(werr, new(*csv.ParseError)) {
					break // io.EOF, or a delimiter encoding/csv refuses
				}
				if werr == nil {
					if line, _ := want.FieldPos(0); got.Line() != line {
						t.Fatalf("comma %q, record %d: line %d, want %d", comma, n, got.Line(), line)
					}
				}
			}
		}
	})
}
