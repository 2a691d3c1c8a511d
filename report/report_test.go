package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/limpide/limpide"
	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/internal/jsonenc"
	"github.com/limpide/limpide/synthesis"
)

var hostile = []synthesis.Contribution{
	{ID: "zz-script", Text: "Les impôts locaux <script>alert(1)</script> augmentent trop vite pour les retraités."},
	{ID: "zz-img", Text: "Les impôts locaux \"><img src=x onerror=alert(1)> augmentent pour les retraités."},
	{ID: "zz-link", Text: "Les impôts locaux, voir <a href=\"javascript:alert(1)\">ce lien</a>, augmentent."},
}

func sampleReport(t testing.TB, n int) (*synthesis.Report, []synthesis.Contribution) {
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	require.NoError(t, err)
	var in []synthesis.Contribution
	for _, r := range rows[1 : n+1] {
		in = append(in, synthesis.Contribution{ID: r[0], Text: r[1]})
	}
	in = append(in, hostile...)
	rep, err := synthesis.Run(context.Background(), in, synthesis.Config{Cluster: cluster.Config{K: 6}, StabilityRuns: 1})
	require.NoError(t, err)
	return rep, in
}

func TestWriteHTMLStatic(t *testing.T) {
	rep, in := sampleReport(t, 300)
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, rep, in))
	page := b.String()
	assert.NotContains(t, page, "<script>alert")
	assert.NotContains(t, page, "<img src=x")
	assert.NotContains(t, page, "http://", "nothing fetched: no absolute URL in the page")
	assert.NotContains(t, page, "https://")
	assert.Contains(t, page, `<html lang="fr">`)

	// Texts missing: an error, not a broken page.
	err := WriteHTML(&bytes.Buffer{}, rep, in[:10])
	assert.ErrorContains(t, err, "is not among the texts given")
}

func TestMarkdownAndAssignments(t *testing.T) {
	rep, _ := sampleReport(t, 300)
	var md bytes.Buffer
	require.NoError(t, WriteMarkdown(&md, rep))
	s := md.String()
	assert.Contains(t, s, "# Synthèse de 303 contributions")
	assert.Equal(t, len(rep.Themes), strings.Count(s, "\n## T"))
	assert.Contains(t, s, rep.Manifest.Corpus.SHA256)
	assert.Contains(t, s, "limpide verify")
	assert.NotContains(t, s, "<script>", "quotes are escaped")

	var a bytes.Buffer
	require.NoError(t, WriteAssignments(&a, rep))
	rows, err := csv.NewReader(&a).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, len(rep.Contributions)+1)
}

// The rows AssignmentsWriter makes are those encoding/csv's Writer writes
// for the neutralised cells, whatever the cells hold: quotes, commas,
// line ends, leading spaces ASCII or not, formula prefixes, invalid UTF-8.
func TestAssignmentsRowsAreEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"a", "T01", "gd-12", ",", "\"", "\r", "\n", " ", "\t", "\u00a0", "\u2028", "\u0085", "é",
		"=", "+", "-", "@", "\\.", "\\", "\xff", "1", "0.5", ""}
	cell := func() string {
		var b strings.Builder
		for n := rng.IntN(4); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	var got, want bytes.Buffer
	aw, err := NewAssignmentsWriter(&got)
	require.NoError(t, err)
	cw := csv.NewWriter(&want)
	require.NoError(t, cw.Write([]string{"id", "status", "theme", "similarity", "runner_up", "margin", "canonical", "reason"}))
	numbers := []float64{0, 0.25, -0.125, 1e-9, 123456.5, math.Inf(1), math.Inf(-1), math.NaN()}
	for range 5000 {
		c := synthesis.ContributionResult{ID: cell(), Status: cell(), Theme: cell(), RunnerUp: cell(), Canonical: cell(), Reason: cell(),
			Similarity: numbers[rng.IntN(len(numbers))], Margin: numbers[rng.IntN(len(numbers))]}
		require.NoError(t, aw.Add(&c))
		row := []string{c.ID, c.Status, c.Theme, string(appendFloat(nil, c.Similarity)), c.RunnerUp, string(appendFloat(nil, c.Margin)), c.Canonical, c.Reason}
		for i := range row {
			row[i] = NeutralizeCell(row[i])
		}
		require.NoError(t, cw.Write(row))
	}
	require.NoError(t, aw.Close())
	cw.Flush()
	require.NoError(t, cw.Error())
	assert.Equal(t, want.String(), got.String())
}

func TestNeutralizeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+33": "'+33", "-cmd": "'-cmd", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"-0.25": "-0.25", "0.5": "0.5", "T01": "T01", "": "",
	} {
		assert.Equal(t, want, NeutralizeCell(in), in)
	}
}

func TestUTF16Offsets(t *testing.T) {
	text := "L’État 🙂 réforme"
	u := &utf16Offsets{text: text}
	assert.Equal(t, 0, u.convert(0))
	assert.Equal(t, 2, u.convert(len("L’")), "’ is one UTF-16 unit")
	assert.Equal(t, 7, u.convert(len("L’État ")))
	assert.Equal(t, 10, u.convert(len("L’État 🙂 ")), "the emoji is two UTF-16 units")
}

// utf16Reference is the UTF-16 offset of byte offset off in text, from
// first principles: the units of the characters that end at or before it
// (an invalid byte is one U+FFFD).
func utf16Reference(text string, off int) int {
	n := 0
	for i, r := range text {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(text[i:])
		}
		if i+size > off {
			break
		}
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// FuzzUTF16Offsets converts every offset of a text, forwards, backwards
// and forwards again (evidence spans come in any order), and compares each
// with utf16Reference.
func FuzzUTF16Offsets(f *testing.F) {
	for _, s := range []string{"", "abc", "L’État 🙂 réforme", "déjà vu, où ça ? À Noël.", "a\xffb\xc3", "é\xe2\x80", "😀😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		u := &utf16Offsets{}
		u.reset(text)
		order := make([]int, 0, 3*(len(text)+1))
		for off := 0; off <= len(text); off++ {
			order = append(order, off)
		}
		for off := len(text); off >= 0; off-- {
			order = append(order, off)
		}
		for off := 0; off <= len(text)+2; off += 3 {
			order = append(order, off)
		}
		for _, off := range order {
			if got, want := u.convert(off), utf16Reference(text, min(off, len(text))); got != want {
				t.Fatalf("%q: offset %d gives %d, want %d", text, off, got, want)
			}
		}
		// What the HTML writer does: a text that jsonenc.StringBMP finds
		// valid and within U+FFFF converts without being checked again.
		if _, bmp := jsonenc.StringBMP(nil, text); bmp {
			u.resetBMP(text)
			for _, off := range order {
				if got, want := u.convert(off), utf16Reference(text, min(off, len(text))); got != want {
					t.Fatalf("%q, known BMP: offset %d gives %d, want %d", text, off, got, want)
				}
			}
		}
	})
}

// chromium returns Debian's headless browser, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestHTMLInBrowser opens the report of a testdata corpus in headless
// Chromium, with a link that opens the theme holding the hostile
// contributions and searches it: the page must run without a console
// error, render as many themes as report.json has, filter the members,
// and show the hostile texts as text.
func TestHTMLInBrowser(t *testing.T) {
	browser := chromium()
	if browser == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium): browser test skipped")
	}
	rep, in := sampleReport(t, 600)
	theme := ""
	for _, c := range rep.Contributions {
		if c.ID == "zz-script" {
			theme = c.Theme
		}
	}
	require.NotEmpty(t, theme)
	var members []string
	for _, th := range rep.Themes {
		if th.ID == theme {
			members = th.Members
		}
	}
	text := map[string]string{}
	for _, c := range in {
		text[c.ID] = c.Text
	}
	query := "impôts locaux"
	want := 0
	for _, m := range members {
		if strings.Contains(strings.ToLower(text[m]), query) {
			want++
		}
	}
	require.Greater(t, want, 0)
	require.Less(t, want, len(members), "the search must filter something out")

	// The marks of the opened theme's representative quotes: the texts of
	// the evidence spans inside each quote, in text order, overlaps left
	// out, as the page marks them.
	var wantMarks []string
	byID := map[string]*synthesis.ContributionResult{}
	for i := range rep.Contributions {
		byID[rep.Contributions[i].ID] = &rep.Contributions[i]
	}
	for _, th := range rep.Themes {
		if th.ID != theme {
			continue
		}
		for _, r := range th.Representatives {
			var spans [][2]int
			for _, e := range byID[r.Contribution].Evidence {
				for _, sp := range e.Spans {
					if sp[0] >= r.Quote.Start && sp[1] <= r.Quote.End {
						spans = append(spans, sp)
					}
				}
			}
			slices.SortStableFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
			at := r.Quote.Start
			for _, sp := range spans {
				if sp[0] >= at {
					wantMarks = append(wantMarks, text[r.Contribution][sp[0]:sp[1]])
					at = sp[1]
				}
			}
		}
	}
	require.NotEmpty(t, wantMarks)

	for _, mode := range []string{"one file", "theme files", "theme files missing"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.html")
			var b bytes.Buffer
			opt := HTMLOptions{}
			if mode != "one file" {
				require.NoError(t, os.Mkdir(filepath.Join(dir, "report.files"), 0o755))
				opt = HTMLOptions{PartDir: "report.files", Part: func(name string) (io.WriteCloser, error) {
					return os.Create(filepath.Join(dir, "report.files", name))
				}}
			}
			require.NoError(t, WriteHTMLWith(&b, rep, in, opt))
			require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
			if mode == "theme files" {
				assert.NotContains(t, b.String(), "impôts locaux, voir", "members' texts are in the theme files, not in the page")
			}
			if mode == "theme files missing" {
				require.NoError(t, os.RemoveAll(filepath.Join(dir, "report.files")))
			}
			dom, console := renderDOM(t, browser, dir, "file://"+path+"#"+theme+":q="+strings.ReplaceAll(query, " ", "%20"))
			assert.Equal(t, len(rep.Themes), strings.Count(dom, `<details class="theme"`), "rendered themes")
			assert.Equal(t, wantMarks, quoteMarks(dom), "the opened theme's quotes mark the characters of their evidence spans")
			m := regexp.MustCompile(`data-count="(\d+)"`).FindStringSubmatch(dom)
			if mode == "theme files missing" {
				assert.Nil(t, m, "no members without their file")
				assert.Contains(t, dom, "introuvable", "the page says the theme file is missing")
				return
			}
			for _, line := range console {
				t.Errorf("console message: %s", line)
			}
			require.NotNil(t, m, "the searched theme rendered its members")
			got, _ := strconv.Atoi(m[1])
			assert.Equal(t, want, got, "members left by the search")
			assert.True(t, strings.Contains(dom, "&lt;script&gt;alert(1)&lt;/script&gt;"), "the script shows as text")
			assert.True(t, strings.Contains(dom, `&lt;a href="javascript:alert(1)"&gt;`), "the link shows as text")
			assert.False(t, strings.Contains(dom, "<img"), "no image element was injected")
			assert.False(t, strings.Contains(dom, `<a href="javascript`), "no link element was injected")
			scripts := 1
			if mode == "theme files" {
				scripts = 2
				assert.Contains(t, dom, `<script src="report.files/`+theme+`.js">`, "the theme's file was loaded")
			}
			assert.Equal(t, scripts, strings.Count(dom, "<script"), "only the page's own scripts")
		})
	}
}

// quoteMarks returns the texts of the marks inside the blockquotes of a
// rendered page, in order.
func quoteMarks(dom string) []string {
	var out []string
	for _, q := range regexp.MustCompile(`(?s)<blockquote>(.*?)</blockquote>`).FindAllStringSubmatch(dom, -1) {
		for _, m := range regexp.MustCompile(`(?s)<mark[^>]*>(.*?)</mark>`).FindAllStringSubmatch(q[1], -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
	}
	return out
}

// renderDOM loads url in headless Chromium and returns the DOM once its
// scripts ran, and the console messages.
func renderDOM(t *testing.T, browser, dir, url string) (string, []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0",
		"--virtual-time-budget=10000", "--dump-dom", url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	var console []string
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") {
			console = append(console, line)
		}
	}
	return stdout.String(), console
}
