package topn

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// First gives what sorting gives, for every n, whether it selects or
// sorts, with many equal keys told apart by the tie-break.
func TestFirstMatchesSort(t *testing.T) {
	type item struct{ key, id int }
	rng := rand.New(rand.NewPCG(5, 6))
	items := make([]item, 2000)
	for i := range items {
		items[i] = item{rng.IntN(30), i}
	}
	before := func(a, b item) bool {
		if a.key != b.key {
			return a.key > b.key
		}
		return a.id < b.id
	}
	want := slices.Clone(items)
	slices.SortFunc(want, func(a, b item) int {
		if c := cmp.Compare(b.key, a.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	orig := slices.Clone(items)
	for _, n := range []int{-1, 0, 1, 2, 5, 15, 16, 17, 100, len(items), len(items) + 1} {
		got := First(items, n, before)
		require.Equal(t, want[:max(0, min(n, len(items)))], got, "n=%d", n)
	}
	assert.Equal(t, orig, items, "items unchanged")
	assert.Empty(t, First([]item(nil), 5, before))
}

// FirstOf over a sequence picks what sorting the same items gives,
// whether it selects or sorts. (First calls FirstOf: the reference is a
// sort, not First.)
func TestFirstOfMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	weights := make([]float64, 3000)
	for i := range weights {
		if rng.IntN(3) > 0 { // a third are left out, as zero weights are
			weights[i] = float64(rng.IntN(40))
		}
	}
	before := func(a, b int) bool {
		if weights[a] != weights[b] {
			return weights[a] > weights[b]
		}
		return a < b
	}
	var listed []int
	for i, w := range weights {
		if w > 0 {
			listed = append(listed, i)
		}
	}
	positive := func(yield func(int) bool) {
		for i, w := range weights {
			if w > 0 && !yield(i) {
				return
			}
		}
	}
	want := slices.Clone(listed)
	slices.SortFunc(want, func(a, b int) int {
		if c := cmp.Compare(weights[b], weights[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, n := range []int{-1, 0, 1, 15, 16, 17, 200, len(listed), len(listed) + 5} {
		require.Equal(t, want[:max(0, min(n, len(want)))], FirstOf(positive, n, before), "n=%d", n)
	}
}
