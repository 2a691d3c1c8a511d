// Command limpide synthesises French citizen contributions into themes that
// anyone can check, verifies a published synthesis against its inputs, and
// explains why a contribution is in its theme.
//
//	limpide synthesize --input FILE [--preset P] [--id-column C] [--text-column C]... [--k N|auto] [--seed N] --out DIR
//	limpide verify --report DIR/report.json --input FILE [same input flags]
//	limpide explain --report DIR/report.json --id ID
//
// Exit codes: 0 done (verify: the report matches), 1 verify found a
// difference (or an unexpected failure), 2 usage or input error.
//
// Memory: unless the environment sets GOGC or GOMEMLIMIT, the command
// paces Go's garbage collector by a memory limit that follows the largest
// heap GOGC=20 would allow (see pacer): the stages that hold less than the
// largest collect less often, and the peak stays where GOGC=20 puts it.
// GOGC in the environment replaces it (Go's default is 100: less time
// collecting, more memory). GOMEMLIMIT alone caps the heap at the cost of
// time: the command then runs the collector at GOGC=20 and, in a synthesis
// or its verification, gives the memory a stage freed back to the system
// when the next stage starts.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

const usage = `limpide — French consultation synthesis that anyone can check

Usage:
  limpide synthesize --input FILE [input flags] [--k N|auto] [--seed N] [--out DIR]
  limpide verify     --report DIR/report.json --input FILE [input flags]
  limpide explain    --report DIR/report.json --id ID [--input FILE [input flags]]

Run "limpide COMMAND --help" for the flags of a command.
`

// exitError carries an exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func usageErr(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

// gcPercent is the headroom over the live heap that the garbage
// collector is given when GOGC is not set. A synthesis holds the texts,
// their matrix and the report being written; Go's default (100) lets the
// heap grow to twice what is live before it collects. On the
// 429,112-answer scale corpus (some 180-190 MB live at the peaks), 20%
// headroom gives a peak RSS of 231-245 MiB, against 348-387 MiB at 100,
// which finishes up to 1.2 s sooner (of some 7-9 s). GOGC=30 gave about
// 260 MiB when the peaks held 12 MiB less. The pacer keeps that peak and
// gives the headroom the peak needed to the stages that hold less: 0.7 s
// sooner than GOGC=20, 0.4-0.9 s later than GOGC=100 (336-366 MiB).
const gcPercent = 20

// releaseStages is set when GOMEMLIMIT, but not GOGC, is in the
// environment: the collector then runs at gcPercent, and a synthesis, or
// the re-run of a verification, releases memory at each stage
// (releaseEachStage).
var releaseStages bool

func main() {
	switch {
	case os.Getenv("GOGC") != "":
	case os.Getenv("GOMEMLIMIT") != "":
		debug.SetGCPercent(gcPercent)
		releaseStages = true
	default:
		memoryPacer = startPacer()
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	var err error
	switch args[0] {
	case "synthesize", "synthesise":
		err = synthesize(args[1:], stdout, stderr)
	case "verify":
		err = verify(args[1:], stdout, stderr)
	case "explain":
		err = explainCmd(args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "limpide: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != errHelp {
			fmt.Fprintln(stderr, "limpide:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "limpide:", err)
	return 1
}

var errHelp = errors.New("help")
