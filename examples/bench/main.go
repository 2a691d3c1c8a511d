//go:build linux

// Command bench measures limpide on a CSV corpus twice over: vectorising
// and clustering alone, and the whole `limpide synthesize` command with
// every output (report.json, report.html and its theme files, report.md,
// assignments.csv, contributions.jsonl). When the peer script is present
// it runs the peer pipeline (scikit-learn TF-IDF + k-means with Snowball
// French, clustering only, no report) on the same file in the same run,
// then prints all side by side with ratios.
//
//	go run ./examples/bench -input ../shared/data/granddebat_scale.csv.gz -k 51 -label question_id
//
// Each pipeline runs -runs times (the peer's full KMeans -full-runs times,
// it is slow, after the others); the table gives medians. The runs
// alternate round by round (limpide clustering only, limpide's full
// report, the peer's MiniBatch), so that a machine whose speed drifts
// over minutes weighs on both sides alike, and each round's own ratio of
// the full report to the peer's MiniBatch is printed as well. Every run
// is a process of its own, started by a small launcher process, so that
// its peak memory is its own (see launched). The command is built from
// this module into a temporary folder; its stages' wall and CPU times
// come from --timings. A .gz input is unpacked to a temporary file for
// the peer, outside its timing.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/internal/shareddata"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) > 2 && os.Args[1] == "-launch" {
		launch(os.Args[2:])
		return
	}
	input := flag.String("input", "", "CSV or CSV.gz file with a text column (default: the shared scale corpus)")
	k := flag.Int("k", 51, "number of themes")
	label := flag.String("label", "question_id", "ground-truth column for NMI/ARI (empty: none)")
	runs := flag.Int("runs", 3, "runs of each side; medians are reported")
	peer := flag.String("peer", "", "peer script (default: ../shared/bench/peer_sklearn.py beside the module)")
	python := flag.String("python", "/usr/bin/python3", "Python interpreter for the peer")
	noPeer := flag.Bool("no-peer", false, "do not run the peer")
	fullRuns := flag.Int("full-runs", 0, "runs of the peer's full KMeans (default: -runs)")
	idColumn := flag.String("id", "id", "id column, to match the full report's assignments with -label")
	child := flag.Bool("child", false, "internal: run limpide once and print JSON")
	cpuProfile := flag.String("cpuprofile", "", "with -child: write a CPU profile (pprof) to this file")
	flag.Parse()

	if *input == "" {
		p, err := shareddata.Path("granddebat_scale.csv.gz")
		if err != nil {
			log.Fatal(err)
		}
		*input = p
	}
	if *child {
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				log.Fatal(err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				log.Fatal(err)
			}
			defer pprof.StopCPUProfile()
		}
		runLimpide(*input, *k, *label)
		return
	}
	// Each limpide run is a fresh process, so that its peak memory is its own.
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	script := ""
	if !*noPeer {
		script = *peer
		if script == "" {
			if dir, err := shareddata.Dir(); err == nil {
				script = filepath.Join(dir, "..", "bench", "peer_sklearn.py")
			}
		}
		if _, err := os.Stat(script); err != nil {
			fmt.Fprintf(os.Stderr, "peer script absent (%v): limpide alone\n", err)
			script = ""
		}
	}
	csvPath := ""
	if script != "" {
		csvPath = plainCSV(*input)
	}
	peerOnce := func(mode string, r int) map[string]any {
		args := []string{script, csvPath, fmt.Sprint(*k)}
		if mode == "minibatch" {
			args = append(args, "--minibatch")
		}
		if *label != "" {
			args = append(args, "--label", *label)
		}
		out, stderr, peak, err := launched(exe, *python, args...)
		if err != nil {
			log.Fatalf("peer %s: %v\n%s", mode, err, stderr)
		}
		fmt.Fprintf(os.Stderr, "peer %s run %d: %s", mode, r+1, out)
		res := decode(out)
		res["peak_rss_mb"] = peak
		return res
	}
	// The runs of each side alternate, round by round, so that a machine
	// whose speed drifts over minutes slows both sides alike; each round's
	// own ratio is printed too.
	fr := newFullRunner(*input, *idColumn, *label)
	defer fr.close()
	var ours, full []map[string]any
	var peers = map[string][]map[string]any{}
	var roundRatios []string
	for r := 0; r < *runs; r++ {
		out, stderr, peak, err := launched(exe, exe, "-child", "-input", *input, "-k", fmt.Sprint(*k), "-label", *label)
		if err != nil {
			log.Fatalf("limpide run: %v\n%s", err, stderr)
		}
		res := decode(out)
		res["peak_rss_mb"] = peak
		ours = append(ours, res)
		fmt.Fprintf(os.Stderr, "limpide run %d: %s", r+1, out)
		full = append(full, fr.run(exe, *k, r))
		if script != "" {
			peers["minibatch"] = append(peers["minibatch"], peerOnce("minibatch", r))
			f, p := full[r], peers["minibatch"][r]
			roundRatios = append(roundRatios, fmt.Sprintf("wall %.2f, peak RSS %.2f",
				f["total_s"].(float64)/p["total_s"].(float64), f["peak_rss_mb"].(float64)/p["peak_rss_mb"].(float64)))
		}
	}
	if script != "" {
		n := *runs
		if *fullRuns > 0 {
			n = *fullRuns
		}
		for r := 0; r < n; r++ {
			peers["full"] = append(peers["full"], peerOnce("full", r))
		}
	}
	table := [][]string{{"pipeline", "load s", "vectorise s", "cluster s", "report s", "total s", "peak RSS MB", "NMI", "ARI"}}
	// limpide clustering only reads while it analyses: its load time is
	// inside "vectorise s". For the full report, "load s" is reading plus
	// preparing (sorting by id, hashing the texts).
	table = append(table, row("limpide, clustering only", ours))
	table = append(table, row("limpide synthesize, full report", full))
	for _, mode := range []string{"minibatch", "full"} {
		if len(peers[mode]) > 0 {
			table = append(table, row("sklearn "+mode, peers[mode]))
		}
	}
	fmt.Printf("\n%s, k=%d, medians of %d runs (peer full KMeans: %d)\n\n", filepath.Base(*input), *k, *runs, len(peers["full"]))
	printTable(table)
	if len(full) > 0 {
		fmt.Printf("\nfull report stages (median s): %s\n", stageLine(full, "stages"))
		fmt.Printf("full report stages, CPU time (median s): %s\n", stageLine(full, "stages_cpu"))
		fmt.Printf("full report outputs: %s\n", full[0]["outputs"])
	}
	for _, mode := range []string{"minibatch", "full"} {
		if len(peers[mode]) == 0 {
			continue
		}
		for _, ourRows := range []struct {
			name string
			rs   []map[string]any
		}{{"clustering only", ours}, {"full report", full}} {
			fmt.Printf("limpide %s vs sklearn %s: wall %.2f of the peer's (%.1f× faster), peak RSS %.2f of the peer's, NMI %+.4f\n",
				ourRows.name, mode,
				median(ourRows.rs, "total_s")/median(peers[mode], "total_s"),
				median(peers[mode], "total_s")/median(ourRows.rs, "total_s"),
				median(ourRows.rs, "peak_rss_mb")/median(peers[mode], "peak_rss_mb"),
				median(ourRows.rs, "nmi")-median(peers[mode], "nmi"))
		}
	}
	for r, ratio := range roundRatios {
		fmt.Printf("round %d, full report vs sklearn minibatch: %s\n", r+1, ratio)
	}
}

// launchMarker starts the line on which the launcher reports the peak
// RSS of the program it ran, after everything the program wrote.
const launchMarker = "bench-launch-maxrss-kb"

// launched runs name with args through this program started again with
// -launch, and returns what the program wrote and its peak RSS in MB.
//
// The launcher is there for the peak memory. Linux counts in a program's
// peak RSS (ru_maxrss) the resident peak of the process that called exec
// to start it, and os/exec starts a program from a process that shares
// the caller's memory. The bench holds the corpus's labels and scores
// every run: started directly, a program would report at least the
// bench's own peak, which grows from round to round (it did: 161, 218,
// then 260 MB for the same clustering). The launcher starts each program
// from a few MB of its own.
func launched(exe, name string, args ...string) (stdout, stderr []byte, peakMB float64, err error) {
	cmd := exec.Command(exe, append([]string{"-launch", name}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	stderr = errOut.Bytes()
	i := bytes.LastIndex(stderr, []byte("\n"+launchMarker+" "))
	if i < 0 {
		if err == nil {
			err = fmt.Errorf("the launcher did not report the peak memory of %s", name)
		}
		return out.Bytes(), stderr, 0, err
	}
	kb, perr := strconv.ParseFloat(strings.TrimSpace(string(stderr[i+len(launchMarker)+2:])), 64)
	if err == nil && perr != nil {
		err = fmt.Errorf("launcher: %v", perr)
	}
	return out.Bytes(), stderr[:i], kb / 1024, err
}

// launch runs args[0] with args[1:], passing its output through, then
// writes its peak RSS on stderr after launchMarker and exits with its exit
// code (see launched).
func launch(args []string) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "\n%s %d\n", launchMarker, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	os.Exit(cmd.ProcessState.ExitCode())
}

// fullRunner runs the limpide command with every output, each run in a
// process of its own: it measures wall time and peak RSS, reads the stage
// times the command prints, and scores the assignments against the label
// column.
type fullRunner struct {
	dir, exe, input string
	truth           map[string]string
}

// newFullRunner builds the limpide command from this module into a
// temporary folder and reads the labels.
func newFullRunner(input, idColumn, label string) *fullRunner {
	dir, err := os.MkdirTemp("", "limpide-bench-full")
	if err != nil {
		log.Fatal(err)
	}
	fr := &fullRunner{dir: dir, exe: filepath.Join(dir, "limpide"), input: input}
	build := exec.Command("go", "build", "-o", fr.exe, "github.com/limpide/limpide/cmd/limpide")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		log.Fatalf("building the limpide command: %v", err)
	}
	if label != "" {
		cols, err := shareddata.ReadCSV(input, idColumn, label)
		if err != nil {
			log.Fatal(err)
		}
		fr.truth = make(map[string]string, len(cols[0]))
		for i, id := range cols[0] {
			fr.truth[id] = cols[1][i]
		}
	}
	return fr
}

func (fr *fullRunner) close() { os.RemoveAll(fr.dir) }

// run runs `limpide synthesize` once, as run r, through the launcher exe
// (see launched).
func (fr *fullRunner) run(exe string, k, r int) map[string]any {
	outDir := filepath.Join(fr.dir, fmt.Sprint("out", r))
	t0 := time.Now()
	_, stderr, peak, err := launched(exe, fr.exe, "synthesize", "--input", fr.input, "--k", fmt.Sprint(k), "--out", outDir, "--timings")
	if err != nil {
		log.Fatalf("limpide synthesize: %v\n%s", err, stderr)
	}
	wall := time.Since(t0).Seconds()
	res := map[string]any{"total_s": wall, "peak_rss_mb": peak}
	stages, stagesCPU := map[string]float64{}, map[string]float64{}
	for _, line := range strings.Split(string(stderr), "\n") {
		// "timing NAME WALL s  cpu CPU s  gc SHARE%  peak RSS MB"; a name
		// may hold a space, and the parts after the wall time are there
		// where the system and the runtime tell them.
		f := strings.Fields(line)
		if len(f) < 4 || f[0] != "timing" {
			continue
		}
		i := 1
		for i < len(f) && !isNumber(f[i]) {
			i++
		}
		if i == 1 || i+1 >= len(f) || f[i+1] != "s" {
			continue
		}
		name := strings.Join(f[1:i], " ")
		stages[name], _ = strconv.ParseFloat(f[i], 64)
		if i+4 < len(f) && f[i+2] == "cpu" && f[i+4] == "s" {
			stagesCPU[name], _ = strconv.ParseFloat(f[i+3], 64)
		}
	}
	res["stages"], res["stages_cpu"] = stages, stagesCPU
	res["load_s"] = stages["read"] + stages["prepare"]
	res["vectorize_s"] = stages["duplicates"] + stages["vectorize"]
	res["cluster_s"] = stages["choose_k"] + stages["cluster"]
	res["report_s"] = stages["explain"] + stages["stability"] + stages["themes"] + stages["open outputs"] + stages["report"]
	if fr.truth != nil {
		nmi, ari := scoreAssignments(filepath.Join(outDir, "assignments.csv"), fr.truth)
		res["nmi"], res["ari"] = nmi, ari
	}
	res["outputs"] = outputSizes(outDir)
	fmt.Fprintf(os.Stderr, "limpide synthesize run %d: %.2f s, %.0f MB, stages %v\n", r+1, wall, res["peak_rss_mb"], stages)
	os.RemoveAll(outDir)
	return res
}

// scoreAssignments compares the theme of every contribution (an outlier's
// nearest theme, a duplicate's canonical's theme; none for an excluded
// one) with its label.
func scoreAssignments(path string, truth map[string]string) (nmi, ari float64) {
	cols, err := shareddata.ReadCSV(path, "id", "theme")
	if err != nil {
		log.Fatal(err)
	}
	themes := map[string]int{}
	var labels []string
	var pred []int
	for i, id := range cols[0] {
		t, ok := themes[cols[1][i]]
		if !ok {
			t = len(themes)
			themes[cols[1][i]] = t
		}
		l, ok := truth[id]
		if !ok {
			log.Fatalf("%s: contribution %q has no label", path, id)
		}
		labels = append(labels, l)
		pred = append(pred, t)
	}
	return cluster.NMI(labels, pred), cluster.ARI(labels, pred)
}

// outputSizes lists the files of a report folder with their sizes.
func outputSizes(dir string) string {
	var parts []string
	var partsSize int64
	var partsCount int
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		if strings.HasPrefix(rel, "report.files") {
			partsSize += info.Size()
			partsCount++
			return nil
		}
		parts = append(parts, fmt.Sprintf("%s %.1f MB", rel, float64(info.Size())/1e6))
		return nil
	})
	if partsCount > 0 {
		parts = append(parts, fmt.Sprintf("report.files/ %d files, %.1f MB", partsCount, float64(partsSize)/1e6))
	}
	return strings.Join(parts, ", ")
}

// stageLine gives the median of each stage of the full report runs rs,
// from their field key: "stages" (wall time) or "stages_cpu".
func stageLine(rs []map[string]any, key string) string {
	var parts []string
	for _, name := range []string{"read", "prepare", "duplicates", "vectorize", "choose_k", "cluster", "explain", "stability", "themes", "open outputs", "report", "total"} {
		var xs []map[string]any
		for _, r := range rs {
			if v, ok := r[key].(map[string]float64)[name]; ok {
				xs = append(xs, map[string]any{"s": v})
			}
		}
		if len(xs) > 0 {
			parts = append(parts, fmt.Sprintf("%s %.2f", name, median(xs, "s")))
		}
	}
	return strings.Join(parts, " · ")
}

// runLimpide streams the CSV through the Vectorizer (the texts are not
// held once analysed), clusters, and prints one JSON line. Loading and
// vectorising overlap, so they are timed together as vectorize_s.
func runLimpide(input string, k int, label string) {
	t0 := time.Now()
	columns := []string{"text"}
	if label != "" {
		columns = append(columns, label)
	}
	keep := make([][]string, len(columns)-1)
	var readErr error
	v := cluster.NewVectorizer(nil, cluster.Config{})
	m, err := v.FitTransformSeq(shareddata.Stream(input, keep, &readErr, columns...))
	if readErr != nil {
		log.Fatal(readErr)
	}
	if err != nil {
		log.Fatal(err)
	}
	t2 := time.Now()
	res, err := cluster.KMeans(context.Background(), m, k, cluster.Config{})
	if err != nil {
		log.Fatal(err)
	}
	t3 := time.Now()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	out := map[string]any{
		"docs": m.Rows, "terms": m.Cols, "nnz": m.NNZ(), "k": k, "algorithm": res.Algorithm.String(),
		"iterations": res.Iterations, "load_s": 0.0, "vectorize_s": t2.Sub(t0).Seconds(),
		"cluster_s": t3.Sub(t2).Seconds(), "total_s": t3.Sub(t0).Seconds(),
		"peak_rss_mb": float64(ru.Maxrss) / 1024, "gomaxprocs": runtime.GOMAXPROCS(0),
	}
	if label != "" {
		out["nmi"] = cluster.NMI(keep[0], res.Labels)
		out["ari"] = cluster.ARI(keep[0], res.Labels)
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}

func decode(b []byte) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(b), &m); err != nil {
		log.Fatalf("bad JSON %q: %v", b, err)
	}
	return m
}

func median(rs []map[string]any, key string) float64 {
	var xs []float64
	for _, r := range rs {
		if x, ok := r[key].(float64); ok {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

func row(name string, rs []map[string]any) []string {
	return []string{name,
		fmt.Sprintf("%.2f", median(rs, "load_s")), fmt.Sprintf("%.2f", median(rs, "vectorize_s")),
		fmt.Sprintf("%.2f", median(rs, "cluster_s")), dash(median(rs, "report_s")), fmt.Sprintf("%.2f", median(rs, "total_s")),
		fmt.Sprintf("%.0f", median(rs, "peak_rss_mb")), fmt.Sprintf("%.4f", median(rs, "nmi")),
		fmt.Sprintf("%.4f", median(rs, "ari"))}
}

func dash(x float64) string {
	if x == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}

func printTable(t [][]string) {
	widths := make([]int, len(t[0]))
	for _, r := range t {
		for i, c := range r {
			widths[i] = max(widths[i], len(c))
		}
	}
	for ri, r := range t {
		var b strings.Builder
		for i, c := range r {
			fmt.Fprintf(&b, "| %-*s ", widths[i], c)
		}
		fmt.Println(b.String() + "|")
		if ri == 0 {
			var sep strings.Builder
			for _, w := range widths {
				sep.WriteString("|" + strings.Repeat("-", w+2))
			}
			fmt.Println(sep.String() + "|")
		}
	}
}

// plainCSV returns a path to the uncompressed CSV, unpacking a .gz input
// into the temporary folder once.
func plainCSV(path string) string {
	if !strings.HasSuffix(path, ".gz") {
		return path
	}
	out := filepath.Join(os.TempDir(), "limpide-bench-"+strings.TrimSuffix(filepath.Base(path), ".gz"))
	if _, err := os.Stat(out); err == nil {
		return out
	}
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	tmp := out + ".part"
	w, err := os.Create(tmp)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(w, gz); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(tmp, out); err != nil {
		log.Fatal(err)
	}
	return out
}

// isNumber tells whether s is a decimal number.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
