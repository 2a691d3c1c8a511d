//go:build !unix

package main

import "time"

// processUsage reports that the CPU time and peak memory are not known on
// this system: the timings show wall time and the collector's share only.
func processUsage() (cpu time.Duration, peakRSS int64, ok bool) { return 0, 0, false }
