package tokenize

import "sync"

// NLPTokeniser adapts an Analyzer to the Tokeniser interface of
// github.com/james-bowman/nlp, so that nlp's vectorisers (CountVectoriser,
// HashingVectoriser, Pipeline) count limpide's stems:
//
//	v := nlp.NewCountVectoriser()
//	v.Tokeniser = tokenize.NLPTokeniser{Analyzer: tokenize.NewAnalyzer(tokenize.Config{})}
//
// Each kept token is passed on as its Stem.
type NLPTokeniser struct {
	Analyzer *Analyzer
}

var tokenBufs = sync.Pool{New: func() any { return new([]Token) }}

// ForEachIn calls f with the Stem of every kept token of text, in order.
func (t NLPTokeniser) ForEachIn(text string, f func(token string)) {
	bp := tokenBufs.Get().(*[]Token)
	toks := t.Analyzer.AppendTokens((*bp)[:0], text)
	for i := range toks {
		f(toks[i].Stem)
	}
	clear(toks)
	*bp = toks[:0]
	tokenBufs.Put(bp)
}

// Tokenise returns the Stems of the kept tokens of text, in order.
func (t NLPTokeniser) Tokenise(text string) []string {
	var out []string
	t.ForEachIn(text, func(s string) { out = append(out, s) })
	return out
}
