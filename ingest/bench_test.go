package ingest

import (
	"testing"

	"github.com/limpide/limpide/internal/shareddata"
)

// BenchmarkReadScale reads the 429,112-answer scale corpus (.csv.gz) as
// the command does, parsing it as it is inflated. With encoding/csv,
// which made a string of every record: 277-298 ms, 198-199 MB and 429,324
// allocations a read; with the record reader, which keeps the fields in a
// reused buffer and copies those kept into the arena, and the UTF-8 check
// on the parsing side: 233-238 ms, 121-126 MB and 215 allocations (three
// runs of five reads each, alternating).
func BenchmarkReadScale(b *testing.B) {
	path, err := shareddata.Path("granddebat_scale.csv.gz")
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := ReadFile(path, Config{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Contributions) != 429112 {
			b.Fatalf("%d contributions, want 429112", len(res.Contributions))
		}
	}
}
