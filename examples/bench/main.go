// Command bench measures limpide's vectorising and clustering on a CSV
// corpus and, when the peer script is present, runs the peer pipeline
// (scikit-learn TF-IDF + k-means with Snowball French) on the same file in
// the same run, then prints both side by side with ratios.
//
//	go run ./examples/bench -input ../shared/data/granddebat_scale.csv.gz -k 51 -label question_id
//
// Each side runs -runs times; the table gives medians. The peer runs in its
// own process (full KMeans and MiniBatchKMeans); a .gz input is unpacked to
// a temporary file for it, outside its timing.
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
	"strings"
	"syscall"
	"time"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/internal/shareddata"
)

func main() {
	log.SetFlags(0)
	input := flag.String("input", "", "CSV or CSV.gz file with a text column (default: the shared scale corpus)")
	k := flag.Int("k", 51, "number of themes")
	label := flag.String("label", "question_id", "ground-truth column for NMI/ARI (empty: none)")
	runs := flag.Int("runs", 3, "runs of each side; medians are reported")
	peer := flag.String("peer", "", "peer script (default: ../shared/bench/peer_sklearn.py beside the module)")
	python := flag.String("python", "/usr/bin/python3", "Python interpreter for the peer")
	noPeer := flag.Bool("no-peer", false, "do not run the peer")
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
	var ours []map[string]any
	for r := 0; r < *runs; r++ {
		out, err := exec.Command(exe, "-child", "-input", *input, "-k", fmt.Sprint(*k), "-label", *label).Output()
		if err != nil {
			log.Fatalf("limpide run: %v", err)
		}
		ours = append(ours, decode(out))
		fmt.Fprintf(os.Stderr, "limpide run %d: %s", r+1, out)
	}
	table := [][]string{{"pipeline", "load s", "vectorise s", "cluster s", "total s", "peak RSS MB", "NMI", "ARI"}}
	// limpide reads while it analyses: its load time is inside "vectorise s".
	table = append(table, row("limpide", ours))
	var peers = map[string][]map[string]any{}
	if !*noPeer {
		script := *peer
		if script == "" {
			dir, err := shareddata.Dir()
			if err == nil {
				script = filepath.Join(dir, "..", "bench", "peer_sklearn.py")
			}
		}
		if _, err := os.Stat(script); err != nil {
			fmt.Fprintf(os.Stderr, "peer script absent (%v): limpide alone\n", err)
		} else {
			csvPath := plainCSV(*input)
			for _, mode := range []string{"minibatch", "full"} {
				for r := 0; r < *runs; r++ {
					args := []string{script, csvPath, fmt.Sprint(*k)}
					if mode == "minibatch" {
						args = append(args, "--minibatch")
					}
					if *label != "" {
						args = append(args, "--label", *label)
					}
					out, err := exec.Command(*python, args...).Output()
					if err != nil {
						log.Fatalf("peer %s: %v", mode, err)
					}
					fmt.Fprintf(os.Stderr, "peer %s run %d: %s", mode, r+1, out)
					peers[mode] = append(peers[mode], decode(out))
				}
				table = append(table, row("sklearn "+mode, peers[mode]))
			}
		}
	}
	fmt.Printf("\n%s, k=%d, %d runs each, medians\n\n", filepath.Base(*input), *k, *runs)
	printTable(table)
	for _, mode := range []string{"minibatch", "full"} {
		if len(peers[mode]) == 0 {
			continue
		}
		fmt.Printf("\nlimpide vs sklearn %s: %.1f× faster (total), peak RSS %.2f of the peer's, NMI %+.4f\n", mode,
			median(peers[mode], "total_s")/median(ours, "total_s"),
			median(ours, "peak_rss_mb")/median(peers[mode], "peak_rss_mb"),
			median(ours, "nmi")-median(peers[mode], "nmi"))
	}
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
		fmt.Sprintf("%.2f", median(rs, "cluster_s")), fmt.Sprintf("%.2f", median(rs, "total_s")),
		fmt.Sprintf("%.0f", median(rs, "peak_rss_mb")), fmt.Sprintf("%.4f", median(rs, "nmi")),
		fmt.Sprintf("%.4f", median(rs, "ari"))}
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
