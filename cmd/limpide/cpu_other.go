//go:build !unix

package main

import "time"

// processCPU reports that the CPU time is not known on this system: the
// timings show wall time and the collector's share only.
func processCPU() (time.Duration, bool) { return 0, false }
