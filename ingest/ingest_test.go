package ingest

import (
	"bytes"
	"compress/gzip"
	"errors"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// accounted checks that every row read became contributions, a reject or
// a skip.
func accounted(t *testing.T, res *Result, perRow int) {
	t.Helper()
	skipped := 0
	for _, n := range res.Skipped {
		skipped += n
	}
	assert.Equal(t, res.Rows*perRow, len(res.Contributions)+len(res.Rejects)+skipped, "every row accounted for")
}

func TestCapCollectif(t *testing.T) {
	res, err := ReadFile("testdata/capcollectif_latin1.csv", Config{Preset: "capcollectif"})
	require.NoError(t, err)
	assert.Equal(t, "windows-1252", res.Source["encoding"], "not UTF-8: read as Windows-1252")
	assert.Equal(t, ";", res.Source["delimiter"])
	assert.Equal(t, 4, res.Rows)
	assert.Equal(t, map[string]int{"trashed": 1, "empty answer": 2}, res.Skipped)
	require.Len(t, res.Contributions, 4)
	c := res.Contributions[0]
	assert.Equal(t, "UHJvcG9zYWw6MQ==/Q162", c.ID)
	assert.Equal(t, "Publier chaque année le détail des dépenses de l'État, ligne par ligne.", c.Text)
	assert.Equal(t, "Q162", c.Meta["question_id"])
	assert.Equal(t, "75011", c.Meta["zip"])
	assert.Contains(t, c.Meta["question"], "l'utilisation des impôts")
	assert.Equal(t, "Une TVA plus faible sur les produits de première nécessité,\nplus forte sur le luxe.", res.Contributions[2].Text)
	assert.Equal(t, "UHJvcG9zYWw6NA==/Q162", res.Contributions[3].ID)
	// Trashed rows, and empty answers, are accounted for in Skipped: each
	// row holds two questions.
	assert.Equal(t, 2*res.Rows, len(res.Contributions)+2*res.Skipped["trashed"]+res.Skipped["empty answer"])

	only, err := ReadFile("testdata/capcollectif_latin1.csv", Config{Preset: "capcollectif", Questions: []string{"Q163"}})
	require.NoError(t, err)
	require.Len(t, only.Contributions, 2)
	assert.Equal(t, "Q163", only.Contributions[0].Meta["question_id"])

	_, err = ReadFile("testdata/capcollectif_latin1.csv", Config{Preset: "capcollectif", Encoding: "utf-8"})
	var ie *Error
	require.True(t, errors.As(err, &ie))
	assert.Contains(t, err.Error(), "invalid UTF-8 byte")
	assert.Contains(t, err.Error(), "line 1")
}

func TestDecidim(t *testing.T) {
	for _, file := range []string{"testdata/decidim_proposals.csv", "testdata/decidim_proposals.json"} {
		t.Run(file, func(t *testing.T) {
			res, err := ReadFile(file, Config{Preset: "decidim"})
			require.NoError(t, err)
			require.Len(t, res.Contributions, 2)
			accounted(t, res, 1)
			c := res.Contributions[0]
			assert.Equal(t, "101", c.ID)
			assert.True(t, strings.HasPrefix(c.Text, "Une piste cyclable rue de la Gare\n\nSécuriser les trajets des écoliers"), c.Text)
			assert.NotContains(t, c.Text, "<")
			assert.Equal(t, "Mobilité", c.Meta["category/name/fr"])
			assert.Equal(t, "12", c.Meta["endorsements/total_count"])
			assert.Equal(t, "title/fr,body/fr", res.Source["html_stripped"])
			assert.Contains(t, res.Contributions[1].Text, "l'ombre")
		})
	}
	res, err := ReadFile("testdata/decidim_proposals.csv", Config{Preset: "decidim"})
	require.NoError(t, err)
	assert.Equal(t, "Une piste cyclable rue de la Gare\n\nSécuriser les trajets des écoliers\u00a0: une piste cyclable séparée.\nMerci !",
		res.Contributions[0].Text, "BOM removed, HTML stripped, entities unescaped")
}

func TestConsul(t *testing.T) {
	res, err := ReadFile("testdata/consul_investments.json", Config{Preset: "consul"})
	require.NoError(t, err)
	require.Len(t, res.Contributions, 2)
	assert.Equal(t, "3001", res.Contributions[0].ID)
	assert.Equal(t, "Rénover le gymnase\n\nLe gymnase du quartier a besoin d'une nouvelle toiture.\n\nLa toiture fuit depuis deux hivers.", res.Contributions[0].Text)
	assert.Equal(t, "Plus de bancs\n\nDes bancs le long du canal.", res.Contributions[1].Text, "the empty summary is left out")
	assert.Equal(t, "Centre", res.Contributions[0].Meta["geozone"])
}

func TestJSONLines(t *testing.T) {
	res, err := ReadFile("testdata/answers.jsonl", Config{MetaColumns: []string{"commune"}})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Rows)
	require.Len(t, res.Contributions, 2)
	require.Len(t, res.Rejects, 1)
	assert.Equal(t, 3, res.Rejects[0].Line)
	assert.Contains(t, res.Rejects[0].Reason, "not a JSON object")
	assert.Equal(t, "Nantes", res.Contributions[1].Meta["commune"])
	accounted(t, res, 1)
}

func TestBrokenCSV(t *testing.T) {
	res, err := ReadFile("testdata/broken.csv", Config{})
	require.NoError(t, err)
	require.Len(t, res.Contributions, 1)
	assert.Equal(t, "Première ligne\nseconde ligne du même champ", res.Contributions[0].Text, "CRLF inside a quoted field becomes LF")
	want := []Reject{
		{Line: 4, EndLine: 4, ID: "b2", Reason: "4 fields, but the header has 2"},
		{Line: 5, EndLine: 5, ID: "", Reason: "empty id"},
		{Line: 6, EndLine: 6, ID: "b1", Reason: "duplicate id, first seen at line 2"},
	}
	require.Len(t, res.Rejects, 4)
	assert.Equal(t, want, res.Rejects[:3])
	assert.Equal(t, 7, res.Rejects[3].Line)
	assert.Contains(t, res.Rejects[3].Reason, "broken CSV")
	assert.Equal(t, 5, res.Rows)
	accounted(t, res, 1)
}

func TestGzipAndDelimiter(t *testing.T) {
	res, err := ReadFile("testdata/sample.csv.gz", Config{})
	require.NoError(t, err)
	assert.Equal(t, ";", res.Source["delimiter"])
	require.Len(t, res.Contributions, 2)
	assert.Equal(t, "Un texte compressé.", res.Contributions[0].Text)

	// Truncated gzip: a clear error, nothing half-read.
	data, err := os.ReadFile("testdata/sample.csv.gz")
	require.NoError(t, err)
	_, err = Read(bytes.NewReader(data[:len(data)-10]), "cut.csv.gz", Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "truncated or corrupt")
}

func TestInputErrors(t *testing.T) {
	tests := []struct {
		name, file, content string
		cfg                 Config
		want                string
	}{
		{"empty file", "a.csv", "", Config{}, "the file is empty"},
		{"no text column", "a.csv", "id,texte\n1,bonjour\n", Config{}, `the header has no column "text" (columns: id, texte)`},
		{"no id column", "a.csv", "ident;text\n1;bonjour\n", Config{}, `no column "id"`},
		{"not CSV at all", "a.csv", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Config{}, `no column "id"`},
		{"JSON that is not an array", "a.json", `{"id": 1}`, Config{}, "expected a JSON array"},
		{"broken JSON", "a.json", `[{"id": "1", "text": "a"}, {"id": `, Config{}, "broken JSON"},
		{"unknown preset", "a.csv", "id,text\n", Config{Preset: "autre"}, "unknown preset"},
		{"too large", "a.csv", "id,text\n1,abc\n", Config{MaxInputBytes: 5}, "larger than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.content), tt.file, tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "limpide/ingest: "+tt.file), err.Error())
		})
	}
}

func TestTextLimitAndJoin(t *testing.T) {
	res, err := Read(strings.NewReader("id,title,body\n1,Titre,\"Corps, long\"\n2,,\n3,Court,x\n"), "a.csv",
		Config{TextColumns: []string{"title", "body"}, MaxTextBytes: 16})
	require.NoError(t, err)
	require.Len(t, res.Contributions, 2)
	assert.Equal(t, "", res.Contributions[0].Text, "both cells empty: an empty text, kept (synthesis excludes it)")
	assert.Equal(t, "Court\n\nx", res.Contributions[1].Text)
	require.Len(t, res.Rejects, 1)
	assert.Contains(t, res.Rejects[0].Reason, "over the limit of 16")
}

func TestDetectGzipByMagic(t *testing.T) {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	gz.Write([]byte("id\ttext\nx\tbonjour\n"))
	gz.Close()
	res, err := Read(&b, "export.tsv", Config{})
	require.NoError(t, err)
	assert.Equal(t, "tab", res.Source["delimiter"])
	assert.Equal(t, "bonjour", res.Contributions[0].Text)
}

// TestRejectSpansLines checks that a rejected row whose fields hold line
// breaks is reported from its first line to its last.
func TestRejectSpansLines(t *testing.T) {
	in := "id,text,commune\n" +
		"a1,\"un\ndeux\",Paris\n" +
		"a1,\"trois\nquatre\ncinq\",\"Saint-\nDenis\"\n"
	res, err := Read(strings.NewReader(in), "multi.csv", Config{})
	require.NoError(t, err)
	require.Len(t, res.Rejects, 1)
	assert.Equal(t, Reject{Line: 4, EndLine: 7, ID: "a1", Reason: "duplicate id, first seen at line 2"}, res.Rejects[0])
	accounted(t, res, 1)
}

// TestReadAllSized checks that the buffer's first size, right, too small
// or too large, never changes what is read.
func TestReadAllSized(t *testing.T) {
	want := bytes.Repeat([]byte("contribution, "), 1000)
	for _, size := range []int64{0, 1, 511, 512, int64(len(want)) - 1, int64(len(want)), int64(len(want)) + 1, 1 << 20} {
		got, err := readAllSized(bytes.NewReader(want), size)
		require.NoError(t, err)
		assert.Equal(t, want, got, "size %d", size)
	}
}

// TestSizeHint checks the hint of a plain and of a gzip file: the file's
// size, and the decompressed size its trailer records.
func TestSizeHint(t *testing.T) {
	f, err := os.Open("testdata/sample.csv.gz")
	require.NoError(t, err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	plain, err := io.ReadAll(gz)
	require.NoError(t, err)
	assert.Equal(t, int64(len(plain)), sizeHint(f, true))
	st, err := f.Stat()
	require.NoError(t, err)
	assert.Equal(t, st.Size(), sizeHint(f, false))
	assert.Zero(t, sizeHint(bytes.NewReader(plain), false), "not a file: no hint")

	assert.Equal(t, int64(len(plain)), SizeHint("testdata/sample.csv.gz"))
	plainSt, err := os.Stat("../testdata/granddebat_sample.csv")
	require.NoError(t, err)
	assert.Equal(t, plainSt.Size(), SizeHint("../testdata/granddebat_sample.csv"), "a plain file: its size")
	odd := filepath.Join(t.TempDir(), "plain.csv.gz")
	require.NoError(t, os.WriteFile(odd, plain, 0o644))
	assert.Equal(t, int64(len(plain)), SizeHint(odd), "a .gz name without gzip's magic number: the file's size")
	assert.Zero(t, SizeHint(filepath.Join(t.TempDir(), "absent.csv")))
	assert.Zero(t, SizeHint(t.TempDir()), "a directory")
}

// Two ids with the same hash stay two ids: the second goes to the
// index's own map, and its repeats are found there.
func TestIDIndexHashCollision(t *testing.T) {
	x := newIDIndex(0)
	contributions := []Contribution{{ID: "b"}}
	_, seen := x.firstLine("b", 0, 2, contributions)
	require.False(t, seen)
	_, seen = x.firstLine("a", 1, 3, contributions) // out of order: the table
	require.False(t, seen)
	require.NotNil(t, x.byHash)
	contributions = append(contributions, Contribution{ID: "a"})
	// "c" is made to collide with "b", read at line 2.
	x.byHash[maphash.String(x.seed, "c")] = firstID{index: 0, line: 2}
	_, seen = x.firstLine("c", 2, 4, contributions)
	require.False(t, seen, "a colliding id is not a duplicate")
	contributions = append(contributions, Contribution{ID: "c"})
	for id, want := range map[string]int{"c": 4, "b": 2, "a": 3} {
		line, seen := x.firstLine(id, 3, 9, contributions)
		require.True(t, seen, id)
		assert.Equal(t, want, line, id)
	}
}

// Ids in increasing order need no table; the first one out of order, a
// repeat or not, is checked against every id before it, with its line.
func TestIDIndexInOrder(t *testing.T) {
	for _, tc := range []struct {
		ids      []string
		repeat   int // index of the repeated id, -1 for none
		firstDup int // the line the repeat names
	}{
		{[]string{"a", "b", "c", "d"}, -1, 0},
		{[]string{"a", "b", "c", "b"}, 3, 3},
		{[]string{"a", "b", "b"}, 2, 3},
		{[]string{"b", "c", "a", "d", "c"}, 4, 3},
		{[]string{"10", "2", "3", "10"}, 3, 2},
	} {
		x := newIDIndex(len(tc.ids))
		var contributions []Contribution
		for i, id := range tc.ids {
			line, seen := x.firstLine(id, len(contributions), i+2, contributions)
			if i == tc.repeat {
				require.True(t, seen, "%v: %q at %d", tc.ids, id, i)
				assert.Equal(t, tc.firstDup, line, "%v", tc.ids)
				continue
			}
			require.False(t, seen, "%v: %q at %d", tc.ids, id, i)
			contributions = append(contributions, Contribution{ID: id})
		}
		if slices.IsSorted(tc.ids) && tc.repeat < 0 {
			assert.Nil(t, x.byHash, "%v: in order, no table", tc.ids)
		}
	}
}
