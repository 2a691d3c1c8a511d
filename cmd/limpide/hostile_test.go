package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var readLine = regexp.MustCompile(`(\d+) rows → (\d+) contributions, (\d+) rejected, (\d+) skipped`)

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// TestHostileInputs runs broken files and awkward corpora through
// limpide synthesize. Each gives a clear error (exit 2) or a report; when
// a report, every input row is accounted for: rows = contributions +
// rejects + skipped, and the report's accounting adds up to the
// contributions. It logs the table the issue asks for.
func TestHostileInputs(t *testing.T) {
	tax := "Les impôts et les taxes sont trop élevés pour les classes moyennes"
	many := func(n int, text string) string {
		var b strings.Builder
		b.WriteString("id,text\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "c%06d,%s\n", i, text)
		}
		return b.String()
	}
	huge := "id,text\nbig,\"" + strings.Repeat("La fiscalité locale doit être plus juste. ", 5<<20/42) + "\"\n"
	tests := []struct {
		name, file, content string
		flags               []string
		code                int
		want                string // in the error or on stdout
	}{
		{"invalid UTF-8 bytes", "a.csv", "id,text\n1,café \xff impôts\n2,thé et impôts\n", nil, 0, ""},
		{"NUL bytes", "a.csv", "id,text\n1,impôts\x00taxes\n2,impôts et taxes\n3,taxes et impôts\n", nil, 0, ""},
		{"BOM", "a.csv", "\ufeffid,text\n1,impôts et taxes\n2,taxes et impôts\n", nil, 0, ""},
		{"CRLF", "a.csv", "id,text\r\n1,impôts et taxes\r\n2,\"taxes\r\net impôts\"\r\n", nil, 0, ""},
		{"; delimiters", "a.csv", "id;text\n1;impôts, taxes\n2;taxes, impôts\n", nil, 0, ""},
		{"unterminated quote", "a.csv", "id,text\n1,impôts et taxes\n2,taxes et impôts\n3,\"jamais fermé\n4,avalé\n", nil, 0, ""},
		{"ragged rows", "a.csv", "id,text\n1,impôts et taxes\n2,taxes,et,impôts\n3\n4,taxes et impôts\n", nil, 0, ""},
		{"header without the id column", "a.csv", "ident,text\n1,impôts\n", nil, 2, `no column "id"`},
		{"header without the text column", "a.csv", "id,texte\n1,impôts\n", nil, 2, `no column "text"`},
		{"empty file", "a.csv", "", nil, 2, "the file is empty"},
		{"not CSV at all", "a.csv", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", nil, 2, `no column "id"`},
		{"truncated gzip", "a.csv.gz", gz(many(50, tax))[:60], nil, 2, "truncated or corrupt"},
		{"input over --max-input-bytes", "a.csv", many(50, tax), []string{"--max-input-bytes", "1000"}, 2, "larger than the limit"},
		{"one contribution", "a.csv", "id,text\n1," + tax + "\n", nil, 0, ""},
		{"two identical contributions", "a.csv", "id,text\n1," + tax + "\n2," + tax + "\n", nil, 0, ""},
		{"only stop words", "a.csv", "id,text\n1,et que de la\n2,le la les ou\n", nil, 0, ""},
		{"k larger than the corpus", "a.csv", "id,text\n1,impôts et taxes\n2,trains et transports\n3,trains et impôts\n", []string{"--k", "50"}, 0, "only 3 distinct texts"},
		{"a 5 MB contribution, default limit", "a.csv", huge, nil, 2, "over the limit of 1048576"},
		{"a 5 MB contribution, --max-text-bytes 6000000", "a.csv", huge, []string{"--max-text-bytes", "6000000"}, 0, ""},
		{"100,000 copies of one text (a campaign)", "a.csv", many(100000, tax), nil, 0, ""},
		{"other languages mixed in", "a.csv", "id,text\n1," + tax + "\n2,Taxes are too high for the middle class\n3,Die Steuern sind zu hoch\n4,Moins d'impôts et de taxes\n", nil, 0, ""},
	}
	var table []string
	table = append(table, "| input | exit | rows | contributions | rejected | skipped | assigned | outlier | duplicate | excluded | themes | what limpide said |", "|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			input := filepath.Join(dir, tt.file)
			require.NoError(t, os.WriteFile(input, []byte(tt.content), 0o644))
			out := filepath.Join(dir, "out")
			args := append([]string{"synthesize", "--input", input, "--k", "auto", "--stability-runs", "-1", "--out", out}, tt.flags...)
			r := limpide(t, args...)
			require.Equal(t, tt.code, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
			said := strings.TrimSpace(r.stderr + " " + r.stdout)
			if tt.want != "" {
				assert.Contains(t, said, tt.want)
			}
			row := []string{tt.name, strconv.Itoa(r.code)}
			m := readLine.FindStringSubmatch(r.stderr)
			if m != nil {
				rows, _ := strconv.Atoi(m[1])
				contribs, _ := strconv.Atoi(m[2])
				rejects, _ := strconv.Atoi(m[3])
				skipped, _ := strconv.Atoi(m[4])
				assert.Equal(t, rows, contribs+rejects+skipped, "every row accounted for")
				row = append(row, m[1], m[2], m[3], m[4])
			} else {
				row = append(row, "-", "-", "-", "-")
			}
			if r.code == 0 {
				rep := loadReport(t, filepath.Join(out, "report.json"))
				a := rep.Accounting
				assert.Equal(t, a.Input, a.Assigned+a.Outlier+a.Duplicate+a.Excluded)
				if m != nil {
					assert.Equal(t, m[2], strconv.Itoa(a.Input))
				}
				row = append(row, strconv.Itoa(a.Assigned), strconv.Itoa(a.Outlier), strconv.Itoa(a.Duplicate), strconv.Itoa(a.Excluded), strconv.Itoa(len(rep.Themes)))
				said = firstLine(r.stdout)
				if strings.Contains(r.stdout, "note:") {
					said += "; " + r.stdout[strings.Index(r.stdout, "note:"):]
				}
			} else {
				row = append(row, "-", "-", "-", "-", "-")
				said = lastLine(r.stderr)
			}
			said = strings.ReplaceAll(strings.TrimSpace(said), "|", "\\|")
			if len(said) > 160 {
				said = said[:157] + "..."
			}
			table = append(table, "| "+strings.Join(append(row, strings.ReplaceAll(said, "\n", " ")), " | ")+" |")
		})
	}
	t.Log("\n" + strings.Join(table, "\n"))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// TestLargeReportThemeFiles: above report.SplitAbove contributions the
// page leaves each theme's members to report.files/Txx.js; --single-html
// keeps them in the page and removes the theme files of an earlier run.
func TestLargeReportThemeFiles(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,text\n")
	for i := 0; i < 60000; i++ {
		fmt.Fprintf(&b, "c%06d,Les impôts et les taxes sont trop élevés\n", i)
	}
	dir := t.TempDir()
	input := filepath.Join(dir, "a.csv")
	require.NoError(t, os.WriteFile(input, []byte(b.String()), 0o644))
	out := filepath.Join(dir, "out")

	r := limpide(t, "synthesize", "--input", input, "--k", "auto", "--stability-runs", "-1", "--out", out)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "report.files/")
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), `"part":"report.files/T01.js"`)
	assert.Less(t, len(page), 200_000, "the page holds no members")
	item := regexp.MustCompile(`\["c\d{6}",`) // the head of a member's item
	assert.Len(t, item.FindAllIndex(page, -1), 1, "only the representative")
	part, err := os.ReadFile(filepath.Join(out, "report.files", "T01.js"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(part), `LIMPIDE_PART("T01",[["c000000",`), "%.60s", part)
	assert.Len(t, item.FindAllIndex(part, -1), 60000, "every member of the theme")

	r = limpide(t, "synthesize", "--input", input, "--k", "auto", "--stability-runs", "-1", "--out", out, "--single-html")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NoDirExists(t, filepath.Join(out, "report.files"), "the earlier run's theme files are gone")
	page, err = os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	assert.Len(t, item.FindAllIndex(page, -1), 60000+1, "every member in the page, and the representative")
	assert.NotContains(t, string(page), `"part":`)
}
