package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/limpide/limpide/synthesis"
)

var binary string

// TestMain builds the limpide binary once; the tests run it as a user would.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "limpide-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "limpide")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic("go build: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func limpide(t *testing.T, args ...string) result {
	t.Helper()
	return limpideEnv(t, nil, args...)
}

// limpideEnv runs the binary with env added to the test's environment.
func limpideEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func loadReport(t *testing.T, path string) *synthesis.Report {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rep, err := synthesis.ReadJSON(f)
	require.NoError(t, err)
	return rep
}

const sample = "../../testdata/granddebat_sample.csv"

func TestSynthesizeVerifyExplain(t *testing.T) {
	out := t.TempDir()
	r := limpide(t, "synthesize", "--input", sample, "--k", "8", "--stability-runs", "2", "--meta-column", "question_id", "--out", out)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "2040 contributions → 8 themes")
	assert.Contains(t, r.stderr, "2040 rows → 2040 contributions, 0 rejected")
	for _, f := range []string{"report.json", "report.html", "report.md", "assignments.csv", "contributions.jsonl"} {
		assert.FileExists(t, filepath.Join(out, f))
	}
	assert.NoFileExists(t, filepath.Join(out, "rejects.csv"))
	leftovers, _ := filepath.Glob(filepath.Join(out, ".*.tmp"))
	assert.Empty(t, leftovers, "no temporary file left behind")
	rep := loadReport(t, filepath.Join(out, "report.json"))
	assert.Equal(t, 2040, rep.Accounting.Input)
	assert.Len(t, rep.Themes, 8)
	assert.Equal(t, "granddebat_sample.csv", rep.Manifest.Config.Source["file"])

	// assignments.csv: one row per contribution.
	f, err := os.Open(filepath.Join(out, "assignments.csv"))
	require.NoError(t, err)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	require.NoError(t, err)
	assert.Len(t, rows, 2041)
	assert.Equal(t, []string{"id", "status", "theme", "similarity", "runner_up", "margin", "canonical", "reason"}, rows[0])

	r = limpide(t, "verify", "--report", filepath.Join(out, "report.json"), "--input", sample, "--meta-column", "question_id")
	assert.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "verified:")

	// One quote changed: exit 1, the place named.
	raw, err := os.ReadFile(filepath.Join(out, "report.json"))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	quote := doc["themes"].([]any)[2].(map[string]any)["representatives"].([]any)[0].(map[string]any)["quote"].(map[string]any)
	quote["text"] = quote["text"].(string) + " (modifié)"
	tampered, _ := json.Marshal(doc)
	bad := filepath.Join(t.TempDir(), "report.json")
	require.NoError(t, os.WriteFile(bad, tampered, 0o644))
	r = limpide(t, "verify", "--report", bad, "--input", sample, "--meta-column", "question_id")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "NOT VERIFIED")
	assert.Contains(t, r.stdout, "themes[2].representatives[0].quote.text")

	// Different inputs read with different flags: the hint says so.
	r = limpide(t, "verify", "--report", filepath.Join(out, "report.json"), "--input", sample)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "meta")

	id := rep.Themes[0].Representatives[0].Contribution
	r = limpide(t, "explain", "--report", filepath.Join(out, "report.json"), "--id", id)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, id)
	assert.Contains(t, r.stdout, "[[")
	assert.Contains(t, r.stdout, "(= similarité")

	r = limpide(t, "explain", "--report", filepath.Join(out, "report.json"), "--id", "absent")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `no contribution "absent"`)
}

func TestFormatsAndPresets(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		input   int // contributions read
		rejects int
	}{
		{"capcollectif latin-1", []string{"--input", "../../ingest/testdata/capcollectif_latin1.csv", "--preset", "capcollectif"}, 4, 0},
		{"decidim csv", []string{"--input", "../../ingest/testdata/decidim_proposals.csv", "--preset", "decidim"}, 2, 0},
		{"decidim json", []string{"--input", "../../ingest/testdata/decidim_proposals.json", "--preset", "decidim"}, 2, 0},
		{"consul", []string{"--input", "../../ingest/testdata/consul_investments.json", "--preset", "consul"}, 2, 0},
		{"jsonl with a broken line", []string{"--input", "../../ingest/testdata/answers.jsonl"}, 2, 1},
		{"gzip csv", []string{"--input", "../../ingest/testdata/sample.csv.gz"}, 2, 0},
		{"broken csv", []string{"--input", "../../ingest/testdata/broken.csv"}, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			r := limpide(t, append([]string{"synthesize", "--k", "1", "--stability-runs", "-1", "--out", out}, tt.args...)...)
			require.Equal(t, 0, r.code, r.stderr)
			rep := loadReport(t, filepath.Join(out, "report.json"))
			a := rep.Accounting
			assert.Equal(t, tt.input, a.Input)
			assert.Equal(t, a.Input, a.Assigned+a.Outlier+a.Duplicate+a.Excluded)
			if tt.rejects > 0 {
				f, err := os.Open(filepath.Join(out, "rejects.csv"))
				require.NoError(t, err)
				rows, err := csv.NewReader(f).ReadAll()
				f.Close()
				require.NoError(t, err)
				assert.Len(t, rows, tt.rejects+1)
			}
			r = limpide(t, append([]string{"verify", "--report", filepath.Join(out, "report.json")}, tt.args...)...)
			assert.Equal(t, 0, r.code, r.stdout+r.stderr)
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage:"},
		{"unknown command", []string{"synthetise-moi"}, `unknown command "synthetise-moi"`},
		{"no input", []string{"synthesize"}, "--input FILE is required"},
		{"bad k", []string{"synthesize", "--input", sample, "--k", "zero"}, `--k "zero"`},
		{"missing column", []string{"synthesize", "--input", sample, "--text-column", "answer"}, `no column "answer"`},
		{"missing file", []string{"synthesize", "--input", "absent.csv"}, "absent.csv"},
		{"verify without report", []string{"verify", "--input", sample}, "--report"},
		{"stray argument", []string{"synthesize", "input.csv"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := limpide(t, tt.args...)
			assert.Equal(t, 2, r.code, r.stdout+r.stderr)
			assert.Contains(t, r.stderr, tt.want)
		})
	}
	r := limpide(t, "synthesize", "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stderr, "-text-column")
}

func TestHostileContent(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "hostile.csv")
	rows := [][]string{{"id", "text"},
		{"=HYPERLINK(\"http://x\")", "Les impôts <script>alert(1)</script> sont trop élevés"},
		{"+33", "Les impôts \"><img src=x onerror=alert(1)> baissent"},
		{"@cmd", "Les impôts et la <a href=\"javascript:alert(1)\">taxe</a>"},
		{"-2+3", "Les impôts et les taxes"},
		{"ok", "Les taxes foncières"},
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	require.NoError(t, os.WriteFile(input, b.Bytes(), 0o644))
	out := filepath.Join(dir, "out")
	r := limpide(t, "synthesize", "--input", input, "--k", "1", "--out", out)
	require.Equal(t, 0, r.code, r.stderr)
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	assert.NotContains(t, string(html), "<script>alert")
	assert.NotContains(t, string(html), "<img src=x")
	assert.NotContains(t, string(html), `<a href="javascript`)
	assign, err := os.ReadFile(filepath.Join(out, "assignments.csv"))
	require.NoError(t, err)
	for _, id := range []string{"'=HYPERLINK", "'+33", "'@cmd", "'-2+3"} {
		assert.Contains(t, string(assign), id)
	}
	assert.True(t, strings.Contains(string(assign), "\nok,"), "a plain id is left alone")
}

func TestAppendTextLineMatchesEncodingJSON(t *testing.T) {
	for _, c := range []synthesis.Contribution{
		{ID: "a", Text: "Les impôts <b>&</b>\n« L’État »"},
		{ID: "b\u2028", Text: "bad \xff", Meta: map[string]string{}},
		{ID: "c", Text: "", Meta: map[string]string{"zip": "75001", "question": "Q1", "<": ">"}},
	} {
		var want bytes.Buffer
		require.NoError(t, json.NewEncoder(&want).Encode(map[string]any{"id": c.ID, "text": c.Text, "meta": c.Meta}))
		assert.Equal(t, want.String(), string(appendTextLine(nil, &c)))
	}
}

// TestTimings checks that --timings names every stage from reading on,
// that the stages add up to the total, in wall time and in CPU time (no
// part of the run goes uncounted), that each collector share is a
// percentage and that the peak memory only grows.
func TestTimings(t *testing.T) {
	// GOGC=20 makes the collector run on this small sample, which the
	// command's pacer would not collect: the gc shares are then printed.
	r := limpideEnv(t, []string{"GOGC=20"}, "synthesize", "--input", sample, "--k", "8", "--stability-runs", "1", "--timings", "--out", t.TempDir())
	require.Equal(t, 0, r.code, r.stderr)
	var names []string
	sum, total := timingLine{values: map[string]float64{}}, timingLine{}
	peak := 0.0
	for _, line := range strings.Split(r.stderr, "\n") {
		if !strings.HasPrefix(line, "timing ") {
			continue
		}
		tl := parseTiming(t, line)
		if runtime.GOOS != "windows" {
			require.Contains(t, tl.values, "cpu", line)
			require.Contains(t, tl.values, "peak", line)
			assert.GreaterOrEqual(t, tl.values["peak"], peak, "the peak so far: %q", line)
			peak = tl.values["peak"]
		}
		if gc, ok := tl.values["gc"]; ok {
			assert.True(t, gc >= 0 && gc <= 100, "collector share: %q", line)
		}
		if tl.name == "total" {
			total = tl
			assert.Contains(t, tl.values, "gc", line)
			continue
		}
		names = append(names, tl.name)
		sum.wall += tl.wall
		sum.values["cpu"] += tl.values["cpu"]
	}
	assert.Equal(t, []string{"read", "prepare", "duplicates", "vectorize", "cluster", "explain", "stability", "themes", "open outputs", "report"}, names)
	// Each figure is rounded to 0.01 s.
	assert.InDelta(t, total.wall, sum.wall, 0.005*float64(len(names)+1), "wall, stages %v", names)
	assert.InDelta(t, total.values["cpu"], sum.values["cpu"], 0.005*float64(len(names)+1), "CPU, stages %v", names)
	assert.Greater(t, peak, 1.0, "a peak memory in MB")
}

// timingLine is a line of --timings: "timing NAME WALL s", then, where
// known, "cpu SECONDS s", "gc SHARE%" and "peak MB MB", in values by
// their first word.
type timingLine struct {
	name   string
	wall   float64
	values map[string]float64
}

func parseTiming(t *testing.T, line string) timingLine {
	t.Helper()
	f := strings.Fields(line)
	i := 1
	for ; i < len(f); i++ {
		if _, err := strconv.ParseFloat(f[i], 64); err == nil {
			break
		}
	}
	require.True(t, i > 1 && i+1 < len(f) && f[i+1] == "s", "want timing NAME WALL s: %q", line)
	tl := timingLine{name: strings.Join(f[1:i], " "), values: map[string]float64{}}
	tl.wall, _ = strconv.ParseFloat(f[i], 64)
	units := map[string]string{"cpu": "s", "gc": "%", "peak": "MB"}
	for rest := f[i+2:]; len(rest) > 0; {
		key := rest[0]
		unit, ok := units[key]
		require.True(t, ok && len(rest) >= 2, "unknown %q in %q", key, line)
		num := rest[1]
		if unit == "%" {
			require.True(t, strings.HasSuffix(num, "%"), line)
			num = strings.TrimSuffix(num, "%")
			rest = rest[2:]
		} else {
			require.True(t, len(rest) >= 3 && rest[2] == unit, "want %s N %s: %q", key, unit, line)
			rest = rest[3:]
		}
		v, err := strconv.ParseFloat(num, 64)
		require.NoError(t, err, line)
		tl.values[key] = v
	}
	return tl
}

// A pending file takes the place of an earlier file at its path, and of
// no file, leaving nothing else behind in the folder.
func TestPendingFileCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	for _, text := range []string{"first", "second"} {
		f, err := newPendingFile(path)
		require.NoError(t, err)
		_, err = f.WriteString(text)
		require.NoError(t, err)
		require.NoError(t, f.finish())
		require.NoError(t, f.commit())
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, text, string(got))
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		require.Len(t, entries, 1)
		assert.Equal(t, "report.json", entries[0].Name())
	}
}

// A folder where the output should go is left as it is, and the commit
// fails.
func TestPendingFileCommitOverFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	require.NoError(t, os.Mkdir(path, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(path, "kept"), []byte("x"), 0o644))
	f, err := newPendingFile(path)
	require.NoError(t, err)
	require.NoError(t, f.finish())
	require.Error(t, f.commit())
	f.abort()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.True(t, entries[0].IsDir())
	_, err = os.Stat(filepath.Join(path, "kept"))
	assert.NoError(t, err)
}
