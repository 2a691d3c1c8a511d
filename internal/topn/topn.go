// Package topn picks the first few items of a list in a given order
// without sorting the whole list: a theme's five representatives among
// its thousands of texts, its fifteen terms among the vocabulary.
package topn

import (
	"iter"
	"slices"
)

// selectMax is the largest n First picks in one pass; above it, the
// items are sorted.
const selectMax = 16

// First returns the first n items (all of them when fewer) in the order
// before gives, a strict total order: before(a, b) reports whether a comes
// first, and two different items always have an order. For n up to 16 it
// keeps the best so far in one pass over items; above, it sorts a copy.
// items is not changed.
func First[T any](items []T, n int, before func(a, b T) bool) []T {
	return FirstOf(slices.Values(items), min(n, len(items)), before)
}

// FirstOf is First over the items seq yields, for lists that need not be
// made: the columns of a theme's positive weights, the canonical texts
// among its members. For n up to 16 nothing but the n kept items is
// allocated.
func FirstOf[T any](seq iter.Seq[T], n int, before func(a, b T) bool) []T {
	n = max(0, n)
	if n > selectMax {
		sorted := slices.Collect(seq)
		n = min(n, len(sorted))
		slices.SortFunc(sorted, func(a, b T) int {
			switch {
			case before(a, b):
				return -1
			case before(b, a):
				return 1
			}
			return 0
		})
		return sorted[:n]
	}
	top := make([]T, 0, n)
	if n == 0 {
		return top
	}
	for x := range seq {
		if len(top) == n {
			if !before(x, top[n-1]) {
				continue
			}
			top[n-1] = x
		} else {
			top = append(top, x)
		}
		for k := len(top) - 1; k > 0 && before(top[k], top[k-1]); k-- {
			top[k], top[k-1] = top[k-1], top[k]
		}
	}
	return top
}
