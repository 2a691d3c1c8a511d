package synthesis

import (
	"context"
	"io"
	"testing"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/ingest"
	"github.com/limpide/limpide/internal/shareddata"
)

// BenchmarkWriteJSON gives every contribution of the 429,112-answer scale
// corpus (k = 51) to a JSONWriter that writes to io.Discard, through Each
// and through EachBatch, and reports the bytes each allocates (the
// synthesis itself is made once, before).
func BenchmarkWriteJSON(b *testing.B) {
	path, err := shareddata.Path("granddebat_scale.csv.gz")
	if err != nil {
		b.Skip(err)
	}
	res, err := ingest.ReadFile(path, ingest.Config{})
	if err != nil {
		b.Fatal(err)
	}
	syn, err := Synthesize(context.Background(), res.Contributions, Config{Cluster: cluster.Config{K: 51}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("Each", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jw, err := NewJSONWriter(io.Discard, syn.Report())
			if err != nil {
				b.Fatal(err)
			}
			if err := syn.Each(ctx, func(_ *Contribution, out *ContributionResult) error { return jw.Add(out) }); err != nil {
				b.Fatal(err)
			}
			jw.Close()
		}
	})
	b.Run("EachBatch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jw, err := NewJSONWriter(io.Discard, syn.Report())
			if err != nil {
				b.Fatal(err)
			}
			err = syn.EachBatch(ctx, func(batch *Batch) error {
				defer batch.Release()
				for k := range batch.Out {
					if err := jw.Add(&batch.Out[k]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			jw.Close()
		}
	})
}
