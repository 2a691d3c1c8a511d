// Package topn picks the first few items of a list in a given order
// without sorting the whole list: a theme's five representatives among
// its thousands of texts, its fifteen terms among the vocabulary.
package topn

import "slices"

// selectMax is the largest n First picks in one pass; above it, the
// items are sorted.
const selectMax = 16

// First returns the first n items (all of them when fewer) in the order
// before gives, a strict total order: before(a, b) reports whether a comes
// first, and two different items always have an order. For n up to 16 it
// keeps the best so far in one pass over items; above, it sorts a copy.
// items is not changed.
func First[T any](items []T, n int, before func(a, b T) bool) []T {
	n = max(0, min(n, len(items)))
	if n > selectMax {
		sorted := slices.Clone(items)
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
	for _, x := range items {
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
