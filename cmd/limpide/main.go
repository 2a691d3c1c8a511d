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
// Memory: unless the environment sets GOGC, the command runs Go's garbage
// collector at GOGC=20 and, in a synthesis or its verification, gives
// the memory a stage freed back to the system when the next stage starts.
// GOGC in the environment replaces both (Go's default is 100: less time
// collecting, more memory); GOMEMLIMIT caps the heap at the cost of time.
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

// gcPercent is the garbage collector's target when GOGC is not set. A
// synthesis holds the texts, their matrix and the report being written;
// Go's default (100) lets the heap grow to twice what is live before it
// collects. On the 429,112-answer scale corpus (some 180-190 MB live at
// the peaks), 20% headroom and a release at each stage (releaseStages)
// give a peak RSS of 231-245 MiB, against 348-387 MiB at 100 without
// them, which finishes up to 1.2 s sooner (of some 7-9 s). GOGC=30 with
// the releases gave about 260 MiB when the peaks held 12 MiB less.
const gcPercent = 20

// releaseStages is set when the command chose the collector's target
// (GOGC not set): a synthesis, or the re-run of a verification, then also
// releases memory at each stage (releaseEachStage).
var releaseStages bool

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
		releaseStages = true
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
