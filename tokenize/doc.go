// Package tokenize turns French text into tokens that trace back to their
// exact bytes: every Token carries half-open byte offsets with
// text[Start:End] == Surface, in the text exactly as given (no whole-text
// normalisation ever shifts an offset: normalisation is done per token).
//
// An Analyzer applies a small chain of French rules: split on separators,
// remove elided articles (l', d', qu', jusqu', … with ', ’ or ʼ), recognise
// numbers, URLs, e-mail addresses, @mentions and #hashtags, lowercase and
// compose (NFC) each word into Norm, drop stop words (an embedded list, see
// stopwords_fr.txt and StopWords), and stem with the current Snowball French
// algorithm (Stem). The zero Config gives these French defaults; Config says
// what can be kept or dropped instead.
//
// Stems are cached per Analyzer (safe for concurrent use, bounded in size),
// because stemming is the hot path: a consultation of millions of answers
// holds a few hundred thousand distinct word forms. Each cached form is
// numbered (Token.Word, read back with Analyzer.Words), so that a caller
// can keep tokens as small numbers rather than strings.
//
// Forms records which real words stand behind each stem, so that a theme
// can be named "fiscalité" rather than "fiscal". NLPTokeniser lets
// github.com/james-bowman/nlp's vectorisers count limpide's stems.
package tokenize
