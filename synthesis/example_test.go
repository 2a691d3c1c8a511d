package synthesis_test

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/synthesis"
)

func Example() {
	in := []synthesis.Contribution{
		{ID: "c1", Text: "Baisser les impôts et la taxe foncière."},
		{ID: "c2", Text: "Les impôts et les taxes sont trop lourds."},
		{ID: "c3", Text: "Développer les transports en commun et le train."},
		{ID: "c4", Text: "Plus de trains et de transports en commun !"},
		{ID: "c5", Text: "PLUS DE TRAINS ET DE TRANSPORTS EN COMMUN"},
		{ID: "c6", Text: "   "},
	}
	rep, err := synthesis.Run(context.Background(), in, synthesis.Config{Cluster: cluster.Config{K: 2, MaxDF: 1}})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", rep.Accounting)
	for _, th := range rep.Themes {
		fmt.Println(th.ID, th.Label, th.Members)
	}
	for _, c := range rep.Contributions {
		switch c.Status {
		case synthesis.StatusDuplicate:
			fmt.Printf("%s: duplicate of %s, in %s\n", c.ID, c.Canonical, c.Theme)
		case synthesis.StatusExcluded:
			fmt.Printf("%s: excluded (%s)\n", c.ID, c.Reason)
		default:
			fmt.Printf("%s: %s to %s, similarity %.3f, runner-up %s\n", c.ID, c.Status, c.Theme, c.Similarity, c.RunnerUp)
		}
	}
	e := rep.Contributions[0].Evidence[0]
	fmt.Printf("c1: %q at %v, %.3f of %.3f\n", e.Form, e.Spans, e.Contribution, rep.Contributions[0].Similarity)
	// Output:
	// {Input:6 Assigned:4 Outlier:0 Duplicate:1 Excluded:1}
	// T01 commun · train · transports [c3 c4 c5]
	// T02 impôts · taxe [c1 c2]
	// c1: assigned to T02, similarity 1.000, runner-up T01
	// c2: assigned to T02, similarity 1.000, runner-up T01
	// c3: assigned to T01, similarity 1.000, runner-up T02
	// c4: assigned to T01, similarity 1.000, runner-up T02
	// c5: duplicate of c4, in T01
	// c6: excluded (empty)
	// c1: "impôts" at [[12 19]], 0.500 of 1.000
}

// A large consultation is written as it is explained: Synthesize settles
// the themes, and Each gives the contributions one by one, here to a
// report.json that is never held whole in memory.
func ExampleSynthesize() {
	in := []synthesis.Contribution{
		{ID: "c1", Text: "Baisser les impôts et la taxe foncière."},
		{ID: "c2", Text: "Les impôts et les taxes sont trop lourds."},
		{ID: "c3", Text: "Développer les transports en commun et le train."},
		{ID: "c4", Text: "Plus de trains et de transports en commun !"},
	}
	ctx := context.Background()
	syn, err := synthesis.Synthesize(ctx, in, synthesis.Config{Cluster: cluster.Config{K: 2, MaxDF: 1}})
	if err != nil {
		panic(err)
	}
	var out bytes.Buffer // a file, in practice
	jw, err := synthesis.NewJSONWriter(&out, syn.Report())
	if err != nil {
		panic(err)
	}
	err = syn.Each(ctx, func(c *synthesis.Contribution, r *synthesis.ContributionResult) error {
		fmt.Printf("%s %s %s (%d bytes of text)\n", r.ID, r.Status, r.Theme, len(c.Text))
		return jw.Add(r)
	})
	if err != nil {
		panic(err)
	}
	if err := jw.Close(); err != nil {
		panic(err)
	}
	rep, err := synthesis.ReadJSON(&out)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(rep.Contributions), "contributions in report.json")
	// Output:
	// c1 assigned T01 (41 bytes of text)
	// c2 assigned T01 (42 bytes of text)
	// c3 assigned T02 (49 bytes of text)
	// c4 assigned T02 (43 bytes of text)
	// 4 contributions in report.json
}

// A writer that forgets each entry once it is written takes the
// contributions in batches and releases each batch when it is done with
// it, so that explaining a million contributions reuses the memory of a
// few batches.
func ExampleSynthesis_EachBatch() {
	in := []synthesis.Contribution{
		{ID: "c1", Text: "Baisser les impôts et la taxe foncière."},
		{ID: "c2", Text: "Les impôts et les taxes sont trop lourds."},
		{ID: "c3", Text: "Développer les transports en commun et le train."},
		{ID: "c4", Text: "Plus de trains et de transports en commun !"},
	}
	ctx := context.Background()
	syn, err := synthesis.Synthesize(ctx, in, synthesis.Config{Cluster: cluster.Config{K: 2, MaxDF: 1}})
	if err != nil {
		panic(err)
	}
	jw, err := synthesis.NewJSONWriter(io.Discard, syn.Report()) // a file, in practice
	if err != nil {
		panic(err)
	}
	err = syn.EachBatch(ctx, func(b *synthesis.Batch) error {
		defer b.Release() // b.Out and its evidence are not read after this
		for k := range b.Out {
			r := &b.Out[k]
			fmt.Printf("%s %s, first evidence %q\n", r.ID, r.Theme, r.Evidence[0].Form)
			if err := jw.Add(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	if err := jw.Close(); err != nil {
		panic(err)
	}
	// Output:
	// c1 T01, first evidence "impôts"
	// c2 T01, first evidence "impôts"
	// c3 T02, first evidence "commun"
	// c4 T02, first evidence "commun"
}
