package cluster

import (
	"encoding/binary"
	"errors"
	"iter"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/james-bowman/sparse"

	"github.com/limpide/limpide/tokenize"
)

// Matrix is a sparse matrix in compressed sparse row form, one row per
// contribution and one column per vocabulary term. Row i holds the column
// indices Ind[Indptr[i]:Indptr[i+1]], in increasing order, and their values
// Data[Indptr[i]:Indptr[i+1]]. Indices are int32 to keep a corpus of
// millions of contributions small; CSR converts to the james-bowman/sparse
// type that nlp's transformers take.
type Matrix struct {
	Rows, Cols int
	Indptr     []int
	Ind        []int32
	Data       []float64
}

// Row returns the column indices and values of row i. They alias the
// matrix: do not modify them.
func (m *Matrix) Row(i int) (ind []int32, data []float64) {
	lo, hi := m.Indptr[i], m.Indptr[i+1]
	return m.Ind[lo:hi], m.Data[lo:hi]
}

// NNZ returns the number of stored values.
func (m *Matrix) NNZ() int { return len(m.Data) }

// CSR returns m as a *sparse.CSR (rows × columns), copying the indices to
// the int type that package uses.
func (m *Matrix) CSR() *sparse.CSR {
	ind := make([]int, len(m.Ind))
	for i, v := range m.Ind {
		ind[i] = int(v)
	}
	return sparse.NewCSR(m.Rows, m.Cols, slices.Clone(m.Indptr), ind, slices.Clone(m.Data))
}

// Dot returns the dot product of row i with the dense vector v.
func (m *Matrix) Dot(i int, v []float64) float64 {
	ind, data := m.Row(i)
	s := 0.0
	for k, t := range ind {
		s += data[k] * v[t]
	}
	return s
}

// Vocabulary is what a Vectorizer learns: the kept terms in byte order
// (the column order of every Matrix it produces), their document
// frequencies in the fitted corpus and their inverse document frequencies.
type Vocabulary struct {
	Terms []string
	DF    []int
	IDF   []float64
	// Docs is the number of documents the vocabulary was fitted on.
	Docs int

	indexOnce sync.Once
	index     map[string]int32
}

// Index returns the column of term, or -1. It is safe for concurrent use.
func (v *Vocabulary) Index(term string) int {
	v.indexOnce.Do(func() {
		v.index = make(map[string]int32, len(v.Terms))
		for i, t := range v.Terms {
			v.index[t] = int32(i)
		}
	})
	if i, ok := v.index[term]; ok {
		return int(i)
	}
	return -1
}

// Vectorizer turns texts into L2-normalised TF-IDF rows. Fit learns the
// vocabulary and the IDF once; Transform projects new texts (a late
// contribution, a second wave) onto that vocabulary.
//
// Weights, for term t in document d of a corpus of n documents in which t
// occurs in df(t) documents:
//
//	tf(t, d)  = 1 + ln(count(t, d))          (sublinear, the default)
//	          = count(t, d)                  (Config.LinearTF)
//	idf(t)    = ln((1 + n) / (1 + df(t))) + 1
//	w(t, d)   = tf(t, d) · idf(t) / ‖tf(·, d) · idf(·)‖₂
//
// The idf is nlp's TfidfTransformer formula, ln((1+n)/(1+df)), plus one, so
// that a term kept by the document-frequency bounds never weighs zero (the
// smoothed idf of scikit-learn). Rows are L2-normalised, so the cosine
// similarity of two rows is their dot product.
type Vectorizer struct {
	analyzer *tokenize.Analyzer
	cfg      Config
	vocab    *Vocabulary
	// wordCol is, for each word the analyzer had numbered (Token.Word)
	// when the vocabulary was fitted, its stem's column or -1: a word
	// met again needs no lookup by string. wordNorm is each one's Norm,
	// kept with the recorded tokens.
	wordCol  []int32
	wordNorm []string
	// With recordToks, FitTransform keeps each row's tokens (see
	// RecordTokens): rowToks[rowTokEnd[i-1]&^unrecorded:rowTokEnd[i]]
	// are row i's, encoded by appendRecord; rowTokEnd[i] has the
	// unrecorded bit when they are not kept.
	recordToks bool
	rowToks    []byte
	rowTokEnd  []uint32
}

// unrecorded marks, in the end offset of a row's recorded tokens, a row
// whose tokens are not kept. It also bounds the recorded bytes.
const unrecorded = 1 << 31

// RecordTokens has the next FitTransform keep the kept tokens of each of
// its texts for RowSpans, compactly (about three bytes a token, the word
// given by its Token.Word): a caller that explains the rows afterwards
// then need not analyse their texts again, and one that only clusters
// does not pay for it.
func (v *Vectorizer) RecordTokens() { v.recordToks = true }

// DropTokens releases the tokens RecordTokens kept.
func (v *Vectorizer) DropTokens() { v.rowToks, v.rowTokEnd = nil, nil }

// RowSpans appends to dst the occurrences, in text order, of the
// vocabulary's terms in the text of row i of the matrix FitTransform
// returned: TermSpans of that text's tokens without the terms the
// vocabulary lacks. ok is false when the row's tokens were not kept:
// without RecordTokens before FitTransform, after DropTokens, with
// Config.Bigrams, or for a text with a token the analyzer did not number
// (a hashtag, a number when kept, a word past its cache). The caller then
// analyses the text and calls TermSpans.
func (v *Vectorizer) RowSpans(dst []TermSpan, i int) (spans []TermSpan, ok bool) {
	if i < 0 || i >= len(v.rowTokEnd) || v.rowTokEnd[i]&unrecorded != 0 {
		return dst, false
	}
	lo := uint32(0)
	if i > 0 {
		lo = v.rowTokEnd[i-1] &^ unrecorded
	}
	rec := v.rowToks[lo:v.rowTokEnd[i]]
	end := 0
	for len(rec) > 0 {
		var gap, word, size uint64
		gap, rec = uvarint(rec)
		word, rec = uvarint(rec)
		start := end + int(gap>>1)
		if gap&1 == 0 {
			size = uint64(len(v.wordNorm[word]))
		} else {
			size, rec = uvarint(rec)
		}
		end = start + int(size)
		if col := v.wordCol[word]; col >= 0 {
			dst = append(dst, TermSpan{Term: v.vocab.Terms[col], Form: v.wordNorm[word], Start: start, End: end, Col: int(col)})
		}
	}
	return dst, true
}

// appendRecord appends to rec the encoding RowSpans reads of tokens: per
// token, as unsigned varints, twice its start less the previous token's
// end, plus one when its length is not that of its Norm; its word; and
// then only, its length. ok is false (and rec unchanged) when a token has
// no word number.
func appendRecord(rec []byte, tokens []tokenize.Token) (out []byte, ok bool) {
	mark := len(rec)
	end := 0
	for k := range tokens {
		t := &tokens[k]
		if t.Word == 0 || t.Start < end {
			return rec[:mark], false
		}
		size := t.End - t.Start
		other := uint64(0)
		if size != len(t.Norm) {
			other = 1
		}
		rec = binary.AppendUvarint(rec, uint64(t.Start-end)<<1|other)
		rec = binary.AppendUvarint(rec, uint64(t.Word))
		if other == 1 {
			rec = binary.AppendUvarint(rec, uint64(size))
		}
		end = t.End
	}
	return rec, true
}

// uvarint decodes the unsigned varint at the start of b, which
// appendRecord wrote, and returns it with the rest of b.
func uvarint(b []byte) (uint64, []byte) {
	if b[0] < 0x80 {
		return uint64(b[0]), b[1:]
	}
	x, n := binary.Uvarint(b)
	return x, b[n:]
}

// col returns the column of the stem of t, or -1. It needs the vocabulary.
func (v *Vectorizer) col(t *tokenize.Token) int {
	if t.Word != 0 && int(t.Word) < len(v.wordCol) {
		return int(v.wordCol[t.Word])
	}
	return v.vocab.Index(t.Stem)
}

// NewVectorizer returns a Vectorizer that analyses texts with a (the
// French defaults when nil) and filters terms as cfg says.
func NewVectorizer(a *tokenize.Analyzer, cfg Config) *Vectorizer {
	if a == nil {
		a = tokenize.NewAnalyzer(tokenize.Config{})
	}
	return &Vectorizer{analyzer: a, cfg: cfg.withDefaults()}
}

// Vocabulary returns the fitted vocabulary, or nil before Fit.
func (v *Vectorizer) Vocabulary() *Vocabulary { return v.vocab }

// Analyzer returns the analyzer that turns texts into tokens.
func (v *Vectorizer) Analyzer() *tokenize.Analyzer { return v.analyzer }

// ErrNoTerms is returned when no term is left after filtering.
var ErrNoTerms = errors.New("cluster: no term left after filtering (too few documents, or min/max document frequency too strict)")

// ErrEmptyCorpus is returned for a corpus of no documents.
var ErrEmptyCorpus = errors.New("cluster: empty corpus")

// chunkTerms holds the terms of one chunk of documents as ids of the
// chunk's dictionary with their counts: document d of the chunk owns
// ids[off[d]:off[d+1]] (increasing) and the same range of counts. Flat
// arrays keep a corpus of millions of documents to a few allocations.
type chunkTerms struct {
	index  int
	dict   *localDict
	off    []int32
	ids    []uint32
	counts []uint32
	// rec holds the recorded tokens of the chunk's documents (see
	// RecordTokens); recEnd, per document, the end of its own in rec, with
	// the unrecorded bit when they are not.
	rec    []byte
	recEnd []uint32
}

// localDict maps terms to ids within one worker.
type localDict struct {
	ids   map[string]uint32
	terms []string
	// byWord caches the id of the stem of each numbered word (Token.Word),
	// plus one: 0 when not met yet.
	byWord []uint32
}

// wordID returns the id of the stem of t.
func (d *localDict) wordID(t *tokenize.Token) uint32 {
	if t.Word == 0 {
		return d.id(t.Stem)
	}
	if int(t.Word) >= len(d.byWord) {
		d.byWord = append(d.byWord, make([]uint32, int(t.Word)+1-len(d.byWord))...)
	} else if id := d.byWord[t.Word]; id != 0 {
		return id - 1
	}
	id := d.id(t.Stem)
	d.byWord[t.Word] = id + 1
	return id
}

func (d *localDict) id(term string) uint32 {
	if id, ok := d.ids[term]; ok {
		return id
	}
	id := uint32(len(d.terms))
	d.ids[term] = id
	d.terms = append(d.terms, term)
	return id
}

// Terms returns the terms of one tokenised text as the Vectorizer counts
// them: each kept token's Stem and, with Config.Bigrams, each pair of
// adjacent stems joined by a space.
func (v *Vectorizer) Terms(tokens []tokenize.Token) []string {
	out := make([]string, 0, len(tokens)*2)
	return v.appendTerms(out, tokens)
}

func (v *Vectorizer) appendTerms(dst []string, tokens []tokenize.Token) []string {
	for i := range tokens {
		dst = append(dst, tokens[i].Stem)
		if v.cfg.Bigrams && i > 0 && tokens[i].Index == tokens[i-1].Index+1 {
			dst = append(dst, tokens[i-1].Stem+" "+tokens[i].Stem)
		}
	}
	return dst
}

// countChunk analyses the texts of one chunk into their term counts, with
// ids from the worker's dictionary dict, and, with rec, records their
// tokens (see RecordTokens).
func (v *Vectorizer) countChunk(texts []string, dict *localDict, w *countScratch, rec bool) *chunkTerms {
	ch := &chunkTerms{dict: dict, off: make([]int32, 1, len(texts)+1)}
	rec = rec && !v.cfg.Bigrams
	if rec {
		ch.recEnd = make([]uint32, 0, len(texts))
	}
	nnz := 0
	for _, text := range texts {
		w.toks = v.analyzer.AppendTokens(w.toks[:0], text)
		w.doc = w.doc[:0]
		add := func(id uint32) {
			if int(id) >= len(w.seen) {
				w.seen = append(w.seen, make([]uint32, int(id)+1-len(w.seen))...)
			}
			if w.seen[id] == 0 {
				w.doc = append(w.doc, id)
			}
			w.seen[id]++
		}
		if v.cfg.Bigrams {
			w.terms = v.appendTerms(w.terms[:0], w.toks)
			for _, t := range w.terms {
				add(dict.id(t))
			}
		} else {
			// The terms are the tokens' stems.
			for k := range w.toks {
				add(dict.wordID(&w.toks[k]))
			}
		}
		// In the order the terms first occur: build sorts each row by
		// column, and nothing before reads the order.
		for _, id := range w.doc {
			w.ids = append(w.ids, id)
			w.counts = append(w.counts, w.seen[id])
			w.seen[id] = 0
		}
		nnz = len(w.ids)
		ch.off = append(ch.off, int32(nnz))
		if rec {
			var ok bool
			w.rec, ok = appendRecord(w.rec, w.toks)
			end := uint32(len(w.rec))
			if !ok {
				end |= unrecorded
			}
			ch.recEnd = append(ch.recEnd, end)
		}
	}
	// Exact-size copies: the scratch buffers grow by doubling.
	ch.ids = slices.Clone(w.ids)
	ch.counts = slices.Clone(w.counts)
	if rec {
		ch.rec = slices.Clone(w.rec)
	}
	w.ids, w.counts, w.rec = w.ids[:0], w.counts[:0], w.rec[:0]
	return ch
}

// countScratch is one worker's reusable buffers.
type countScratch struct {
	toks   []tokenize.Token
	terms  []string
	seen   []uint32 // per id: count in the current document
	doc    []uint32 // ids of the current document
	ids    []uint32
	counts []uint32
	rec    []byte
}

// chunkSize is the number of texts a worker analyses at a time. Work is
// split in fixed chunks so that the result never depends on scheduling.
const chunkSize = 4096

// count analyses texts on the configured number of workers, chunkSize
// texts at a time, and returns the chunks in order with the number of
// texts. Each worker numbers terms in its own dictionary; the ids only
// ever serve to find the term again, so the result does not depend on
// which worker counted which chunk. A chunk's texts are dropped once
// counted: with a streaming source, the corpus is never held whole.
func (v *Vectorizer) count(texts iter.Seq[string], rec bool) ([]*chunkTerms, int) {
	type job struct {
		index int
		texts []string
	}
	jobs := make(chan job, v.cfg.workers())
	results := make(chan *chunkTerms, v.cfg.workers())
	var wg sync.WaitGroup
	for w := 0; w < v.cfg.workers(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dict := &localDict{ids: map[string]uint32{}}
			var scratch countScratch
			for j := range jobs {
				ch := v.countChunk(j.texts, dict, &scratch, rec)
				ch.index = j.index
				results <- ch
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	n := 0
	go func() {
		batch := make([]string, 0, chunkSize)
		index := 0
		for t := range texts {
			batch = append(batch, t)
			n++
			if len(batch) == chunkSize {
				jobs <- job{index, batch}
				index++
				batch = make([]string, 0, chunkSize)
			}
		}
		if len(batch) > 0 {
			jobs <- job{index, batch}
		}
		close(jobs)
	}()
	var chunks []*chunkTerms
	for ch := range results {
		for len(chunks) <= ch.index {
			chunks = append(chunks, nil)
		}
		chunks[ch.index] = ch
	}
	return chunks, n
}

// Fit learns the vocabulary and IDF of texts. See FitTransform.
func (v *Vectorizer) Fit(texts []string) error {
	_, err := v.FitTransform(texts)
	return err
}

// FitTransform learns the vocabulary and IDF of texts and returns their
// TF-IDF rows, one per text, in order. A text with no kept term gives an
// empty row. Terms are kept when they occur in at least MinDF documents and
// in at most MaxDF·n of them (see DFBounds for very small corpora); with
// MaxTerms, only the MaxTerms most frequent remain (by total count, then by
// term). The vocabulary is sorted.
func (v *Vectorizer) FitTransform(texts []string) (*Matrix, error) {
	return v.FitTransformSeq(slices.Values(texts))
}

// FitTransformSeq is FitTransform over a sequence of texts, read once, so
// that a caller streaming a file never holds the whole corpus.
func (v *Vectorizer) FitTransformSeq(texts iter.Seq[string]) (*Matrix, error) {
	chunks, n := v.count(texts, v.recordToks)
	if n == 0 {
		return nil, ErrEmptyCorpus
	}

	// Global document frequency and total count of each term: per
	// dictionary first, then merged by term.
	type stat struct{ df, total int }
	perDict := map[*localDict][]stat{}
	var dicts []*localDict
	for _, ch := range chunks {
		st, ok := perDict[ch.dict]
		if !ok {
			dicts = append(dicts, ch.dict)
		}
		if len(st) < len(ch.dict.terms) {
			st = append(st, make([]stat, len(ch.dict.terms)-len(st))...)
		}
		for k, id := range ch.ids {
			st[id].df++
			st[id].total += int(ch.counts[k])
		}
		perDict[ch.dict] = st
	}
	stats := map[string]stat{}
	for _, d := range dicts {
		for id, st := range perDict[d] {
			s := stats[d.terms[id]]
			s.df += st.df
			s.total += st.total
			stats[d.terms[id]] = s
		}
	}
	minDF, maxDF := DFBounds(v.cfg, n)
	var kept []string
	for term, s := range stats {
		if s.df >= minDF && s.df <= maxDF {
			kept = append(kept, term)
		}
	}
	if v.cfg.MaxTerms > 0 && len(kept) > v.cfg.MaxTerms {
		sort.Slice(kept, func(i, j int) bool {
			a, b := stats[kept[i]], stats[kept[j]]
			if a.total != b.total {
				return a.total > b.total
			}
			return kept[i] < kept[j]
		})
		kept = kept[:v.cfg.MaxTerms]
	}
	if len(kept) == 0 {
		return nil, ErrNoTerms
	}
	sort.Strings(kept)
	packStrings(kept)
	vocab := &Vocabulary{Terms: kept, DF: make([]int, len(kept)), IDF: make([]float64, len(kept)), Docs: n}
	for i, t := range kept {
		vocab.DF[i] = stats[t].df
		vocab.IDF[i] = math.Log(float64(1+n)/float64(1+vocab.DF[i])) + 1
	}
	v.vocab = vocab
	// Every word met so far, with its column: the texts to explain are
	// mostly these again.
	norms, stems := v.analyzer.Words()
	v.wordCol = make([]int32, len(stems))
	for id, stem := range stems {
		v.wordCol[id] = -1
		if id > 0 {
			v.wordCol[id] = int32(vocab.Index(stem))
		}
	}
	v.wordNorm = nil
	v.DropTokens()
	rec := v.recordToks && !v.cfg.Bigrams
	if rec {
		packStrings(norms)
		v.wordNorm = norms
	}
	return v.build(chunks, n, rec), nil
}

// packStrings moves the bytes of the strings of ss into one allocation,
// in their order. Terms and word forms are read term by term and row by
// row when contributions are explained and encoded; packed, the tens of
// thousands a corpus has take a few hundred kilobytes that stay in the
// processor's cache, rather than a cache line each across the heap.
func packStrings(ss []string) {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range ss {
		b.WriteString(s)
	}
	all := b.String()
	for i, s := range ss {
		ss[i], all = all[:len(s)], all[len(s):]
	}
}

// DFBounds returns the document-frequency bounds applied to a corpus of n
// documents: a term is kept when minDF ≤ df ≤ maxDF, with
//
//	minDF = min(Config.MinDF, n)
//	maxDF = max(⌊Config.MaxDF · n⌋, minDF)
//
// which are Config's bounds whenever n ≥ 2·MinDF. On smaller corpora (one
// contribution, a campaign of identical copies, three answers) Config's
// bounds would contradict each other and exclude every term; these keep
// the terms the documents share.
func DFBounds(cfg Config, n int) (minDF, maxDF int) {
	cfg = cfg.withDefaults()
	minDF = min(cfg.MinDF, n)
	maxDF = max(int(math.Floor(cfg.MaxDF*float64(n))), minDF)
	return minDF, maxDF
}

// Transform returns the TF-IDF rows of texts over the fitted vocabulary;
// terms the vocabulary lacks are ignored. It panics before Fit.
func (v *Vectorizer) Transform(texts []string) *Matrix {
	if v.vocab == nil {
		panic("cluster: Vectorizer.Transform called before Fit")
	}
	chunks, n := v.count(slices.Values(texts), false)
	return v.build(chunks, n, false)
}

// AppendRow appends to ind and data the TF-IDF row of one tokenised text
// over the fitted vocabulary, the very row Transform gives for that text:
// for a caller that has the tokens already. It panics before Fit.
func (v *Vectorizer) AppendRow(ind []int32, data []float64, tokens []tokenize.Token) ([]int32, []float64) {
	if v.vocab == nil {
		panic("cluster: Vectorizer.AppendRow called before Fit")
	}
	start := len(ind)
	// Every occurrence's column, sorted, then counted: a long text costs
	// its length times a logarithm.
	var pair []byte
	for i := range tokens {
		if col := v.col(&tokens[i]); col >= 0 {
			ind = append(ind, int32(col))
		}
		if v.cfg.Bigrams && i > 0 && tokens[i].Index == tokens[i-1].Index+1 {
			pair = append(append(append(pair[:0], tokens[i-1].Stem...), ' '), tokens[i].Stem...)
			if col := v.vocab.Index(string(pair)); col >= 0 {
				ind = append(ind, int32(col))
			}
		}
	}
	slices.Sort(ind[start:])
	end := start
	for k := start; k < len(ind); {
		n := k + 1
		for n < len(ind) && ind[n] == ind[k] {
			n++
		}
		ind[end] = ind[k]
		data = append(data, float64(n-k))
		end++
		k = n
	}
	ind = ind[:end]
	rowInd, rowData := ind[start:], data[start:]
	norm := 0.0
	for k, col := range rowInd {
		tf := rowData[k]
		if !v.cfg.LinearTF {
			tf = 1 + math.Log(tf)
		}
		w := tf * v.vocab.IDF[col]
		norm += w * w
		rowData[k] = w
	}
	if norm > 0 {
		inv := 1 / math.Sqrt(norm)
		for k := range rowData {
			rowData[k] *= inv
		}
	}
	return ind, data
}

// build maps local ids to vocabulary columns and weights the rows, and
// with rec keeps the tokens the chunks recorded. The chunks are built on
// every core, each into its own rows (where they go is counted first), and
// released once built.
func (v *Vectorizer) build(chunks []*chunkTerms, n int, rec bool) *Matrix {
	m := &Matrix{Rows: n, Cols: len(v.vocab.Terms), Indptr: make([]int, n+1)}
	// The column of every id of every dictionary.
	cols := map[*localDict][]int32{}
	for _, ch := range chunks {
		if _, ok := cols[ch.dict]; !ok {
			col := make([]int32, len(ch.dict.terms))
			for id, term := range ch.dict.terms {
				col[id] = int32(v.vocab.Index(term))
			}
			cols[ch.dict] = col
		}
	}
	// Each chunk's first row and first stored value.
	firstRow := make([]int, len(chunks)+1)
	firstValue := make([]int, len(chunks)+1)
	parallelFor(len(chunks), 1, v.cfg.workers(), func(lo, hi int) {
		for c := lo; c < hi; c++ {
			col := cols[chunks[c].dict]
			kept := 0
			for _, id := range chunks[c].ids {
				if col[id] >= 0 {
					kept++
				}
			}
			firstValue[c+1] = kept
			firstRow[c+1] = len(chunks[c].off) - 1
		}
	})
	for c := range chunks {
		firstRow[c+1] += firstRow[c]
		firstValue[c+1] += firstValue[c]
	}
	m.Ind = make([]int32, firstValue[len(chunks)])
	m.Data = make([]float64, firstValue[len(chunks)])
	if rec {
		v.placeRowTokens(chunks, n)
	}
	parallelFor(len(chunks), 1, v.cfg.workers(), func(lo, hi int) {
		// A row's entries, column above count in one word: sorting the
		// words sorts the row by column (a row's columns differ), with no
		// comparison function to call.
		var row []uint64
		for c := lo; c < hi; c++ {
			ch := chunks[c]
			col := cols[ch.dict]
			at := firstValue[c]
			for d := 0; d+1 < len(ch.off); d++ {
				row = row[:0]
				for k := ch.off[d]; k < ch.off[d+1]; k++ {
					if j := col[ch.ids[k]]; j >= 0 {
						row = append(row, uint64(j)<<32|uint64(ch.counts[k]))
					}
				}
				slices.Sort(row)
				start := at
				norm := 0.0
				for _, e := range row {
					j, count := int32(e>>32), uint32(e)
					tf := float64(count)
					if !v.cfg.LinearTF {
						tf = 1 + math.Log(tf)
					}
					w := tf * v.vocab.IDF[j]
					norm += w * w
					m.Ind[at], m.Data[at] = j, w
					at++
				}
				if norm > 0 {
					inv := 1 / math.Sqrt(norm)
					for k := start; k < at; k++ {
						m.Data[k] *= inv
					}
				}
				i := firstRow[c] + d
				m.Indptr[i+1] = at
				if rec {
					v.copyRowTokens(ch, d, i)
				}
			}
			chunks[c] = nil
		}
	})
	return m
}

// placeRowTokens sets where each row's recorded tokens go (rowTokEnd) and
// makes room for them (rowToks), for copyRowTokens to fill: a row's
// tokens are kept unless they were not recorded or would pass the bound
// of the offsets.
func (v *Vectorizer) placeRowTokens(chunks []*chunkTerms, n int) {
	v.rowTokEnd = make([]uint32, 0, n)
	size := 0
	for _, ch := range chunks {
		lo := uint32(0)
		for _, hi := range ch.recEnd {
			if hi&unrecorded != 0 || size+int(hi-lo) >= unrecorded {
				v.rowTokEnd = append(v.rowTokEnd, uint32(size)|unrecorded)
			} else {
				size += int(hi - lo)
				v.rowTokEnd = append(v.rowTokEnd, uint32(size))
			}
			lo = hi &^ unrecorded
		}
	}
	v.rowToks = make([]byte, size)
}

// copyRowTokens copies the recorded tokens of document d of ch, row i, to
// where placeRowTokens put them.
func (v *Vectorizer) copyRowTokens(ch *chunkTerms, d, i int) {
	if v.rowTokEnd[i]&unrecorded != 0 {
		return
	}
	lo := uint32(0)
	if d > 0 {
		lo = ch.recEnd[d-1] &^ unrecorded
	}
	start := uint32(0)
	if i > 0 {
		start = v.rowTokEnd[i-1] &^ unrecorded
	}
	copy(v.rowToks[start:v.rowTokEnd[i]], ch.rec[lo:ch.recEnd[d]])
}

func (c Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// TermSpan is one occurrence of a term in a text, as the Vectorizer counts
// it: Text[Start:End] is the occurrence (for a bigram, from the first
// word's start to the second word's end) and Form its real form (the
// tokens' Norm, joined by a space for a bigram).
type TermSpan struct {
	Term       string
	Form       string
	Start, End int
	// Col is the term's column in the fitted vocabulary, or -1 (before
	// Fit, or for a term the vocabulary lacks).
	Col int
}

// TermSpans appends to dst the occurrences of the terms of tokens, in the
// order Terms lists them, and returns the extended slice.
func (v *Vectorizer) TermSpans(dst []TermSpan, tokens []tokenize.Token) []TermSpan {
	out := dst
	for i := range tokens {
		t := &tokens[i]
		sp := TermSpan{Term: t.Stem, Form: t.Norm, Start: t.Start, End: t.End, Col: -1}
		if v.vocab != nil {
			if sp.Col = v.col(t); sp.Col >= 0 {
				sp.Term = v.vocab.Terms[sp.Col] // the same bytes, shared
			}
		}
		out = append(out, sp)
		if v.cfg.Bigrams && i > 0 && t.Index == tokens[i-1].Index+1 {
			p := &tokens[i-1]
			sp := TermSpan{Term: p.Stem + " " + t.Stem, Form: p.Norm + " " + t.Norm, Start: p.Start, End: t.End, Col: -1}
			if v.vocab != nil {
				sp.Col = v.vocab.Index(sp.Term)
			}
			out = append(out, sp)
		}
	}
	return out
}

// Config returns the Vectorizer's configuration, defaults applied.
func (v *Vectorizer) Config() Config { return v.cfg }
