package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkOutputWrites writes 387 MB, report.json's size on the 429,112
// answers, in records of 900 bytes through a 64 KiB buffer (JSONWriter's)
// into a file's buffer of the given size, as the command writes its
// outputs, to a temporary file deleted after each write: the kernel's
// cost of the writes depends on their size (pendingBuffer).
func BenchmarkOutputWrites(b *testing.B) {
	record := make([]byte, 900)
	for i := range record {
		record[i] = 'a' + byte(i%26)
	}
	for _, size := range []int{1 << 20, pendingBuffer} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "report.json")
			b.SetBytes(430_000 * int64(len(record)))
			for b.Loop() {
				f, err := os.Create(path)
				if err != nil {
					b.Fatal(err)
				}
				file := bufio.NewWriterSize(f, size)
				w := bufio.NewWriterSize(file, 1<<16)
				for range 430_000 {
					w.Write(record)
				}
				if err := w.Flush(); err != nil {
					b.Fatal(err)
				}
				if err := file.Flush(); err != nil {
					b.Fatal(err)
				}
				f.Close()
				os.Remove(path)
			}
		})
	}
}
