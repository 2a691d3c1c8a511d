//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// processUsage returns the user and system CPU time the process has used
// and its peak resident memory so far, in bytes.
func processUsage() (cpu time.Duration, peakRSS int64, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, false
	}
	peakRSS = int64(ru.Maxrss) // kilobytes, but bytes on macOS
	if runtime.GOOS != "darwin" && runtime.GOOS != "ios" {
		peakRSS *= 1024
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), peakRSS, true
}
