package tokenize

import "sort"

// Forms records which real words stand behind each stem, and how often, so
// that a theme can be labelled with the form people wrote most often
// ("fiscalité") rather than with a stem ("fiscal"). A form is a token's
// Norm: lowercased, accents and ligatures kept.
//
// The zero Forms is ready to use. Forms is not safe for concurrent use:
// give each goroutine its own and Merge them.
type Forms struct {
	byStem map[string]map[string]int
}

// FormCount is one form of a stem and its number of occurrences.
type FormCount struct {
	Form  string
	Count int
}

// Add records the forms of tokens.
func (f *Forms) Add(tokens []Token) {
	for i := range tokens {
		f.AddForm(tokens[i].Stem, tokens[i].Norm, 1)
	}
}

// AddForm records n occurrences of form under stem.
func (f *Forms) AddForm(stem, form string, n int) {
	if f.byStem == nil {
		f.byStem = make(map[string]map[string]int)
	}
	m := f.byStem[stem]
	if m == nil {
		m = make(map[string]int, 1)
		f.byStem[stem] = m
	}
	m[form] += n
}

// Merge adds the counts of o to f.
func (f *Forms) Merge(o *Forms) {
	for stem, m := range o.byStem {
		for form, n := range m {
			f.AddForm(stem, form, n)
		}
	}
}

// Of returns the forms of stem, most frequent first; equal counts are
// ordered by form (byte order), so the result never depends on map order.
func (f *Forms) Of(stem string) []FormCount {
	m := f.byStem[stem]
	out := make([]FormCount, 0, len(m))
	for form, n := range m {
		out = append(out, FormCount{form, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Form < out[j].Form
	})
	return out
}

// Top returns the most frequent form of stem (ties broken by byte order),
// or stem itself when no form was recorded.
func (f *Forms) Top(stem string) string {
	best, bestN := "", 0
	for form, n := range f.byStem[stem] {
		if n > bestN || n == bestN && form < best {
			best, bestN = form, n
		}
	}
	if bestN == 0 {
		return stem
	}
	return best
}

// Stems returns every recorded stem in byte order.
func (f *Forms) Stems() []string {
	out := make([]string, 0, len(f.byStem))
	for s := range f.byStem {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
