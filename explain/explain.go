// Package explain says why a theme is what it is and why each contribution
// belongs to it, in terms an analyst can read and an auditor can check.
//
// Rows and centroids are unit vectors (package cluster), so a
// contribution's similarity to a theme is exactly Σ_t x[t]·c[t]. Evidence
// lists those products, term by term, with the byte spans where each term
// occurs in the contribution's own text; they sum to the similarity.
// ThemeTerms ranks a theme's terms by centroid weight and gives their lift,
// and Label picks the most distinctive of them by c·ln(lift). Quote picks the sentence
// that carries most of a contribution's evidence.
package explain

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/limpide/limpide/cluster"
	"github.com/limpide/limpide/internal/topn"
	"github.com/limpide/limpide/tokenize"
)

// Term is one term of a theme.
type Term struct {
	// Stem is the vocabulary term: a stem, or two stems for a bigram.
	Stem string
	// Forms are the real forms of the term in the theme's contributions,
	// most frequent first (ties in byte order).
	Forms []string
	// Weight is the term's weight c[t] in the theme's unit centroid.
	Weight float64
	// Lift is Weight over the term's mean weight in the corpus,
	// c[t] / ((1/n) Σ_i x_i[t]): how much more the theme leans on the term
	// than the average contribution does.
	Lift float64
}

// MeanWeights returns the mean weight of every column over the given rows
// of m (all non-empty rows when rows is nil), summed in row order.
func MeanWeights(m *cluster.Matrix, rows []int) []float64 {
	mean := make([]float64, m.Cols)
	n := 0
	add := func(i int) {
		ind, data := m.Row(i)
		for p, t := range ind {
			mean[t] += data[p]
		}
		n++
	}
	if rows == nil {
		for i := 0; i < m.Rows; i++ {
			if m.Indptr[i+1] > m.Indptr[i] {
				add(i)
			}
		}
	} else {
		for _, i := range rows {
			add(i)
		}
	}
	if n > 0 {
		for t := range mean {
			mean[t] /= float64(n)
		}
	}
	return mean
}

// ThemeTerms returns the n terms of largest weight in centroid (ties by
// term), by decreasing weight, with their lift over mean and their forms
// from forms (nil for none).
func ThemeTerms(centroid, mean []float64, vocab *cluster.Vocabulary, forms *tokenize.Forms, n int) []Term {
	positive := func(yield func(int) bool) {
		for t, w := range centroid {
			if w > 0 && !yield(t) {
				return
			}
		}
	}
	// The first n in that order, without listing, let alone sorting, the
	// theme's thousands of terms (package topn).
	cols := topn.FirstOf(positive, n, func(a, b int) bool {
		if centroid[a] != centroid[b] {
			return centroid[a] > centroid[b]
		}
		return vocab.Terms[a] < vocab.Terms[b]
	})
	out := make([]Term, len(cols))
	for i, t := range cols {
		out[i] = Term{Stem: vocab.Terms[t], Weight: centroid[t]}
		if mean[t] > 0 {
			out[i].Lift = centroid[t] / mean[t]
		}
		if forms != nil {
			for _, fc := range forms.Of(vocab.Terms[t]) {
				out[i].Forms = append(out[i].Forms, fc.Form)
			}
		}
		if len(out[i].Forms) == 0 {
			out[i].Forms = []string{vocab.Terms[t]}
		}
	}
	return out
}

// Label returns n of terms, written in their most frequent forms: those
// that most set the theme apart, ranked by c·ln(lift), the term's share of
// the Kullback-Leibler divergence between the theme's centroid and the
// corpus mean (ties by weight, then term). A term must both weigh in the
// theme and be rarer elsewhere: pure lift would favour words so rare that
// one answer carries them.
func Label(terms []Term, n int) []string {
	score := func(t Term) float64 {
		if t.Lift <= 0 {
			return math.Inf(-1)
		}
		return t.Weight * math.Log(t.Lift)
	}
	ranked := slices.Clone(terms)
	slices.SortStableFunc(ranked, func(a, b Term) int {
		sa, sb := score(a), score(b)
		switch {
		case sa != sb:
			if sa > sb {
				return -1
			}
			return 1
		case a.Weight != b.Weight:
			if a.Weight > b.Weight {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Stem, b.Stem)
	})
	var out []string
	for _, t := range ranked[:min(n, len(ranked))] {
		out = append(out, t.Forms[0])
	}
	return out
}

// Evidence is one term's part of a contribution's similarity to a theme.
// Its JSON field names are those of report.json (synthesis.Evidence is
// this type).
type Evidence struct {
	// Stem is the vocabulary term.
	Stem string `json:"stem"`
	// Form is the term's most frequent real form in the contribution
	// (ties: the first to occur).
	Form string `json:"form"`
	// Contribution is x[t]·c[t]; the Contributions of a contribution's
	// evidence sum to its similarity.
	Contribution float64 `json:"contribution"`
	// Spans are the byte offsets [start, end) of the term's occurrences in
	// the contribution's text.
	Spans [][2]int `json:"spans"`
}

// explainScratch holds Explain's working arrays, reused from call to
// call: none of them reaches the evidence it returns.
type explainScratch struct {
	at, start, byTerm, next []int32
	order                   []ranked
	// place[col] is one more than the place of column col in the row's
	// ind, or 0: set for the row's columns only, cleared after.
	place []int32
}

// ranked is a row term with a non-zero product, for sorting.
type ranked struct {
	product float64
	p       int32 // place in ind
}

var explainScratches = sync.Pool{New: func() any { return new(explainScratch) }}

// Explain returns the evidence of the row (ind, data) of a contribution
// for centroid: every term with a non-zero product x[t]·c[t], by decreasing
// product (ties by term), with the spans of its occurrences among spans
// (from cluster.Vectorizer.TermSpans of the contribution's tokens, or
// RowSpans of its row).
func Explain(spans []cluster.TermSpan, vocab *cluster.Vocabulary, ind []int32, data []float64, centroid []float64) []Evidence {
	sc := explainScratches.Get().(*explainScratch)
	defer explainScratches.Put(sc)
	sc.rank(spans, vocab, ind, data, centroid)
	// One allocation holds every evidence's spans, and one the evidence:
	// a million contributions make millions of evidences, not tens of
	// millions of small objects for the collector to trace.
	out, _ := sc.fill(make([]Evidence, 0, len(sc.order)), make([][2]int, 0, len(sc.byTerm)), spans, vocab, ind)
	return out
}

// AppendExplain is Explain with the evidence appended to ev and the spans
// of its occurrences to sp, whose memory the evidence's Spans share; it
// returns both, extended. A caller that explains many rows in turn and is
// done with each row's evidence before the next passes the same two
// arrays back each time, [:0], and allocates nothing once they have grown.
func AppendExplain(ev []Evidence, sp [][2]int, spans []cluster.TermSpan, vocab *cluster.Vocabulary, ind []int32, data []float64, centroid []float64) ([]Evidence, [][2]int) {
	sc := explainScratches.Get().(*explainScratch)
	defer explainScratches.Put(sc)
	sc.rank(spans, vocab, ind, data, centroid)
	return sc.fill(slices.Grow(ev, len(sc.order)), slices.Grow(sp, len(sc.byTerm)), spans, vocab, ind)
}

// rank groups the occurrences among spans by the row's term they belong
// to (sc.start, sc.byTerm) and orders the terms with a non-zero product
// as the evidence lists them (sc.order).
func (sc *explainScratch) rank(spans []cluster.TermSpan, vocab *cluster.Vocabulary, ind []int32, data []float64, centroid []float64) {
	// Occurrences grouped by the row's term they belong to, each group in
	// text order (a counting sort on the term's place in ind), so that a
	// long text costs its length, not its terms times its length.
	sc.at = slices.Grow(sc.at[:0], len(spans))[:len(spans)]
	sc.start = slices.Grow(sc.start[:0], len(ind)+1)[:len(ind)+1]
	at := sc.at // per occurrence: its term's place in ind, or -1
	start := sc.start
	clear(start)
	for p, t := range ind {
		if int(t) >= len(sc.place) {
			sc.place = append(sc.place, make([]int32, int(t)+1-len(sc.place))...)
		}
		sc.place[t] = int32(p) + 1
	}
	for k := range spans {
		at[k] = -1
		// The span's column when it is that of its term (TermSpans and
		// RowSpans set it), else the term's.
		col := spans[k].Col
		if col < 0 || col >= len(vocab.Terms) || vocab.Terms[col] != spans[k].Term {
			col = vocab.Index(spans[k].Term)
		}
		if col >= 0 && col < len(sc.place) {
			if p := sc.place[col] - 1; p >= 0 {
				at[k] = p
				start[p+1]++
			}
		}
	}
	for _, t := range ind {
		sc.place[t] = 0
	}
	for p := range ind {
		start[p+1] += start[p]
	}
	sc.byTerm = slices.Grow(sc.byTerm[:0], int(start[len(ind)]))[:start[len(ind)]]
	byTerm := sc.byTerm
	sc.next = append(sc.next[:0], start[:len(ind)]...)
	next := sc.next
	for k, p := range at {
		if p >= 0 {
			byTerm[next[p]] = int32(k)
			next[p]++
		}
	}
	// The terms in the evidence's order, sorted as small values rather
	// than as evidences (which hold pointers: moving them costs write
	// barriers).
	order := sc.order[:0]
	for p, t := range ind {
		if product := data[p] * centroid[t]; product != 0 {
			order = append(order, ranked{product, int32(p)})
		}
	}
	slices.SortFunc(order, func(a, b ranked) int {
		if a.product != b.product {
			if a.product > b.product {
				return -1
			}
			return 1
		}
		return strings.Compare(vocab.Terms[ind[a.p]], vocab.Terms[ind[b.p]])
	})
	sc.order = order
}

// fill appends the evidence that rank ordered to out, and its spans to
// arena, which must have room for every occurrence (len(sc.byTerm)), so
// that each evidence's Spans stay in it.
func (sc *explainScratch) fill(out []Evidence, arena [][2]int, spans []cluster.TermSpan, vocab *cluster.Vocabulary, ind []int32) ([]Evidence, [][2]int) {
	byTerm, start := sc.byTerm, sc.start
	for _, r := range sc.order {
		p := r.p
		e := Evidence{Stem: vocab.Terms[ind[p]], Contribution: r.product}
		run := byTerm[start[p]:start[p+1]]
		e.Spans = arena[len(arena) : len(arena) : len(arena)+len(run)]
		arena = arena[:len(arena)+len(run)]
		// The most frequent form, ties to the first to occur; a term has few
		// forms, so counting by rescanning its own occurrences is cheapest.
		best := 0
		for q, k := range run {
			s := spans[k]
			e.Spans = append(e.Spans, [2]int{s.Start, s.End})
			if s.Form == e.Form {
				continue
			}
			n := 0
			for _, o := range run[q:] {
				if spans[o].Form == s.Form {
					n++
				}
			}
			if n > best {
				e.Form, best = s.Form, n
			}
		}
		out = append(out, e)
	}
	return out, arena
}

// Sentences returns the spans [start, end) of the sentences of text,
// without their surrounding white space. A sentence ends after . ! ? or …
// (with any closing quotes or brackets) followed by white space, or at a
// line break.
func Sentences(text string) [][2]int {
	var out [][2]int
	start := -1
	emit := func(end int) {
		if start < 0 {
			return
		}
		// Trim trailing white space.
		for end > start {
			r, size := utf8.DecodeLastRuneInString(text[:end])
			if !unicode.IsSpace(r) {
				break
			}
			end -= size
		}
		if end > start {
			out = append(out, [2]int{start, end})
		}
		start = -1
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if start < 0 && !unicode.IsSpace(r) {
			start = i
		}
		switch {
		case r == '\n' || r == '\r':
			emit(i)
		case r == '.' || r == '!' || r == '?' || r == '…':
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if strings.ContainsRune(".!?…\"'’»”)]", r2) {
					j += s2
					continue
				}
				// French typography puts a (narrow) space before ».
				k := j
				for k < len(text) {
					r3, s3 := utf8.DecodeRuneInString(text[k:])
					if r3 != ' ' && r3 != '\u00a0' && r3 != '\u202f' {
						break
					}
					k += s3
				}
				if r3, s3 := utf8.DecodeRuneInString(text[k:]); k > j && (r3 == '»' || r3 == '”') {
					j = k + s3
					continue
				}
				break
			}
			if j == len(text) {
				emit(j)
				return out
			}
			if r2, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsSpace(r2) {
				emit(j)
				i = j
				continue
			}
			i = j
			continue
		}
		i += size
	}
	emit(len(text))
	return out
}

// QuoteMax is the length in bytes under which a whole text is its own quote.
const QuoteMax = 300

// Quote returns the span of the verbatim quote that best shows a
// contribution's evidence: the whole text (trimmed of surrounding white
// space) when it is at most QuoteMax bytes long; otherwise the sentence
// carrying the largest share of the evidence (each term's product shared
// equally among its occurrences; ties: the earliest sentence), followed by
// the next sentences while the quote stays within QuoteMax bytes.
func Quote(text string, evidence []Evidence) (start, end int) {
	sents := Sentences(text)
	if len(sents) == 0 {
		return 0, 0
	}
	whole := [2]int{sents[0][0], sents[len(sents)-1][1]}
	if whole[1]-whole[0] <= QuoteMax {
		return whole[0], whole[1]
	}
	scores := make([]float64, len(sents))
	for _, e := range evidence {
		share := e.Contribution / float64(max(1, len(e.Spans)))
		for _, sp := range e.Spans {
			// The last sentence starting at or before the span.
			k := sort.Search(len(sents), func(k int) bool { return sents[k][0] > sp[0] }) - 1
			if k >= 0 && sp[1] <= sents[k][1] {
				scores[k] += share
			}
		}
	}
	best := 0
	for k := range scores {
		if scores[k] > scores[best]+1e-15 {
			best = k
		}
	}
	start, end = sents[best][0], sents[best][1]
	for k := best + 1; k < len(sents) && sents[k][1]-start <= QuoteMax; k++ {
		end = sents[k][1]
	}
	return start, end
}
