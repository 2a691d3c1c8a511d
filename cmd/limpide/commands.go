package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/ingest"
	"github.com/limpide/limpide/internal/jsonenc"
	"github.com/limpide/limpide/report"
	"github.com/limpide/limpide/synthesis"
)

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// inputFlags are the flags that say how to read contributions.
type inputFlags struct {
	input, format, encoding, preset, idColumn, delimiter string
	textColumns, metaColumns, questions                  listFlag
	maxInput                                             int64
	maxText                                              int
}

func (f *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.input, "input", "", "contributions: `FILE` .csv, .csv.gz, .tsv, .json or .jsonl")
	fs.StringVar(&f.format, "format", "", "input format: csv, json or jsonl (default: from the file name)")
	fs.StringVar(&f.encoding, "encoding", "", "input encoding: utf-8, iso-8859-1 or windows-1252 (default: detected)")
	fs.StringVar(&f.delimiter, "delimiter", "", "CSV delimiter: , ; or tab (default: detected)")
	fs.StringVar(&f.preset, "preset", "", "export preset: capcollectif, decidim or consul")
	fs.StringVar(&f.idColumn, "id-column", "", "id column (default id)")
	fs.Var(&f.textColumns, "text-column", "text column, repeatable (default text)")
	fs.Var(&f.metaColumns, "meta-column", "column copied to the report, repeatable")
	fs.Var(&f.questions, "question", "capcollectif: question to read (Q169, or its column id), repeatable (default all)")
	fs.Int64Var(&f.maxInput, "max-input-bytes", 0, "refuse inputs larger than this once decompressed (default 2 GiB)")
	fs.IntVar(&f.maxText, "max-text-bytes", 0, "reject contributions longer than this (default 1 MiB)")
}

func (f *inputFlags) config() (ingest.Config, error) {
	cfg := ingest.Config{Format: ingest.Format(f.format), Encoding: f.encoding, Preset: f.preset, IDColumn: f.idColumn,
		TextColumns: f.textColumns, MetaColumns: f.metaColumns, Questions: f.questions,
		MaxInputBytes: f.maxInput, MaxTextBytes: f.maxText}
	switch f.delimiter {
	case "":
	case "tab", `\t`, "\t":
		cfg.Delimiter = '\t'
	case ",", ";", "|":
		cfg.Delimiter = rune(f.delimiter[0])
	default:
		return cfg, fmt.Errorf("--delimiter %q: want , ; | or tab", f.delimiter)
	}
	return cfg, nil
}

// read ingests the input and says on stderr what was read and rejected.
func (f *inputFlags) read(stderr io.Writer) (*ingest.Result, error) {
	if f.input == "" {
		return nil, usageErr("--input FILE is required")
	}
	cfg, err := f.config()
	if err != nil {
		return nil, usageErr("%v", err)
	}
	memoryPacer.setFloor(ingest.SizeHint(f.input))
	res, err := ingest.ReadFile(f.input, cfg)
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	skipped := 0
	for _, n := range res.Skipped {
		skipped += n
	}
	fmt.Fprintf(stderr, "read %s: %d rows → %d contributions, %d rejected, %d skipped (%s)\n",
		f.input, res.Rows, len(res.Contributions), len(res.Rejects), skipped, describeSkipped(res.Skipped))
	for i, r := range res.Rejects {
		if i == 5 {
			fmt.Fprintf(stderr, "  … %d more rejects (all of them go to rejects.csv)\n", len(res.Rejects)-5)
			break
		}
		fmt.Fprintf(stderr, "  rejected %s:%d: %s\n", f.input, r.Line, r.Reason)
	}
	if len(res.Contributions) == 0 {
		return nil, &exitError{code: 2, err: fmt.Errorf("%s: no contribution could be read (%d rows, %d rejected)", f.input, res.Rows, len(res.Rejects))}
	}
	return res, nil
}

func describeSkipped(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]int) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0, err: errHelp}
		}
		return &exitError{code: 2, err: errHelp}
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	return nil
}

// signalContext is cancelled on interrupt, so that a long run stops cleanly.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// progress returns a synthesis progress callback that draws a bar on
// stderr when stderr is a terminal, and nothing otherwise.
func progress(stderr io.Writer) (func(synthesis.Progress), func()) {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	stage := ""
	names := map[string]string{"duplicates": "doublons", "vectorize": "analyse", "choose_k": "choix de k",
		"cluster": "classification", "explain": "explications", "stability": "stabilité", "themes": "thèmes", "open outputs": "sorties", "report": "écriture", "verify": "vérification"}
	finish := func() {
		if bar != nil {
			bar.Finish()
			fmt.Fprintln(stderr)
		}
	}
	return func(p synthesis.Progress) {
		if p.Stage != stage {
			finish()
			stage = p.Stage
			bar = progressbar.NewOptions(max(p.Total, 1), progressbar.OptionSetWriter(stderr),
				progressbar.OptionSetDescription(fmt.Sprintf("%-15s", names[p.Stage])),
				progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100_000_000))
		}
		bar.ChangeMax(max(p.Total, 1))
		bar.Set(p.Done)
	}, finish
}

// releaseEachStage returns next (which may be nil) followed, at the
// start of each stage, by a collection that gives the memory the stages
// before no longer use back to the system (debug.FreeOSMemory: some tens
// of milliseconds each). Each stage holds different arrays: without it,
// what one stage freed stays in the process, counted in its resident
// size, while the next allocates its own.
func releaseEachStage(next func(synthesis.Progress)) func(synthesis.Progress) {
	stage := ""
	return func(p synthesis.Progress) {
		if next != nil {
			next(p)
		}
		if p.Stage != stage {
			stage = p.Stage
			debug.FreeOSMemory()
		}
	}
}

func synthesize(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("synthesize", "limpide synthesize --input FILE [input flags] [--k N|auto] [--seed N] [--out DIR]", stderr)
	var in inputFlags
	in.register(fs)
	k := fs.String("k", "auto", "number of themes, or auto (chosen by silhouette)")
	seed := fs.Uint64("seed", 0, "seed of every random choice (default 20190115)")
	out := fs.String("out", "limpide-out", "output `DIR`: report.json, report.html, report.md, assignments.csv, contributions.jsonl, rejects.csv")
	outlier := fs.Float64("outlier-threshold", 0, "similarity under which a contribution is an outlier (default 0.05; negative: none)")
	stability := fs.Int("stability-runs", 0, "reruns with other seeds to measure stability (default 5; negative: none)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile (pprof) of the run to `FILE`")
	timings := fs.Bool("timings", false, "print each stage's wall time, CPU time, garbage collection share and the peak memory so far on stderr")
	singleHTML := fs.Bool("single-html", false, fmt.Sprintf("write report.html as one self-contained file even above %d contributions (by default their members go to report.files/)", report.SplitAbove))
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg := synthesis.Config{Cluster: cluster.Config{Seed: *seed}, OutlierThreshold: *outlier, StabilityRuns: *stability}
	if *k != "auto" {
		n, err := strconv.Atoi(*k)
		if err != nil || n < 1 {
			return usageErr("--k %q: want a positive number or auto", *k)
		}
		cfg.Cluster.K = n
	}
	start := time.Now()
	res, err := in.read(stderr)
	if err != nil {
		return err
	}
	cfg.Source = res.Source
	ctx, stop := signalContext()
	defer stop()
	var done func()
	cfg.Progress, done = progress(stderr)
	if *timings {
		clock := newStageClock(stderr, start)
		// Checking the ids' order comes before the first stage the
		// synthesis reports (the texts are hashed beside the
		// duplicates).
		clock.mark("prepare")
		bar := cfg.Progress
		cfg.Progress = func(p synthesis.Progress) {
			clock.mark(p.Stage)
			if bar != nil {
				bar(p)
			}
		}
		defer clock.mark("")
	}
	if releaseStages {
		cfg.Progress = releaseEachStage(cfg.Progress)
	}
	syn, err := synthesis.Synthesize(ctx, res.Contributions, cfg)
	if err != nil {
		done()
		var ie *synthesis.InputError
		if errors.As(err, &ie) {
			return &exitError{code: 2, err: err}
		}
		var few *cluster.ErrTooFewRows
		if errors.As(err, &few) {
			return &exitError{code: 2, err: fmt.Errorf("%v: ask for fewer themes with --k, or --k auto", err)}
		}
		return err
	}
	// The synthesis holds the contributions in id order (the slice read,
	// when the file is in id order; a sorted copy otherwise): the read
	// order's slice is not needed here any more.
	res.Contributions = nil
	rep := syn.Report()
	if cfg.Progress != nil {
		cfg.Progress(synthesis.Progress{Stage: "open outputs"})
	}
	split := rep.Accounting.Input > report.SplitAbove && !*singleHTML
	err = writeOutputs(ctx, *out, syn, res, split)
	done()
	if err != nil {
		return err
	}
	a := rep.Accounting
	fmt.Fprintf(stdout, "%d contributions → %d themes (k: %s) · assigned %d · outliers %d · duplicates %d · excluded %d\n",
		a.Input, len(rep.Themes), rep.Manifest.KSelection.Method, a.Assigned, a.Outlier, a.Duplicate, a.Excluded)
	if ks := rep.Manifest.KSelection; ks.Requested > 0 {
		fmt.Fprintf(stdout, "note: %d themes were asked for, but there are only %d distinct texts with terms: %d themes\n", ks.Requested, ks.Chosen, ks.Chosen)
	}
	for _, t := range rep.Themes {
		fmt.Fprintf(stdout, "  %s %6d  %5.1f%%  %s\n", t.ID, t.Size, 100*t.Share, t.Label)
	}
	fmt.Fprintf(stdout, "wrote %s/{report.json,report.html,report.md,assignments.csv,contributions.jsonl}", *out)
	if split {
		fmt.Fprintf(stdout, ", the theme members of report.html in %s/report.files/ (keep them beside it)", *out)
	}
	if len(res.Rejects) > 0 {
		fmt.Fprintf(stdout, " and %s/rejects.csv (%d rows)", *out, len(res.Rejects))
	}
	fmt.Fprintln(stdout)
	return nil
}

// stageClock prints, for --timings, each stage's wall time, the CPU time
// the process spent in it (user and system, where the system tells it)
// and the garbage collector's share of that CPU time, as the Go runtime
// estimates it (its estimate moves at the end of each collection, so a
// stage's share counts up to its last collection; a stage that saw none
// shows no share). The CPU time shows how much of the machine's cores a
// stage keeps busy; the collector's share, what GOGC trades for memory.
type stageClock struct {
	w     io.Writer
	stage string
	since time.Time
	start time.Time
	at    cpuSample // at since
	first cpuSample // at start
}

// newStageClock starts the clock in the stage "read", at start. The CPU
// time of the first stage counts from the process's start: what ran
// before start (reading the flags) takes a few milliseconds.
func newStageClock(w io.Writer, start time.Time) *stageClock {
	// Zero CPU time at the process's start, in every count.
	var first cpuSample
	_, _, first.osOK = processUsage()
	return &stageClock{w: w, stage: "read", since: start, start: start, at: first, first: first}
}

// mark ends the current stage when stage differs from it ("" ends the
// last one and prints the total).
func (c *stageClock) mark(stage string) {
	if stage == c.stage {
		return
	}
	now, at := time.Now(), sampleCPU()
	if c.stage != "" {
		c.print(c.stage, now.Sub(c.since), c.at, at)
	}
	if stage == "" {
		c.print("total", now.Sub(c.start), c.first, at)
	}
	c.stage, c.since, c.at = stage, now, at
}

// print writes one line: "timing NAME WALL s", then, where known,
// "cpu CPU s", "gc SHARE%" and "peak RSS MB", the process's peak resident
// memory so far (the stage whose line shows it grow raised it).
func (c *stageClock) print(name string, wall time.Duration, from, to cpuSample) {
	line := fmt.Sprintf("timing %-12s %7.2f s", name, wall.Seconds())
	if from.osOK && to.osOK {
		line += fmt.Sprintf("  cpu %7.2f s", (to.os - from.os).Seconds())
	}
	if busy := to.busy - from.busy; busy > 0 {
		line += fmt.Sprintf("  gc %3.0f%%", 100*(to.gc-from.gc)/busy)
	}
	if to.osOK {
		// In mebibytes, as the bench and its peer count peak memory.
		line += fmt.Sprintf("  peak %5.0f MB", float64(to.peakRSS)/(1<<20))
	}
	fmt.Fprintln(c.w, line)
}

// cpuSample is the CPU time a process has used: as the system counts it
// (os, when osOK, with the peak resident memory so far), and as the Go
// runtime estimates it, busy (user code and runtime, idle time left out)
// and gc (the collector's part of busy).
type cpuSample struct {
	os       time.Duration
	peakRSS  int64 // bytes
	osOK     bool
	busy, gc float64
}

// cpuMetrics are the runtime/metrics sampleCPU reads: total, idle, gc.
var cpuMetrics = []string{"/cpu/classes/total:cpu-seconds", "/cpu/classes/idle:cpu-seconds", "/cpu/classes/gc/total:cpu-seconds"}

func sampleCPU() cpuSample {
	var c cpuSample
	c.os, c.peakRSS, c.osOK = processUsage()
	ms := make([]metrics.Sample, len(cpuMetrics))
	for i, name := range cpuMetrics {
		ms[i].Name = name
	}
	metrics.Read(ms)
	if ms[0].Value.Kind() == metrics.KindFloat64 && ms[1].Value.Kind() == metrics.KindFloat64 && ms[2].Value.Kind() == metrics.KindFloat64 {
		c.busy = ms[0].Value.Float64() - ms[1].Value.Float64()
		c.gc = ms[2].Value.Float64()
	}
	return c
}

// writeOutputs writes every output file in one pass over the
// contributions, explained as they are written: report.json, report.html
// (with report.files/, the members of each theme, when split), report.md,
// assignments.csv,
// contributions.jsonl and rejects.csv when there are rejects. Each file
// is written to a temporary name in DIR and renamed into place once all
// are complete, so an interrupted run leaves the earlier outputs whole.
func writeOutputs(ctx context.Context, dir string, syn *synthesis.Synthesis, res *ingest.Result, split bool) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	header := syn.Report()
	var files []*pendingFile
	defer func() {
		for _, f := range files {
			f.abort()
		}
	}()
	create := func(path string) (*pendingFile, error) {
		f, err := newPendingFile(path)
		if err == nil {
			files = append(files, f)
		}
		return f, err
	}
	var outs [5]*pendingFile
	for k, name := range []string{"report.json", "report.html", "assignments.csv", "contributions.jsonl", "report.md"} {
		if outs[k], err = create(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	jsonFile, htmlFile, csvFile, textsFile, mdFile := outs[0], outs[1], outs[2], outs[3], outs[4]
	if err := report.WriteMarkdown(mdFile, header); err != nil {
		return err
	}
	partsDir := filepath.Join(dir, "report.files")
	var partsTmp string
	var opt report.HTMLOptions
	if split {
		partsTmp, err = os.MkdirTemp(dir, ".report.files.*.tmp")
		if err != nil {
			return err
		}
		defer os.RemoveAll(partsTmp)
		opt = report.HTMLOptions{PartDir: "report.files", Part: func(name string) (io.WriteCloser, error) {
			return os.Create(filepath.Join(partsTmp, name))
		}}
	}
	// The writers are given the files' own buffers, which are larger than
	// those they would make: they write into them rather than through
	// buffers of their own, and the bytes are copied once, not twice.
	jw, err := synthesis.NewJSONWriter(jsonFile.Writer, header)
	if err != nil {
		return err
	}
	hw, err := report.NewHTMLWriter(htmlFile.Writer, header, opt)
	if err != nil {
		return err
	}
	aw, err := report.NewAssignmentsWriter(csvFile.Writer)
	if err != nil {
		return err
	}
	var line []byte
	// Each output is encoded on a goroutine of its own, fed batches of
	// explained contributions in id order, so that encoding keeps pace with
	// the explanation instead of waiting for it.
	sinks := []func(b *synthesis.Batch) error{
		func(b *synthesis.Batch) error {
			for k := range b.Out {
				if err := jw.Add(&b.Out[k]); err != nil {
					return err
				}
			}
			return nil
		},
		func(b *synthesis.Batch) error {
			for k := range b.Out {
				if err := hw.Add(&b.Out[k], b.In[k].Text); err != nil {
					return err
				}
			}
			return nil
		},
		func(b *synthesis.Batch) error {
			for k := range b.Out {
				if err := aw.Add(&b.Out[k]); err != nil {
					return err
				}
				line = appendTextLine(line[:0], &b.In[k])
				if _, err := textsFile.Write(line); err != nil {
					return err
				}
			}
			return nil
		},
	}
	if err := fanOut(ctx, syn, sinks); err != nil {
		return err
	}
	for _, close := range []func() error{jw.Close, hw.Close, aw.Close} {
		if err := close(); err != nil {
			return err
		}
	}
	if len(res.Rejects) > 0 {
		f, err := create(filepath.Join(dir, "rejects.csv"))
		if err != nil {
			return err
		}
		if err := writeRejects(f, res.Rejects); err != nil {
			return err
		}
	} else {
		os.Remove(filepath.Join(dir, "rejects.csv")) // from an earlier run
	}
	for _, f := range files {
		if err := f.finish(); err != nil {
			return fmt.Errorf("writing %s: %w", f.path, err)
		}
	}
	// The theme files of an earlier run go; this run's, if any, take
	// their place.
	if err := os.RemoveAll(partsDir); err != nil {
		return err
	}
	if partsTmp != "" {
		if err := os.Chmod(partsTmp, 0o755); err != nil {
			return err
		}
		if err := os.Rename(partsTmp, partsDir); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := f.commit(); err != nil {
			return err
		}
	}
	files = nil
	return nil
}

// appendTextLine appends the line of contributions.jsonl for c: the text
// exactly as analysed, {"id":…,"meta":…,"text":…}, the bytes
// encoding/json gives for that object.
func appendTextLine(b []byte, c *synthesis.Contribution) []byte {
	b = append(b, `{"id":`...)
	b = jsonenc.String(b, c.ID)
	b = append(b, `,"meta":`...)
	b = jsonenc.StringMap(b, c.Meta)
	b = append(b, `,"text":`...)
	b = jsonenc.String(b, c.Text)
	return append(b, "}\n"...)
}

// fanOut runs syn.EachBatch and gives every batch of contributions to
// each sink, in order, each sink on a goroutine of its own; the batch is
// released when the last sink is done with it. It returns the first error
// of EachBatch or of a sink.
func fanOut(ctx context.Context, syn *synthesis.Synthesis, sinks []func(*synthesis.Batch) error) error {
	chans := make([]chan *sharedBatch, len(sinks))
	errs := make([]error, len(sinks))
	var failed atomic.Bool
	var wg sync.WaitGroup
	for k := range sinks {
		chans[k] = make(chan *sharedBatch, 2)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range chans[k] {
				if errs[k] == nil {
					if errs[k] = sinks[k](b.Batch); errs[k] != nil {
						failed.Store(true)
					}
				}
				b.done()
			}
		}()
	}
	err := syn.EachBatch(ctx, func(b *synthesis.Batch) error {
		if failed.Load() {
			b.Release()
			return errors.New("an output failed")
		}
		sb := &sharedBatch{Batch: b}
		sb.holders.Store(int32(len(chans)))
		for _, ch := range chans {
			ch <- sb
		}
		return nil
	})
	for _, ch := range chans {
		close(ch)
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return err
}

// sharedBatch is a batch given to several sinks: the last to be done
// releases it.
type sharedBatch struct {
	*synthesis.Batch
	holders atomic.Int32
}

func (b *sharedBatch) done() {
	if b.holders.Add(-1) == 0 {
		b.Release()
	}
}

// pendingFile is an output written to a temporary file beside its path
// and renamed into place by commit.
type pendingFile struct {
	*bufio.Writer
	path string
	tmp  *os.File
}

// pendingBuffer is the size of a pendingFile's buffer, thus of its
// writes. Larger writes can cost the kernel more, not less: in one spell
// on the ext4 machine the figures were measured on, writing 387 MB
// (report.json's size on the 429,112 answers) in writes of 1 MiB took
// 0.10-0.55 s of CPU, half of eight runs near the top of that range, and
// in writes of 128 KiB 0.09-0.12 s; in another spell both took 0.09-0.12
// s (BenchmarkOutputWrites). Smaller writes were never the slower.
const pendingBuffer = 128 << 10

func newPendingFile(path string) (*pendingFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &pendingFile{Writer: bufio.NewWriterSize(tmp, pendingBuffer), path: path, tmp: tmp}, nil
}

// finish flushes and closes the temporary file.
func (f *pendingFile) finish() error {
	if err := f.Flush(); err != nil {
		return err
	}
	if err := f.tmp.Close(); err != nil {
		return err
	}
	return os.Chmod(f.tmp.Name(), 0o644)
}

// commit renames the temporary file into place. An earlier file at the
// path is first moved aside, and removed once the new one is in place
// (anything else there is left for the rename to refuse, as before):
// renamed over an existing file, a file on ext4 (mounted with
// auto_da_alloc, the default) has its data sent to the disk before the
// rename returns, which on the 429,112 answers kept the command waiting
// 0.15-0.25 s on the disk at its end, for report.json alone.
func (f *pendingFile) commit() error {
	aside := ""
	if fi, err := os.Lstat(f.path); err == nil && fi.Mode().IsRegular() {
		aside = f.tmp.Name() + ".old"
		if os.Rename(f.path, aside) != nil {
			aside = ""
		}
	}
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		if aside != "" {
			os.Rename(aside, f.path)
		}
		return err
	}
	if aside != "" {
		os.Remove(aside)
	}
	return nil
}

func (f *pendingFile) abort() {
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

func writeRejects(w io.Writer, rejects []ingest.Reject) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"line", "end_line", "id", "reason"})
	for _, r := range rejects {
		cw.Write([]string{strconv.Itoa(r.Line), strconv.Itoa(r.EndLine), report.NeutralizeCell(r.ID), report.NeutralizeCell(r.Reason)})
	}
	cw.Flush()
	return cw.Error()
}

// findInReport reads the head of a report.json and the entry of one
// contribution, without holding the report.
func findInReport(path, id string) (*synthesis.Report, *synthesis.ContributionResult, error) {
	if path == "" {
		return nil, nil, usageErr("--report DIR/report.json is required")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &exitError{code: 2, err: err}
	}
	defer f.Close()
	rep, c, err := synthesis.FindContribution(bufio.NewReaderSize(f, 1<<20), id)
	if err != nil {
		return nil, nil, &exitError{code: 2, err: fmt.Errorf("%s: not a limpide report: %w", path, err)}
	}
	return rep, c, nil
}

func verify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "limpide verify --report DIR/report.json --input FILE [input flags]", stderr)
	var in inputFlags
	in.register(fs)
	reportPath := fs.String("report", "", "the report to check: `DIR/report.json`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *reportPath == "" {
		return usageErr("--report DIR/report.json is required")
	}
	f, err := os.Open(*reportPath)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	defer f.Close()
	head, err := synthesis.ReadHeader(bufio.NewReader(f))
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("%s: not a limpide report: %w", *reportPath, err)}
	}
	res, err := in.read(stderr)
	if err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return &exitError{code: 2, err: err}
	}
	// The re-run is a whole synthesis: the same progress bar and memory
	// policy as synthesize. Its last stage hashes the re-run's encoding
	// rather than writing it: the bar calls it "vérification".
	bar, done := progress(stderr)
	if bar != nil {
		draw := bar
		bar = func(p synthesis.Progress) {
			if p.Stage == "report" {
				p.Stage = "verify"
			}
			draw(p)
		}
	}
	if releaseStages {
		bar = releaseEachStage(bar)
	}
	err = synthesis.VerifyJSONProgress(ctx, f, res.Contributions, bar)
	done()
	if err != nil {
		var m *synthesis.Mismatch
		if errors.As(err, &m) {
			fmt.Fprintln(stdout, "NOT VERIFIED:", m.Error())
			if hint := sourceHint(head.Manifest.Config.Source, res.Source); hint != "" {
				fmt.Fprintln(stdout, hint)
			}
			return &exitError{code: 1, err: errors.New("the report does not match its inputs")}
		}
		var se *synthesis.SchemaError
		var syntax *json.SyntaxError
		if errors.As(err, &se) || errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) {
			return &exitError{code: 2, err: fmt.Errorf("%s: not a limpide report: %w", *reportPath, err)}
		}
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintf(stdout, "verified: %s is the synthesis of %s (%d contributions, corpus sha256 %s)\n",
		*reportPath, in.input, head.Manifest.Corpus.Contributions, head.Manifest.Corpus.SHA256)
	return nil
}

func explainCmd(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("explain", "limpide explain --report DIR/report.json --id ID [--input FILE [input flags]]", stderr)
	var in inputFlags
	in.register(fs)
	reportPath := fs.String("report", "", "the report: `DIR/report.json`")
	id := fs.String("id", "", "the contribution to explain")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return usageErr("--id ID is required")
	}
	rep, c, err := findInReport(*reportPath, *id)
	if err != nil {
		return err
	}
	var text string
	var found bool
	if in.input != "" {
		res, err := in.read(stderr)
		if err != nil {
			return err
		}
		for _, c := range res.Contributions {
			if c.ID == *id {
				text, found = c.Text, true
			}
		}
	} else {
		text, found, err = textFromRun(filepath.Join(filepath.Dir(*reportPath), "contributions.jsonl"), *id)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%v (or give the contributions with --input)", err)}
		}
	}
	if c == nil {
		return usageErr("no contribution %q in %s", *id, *reportPath)
	}
	if !found {
		return usageErr("the text of %q is not among the contributions given", *id)
	}
	if synthesisSHA(text) != c.SHA256 {
		return &exitError{code: 2, err: fmt.Errorf("the text of %q differs from the one the report was made from (sha256)", *id)}
	}
	color := false
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		color = true
	}
	writeExplanation(stdout, rep, c, text, color)
	return nil
}

func textFromRun(path, id string) (string, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	// Lines are written {"id":…,…}: only the line of id is decoded.
	prefix := append(jsonenc.String([]byte(`{"id":`), id), ',')
	rd := bufio.NewReaderSize(f, 1<<20)
	for n := 1; ; n++ {
		line, err := rd.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 && (bytes.HasPrefix(line, prefix) || !bytes.HasPrefix(line, []byte(`{"id":`))) {
			var c struct{ ID, Text string }
			if err := json.Unmarshal(line, &c); err != nil {
				return "", false, fmt.Errorf("%s:%d: %w", path, n, err)
			}
			if c.ID == id {
				return c.Text, true, nil
			}
		}
		if err == io.EOF {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
	}
}

// sourceHint says how the report's inputs were read when this reading
// differs, the likeliest cause of a mismatch that is not tampering.
func sourceHint(report, now map[string]string) string {
	var diffs []string
	for _, k := range []string{"file", "format", "encoding", "delimiter", "preset", "id_column", "text_columns", "meta_columns", "questions", "html_stripped"} {
		if report[k] != now[k] {
			diffs = append(diffs, fmt.Sprintf("%s: report %q, now %q", k, report[k], now[k]))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return "hint: the report's inputs were read differently (" + strings.Join(diffs, "; ") + "); read them with the same flags as synthesize"
}
