//go:build !linux

// The bench measures peak memory with getrusage, in the units Linux gives;
// elsewhere it says so instead of failing to build.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "bench: runs on Linux only (it reads peak memory from getrusage)")
	os.Exit(2)
}
