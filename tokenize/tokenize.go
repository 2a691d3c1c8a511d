package tokenize

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Kind says what a token is.
type Kind uint8

const (
	Word    Kind = iota // a word: letters, digits and marks, stemmed
	Number              // digits with grouping, decimals and an optional unit: "1 000 €", "10 %", "80 km/h"
	URL                 // http://, https:// or www. up to white space, trailing punctuation excluded
	Email               // local@domain.tld
	Mention             // @name
	Hashtag             // #word
)

var kindNames = [...]string{"word", "number", "url", "email", "mention", "hashtag"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Token is one unit of a text, traceable to its bytes.
//
// The invariant is text[Start:End] == Surface, with Start and End half-open
// byte offsets into the text exactly as given to Analyzer.Tokens.
type Token struct {
	// Surface is the original bytes, untouched: text[Start:End].
	Surface string
	// Norm is Surface lowercased and composed (Unicode NFC), with the
	// apostrophes ’ and ʼ written '. Accents and ligatures are kept, so that
	// Norm is a real French form fit to show to a reader ("fiscalité").
	// Numbers drop their digit grouping: "1 000 €" has Norm "1000 €".
	Norm string
	// Stem is the matching key. For a Word it is the Snowball French stem
	// of Norm, with œ and æ expanded to oe and ae before stemming and, unless
	// Config.KeepAccents, accents folded after it, so that "État", "Etat" and
	// "ÉTAT" share the stem "etat". For the other kinds Stem equals Norm.
	Stem string
	// Start and End are byte offsets: text[Start:End] == Surface.
	Start, End int
	// Index is the token's position among all the tokens of the text,
	// counted before stop words, short words and dropped kinds are removed,
	// so two kept tokens were adjacent in the text when their Index values
	// differ by one.
	Index int
	Kind  Kind
	// Word numbers the word form Norm among those the Analyzer has met,
	// from 1 in the order it first met them; it is 0 for the other kinds
	// and for a word the Analyzer does not cache (see maxCachedStems). The
	// number depends on the order texts were analysed: it names a form
	// within its Analyzer only, for a caller that keeps tokens compactly
	// and reads their Norm and Stem back with Analyzer.Words.
	Word uint32
}

// Config sets what an Analyzer keeps. Its zero value gives the documented
// French defaults: stop words removed, words shorter than two letters
// removed, accents folded in stems, numbers, URLs, e-mail addresses and
// @mentions dropped, #hashtags kept.
type Config struct {
	// StopWords are added to the embedded French list (stopwords_fr.txt).
	// They are compared with Norm, case-insensitively, and, unless
	// KeepAccents, also without accents.
	StopWords []string
	// KeepStopWords keeps the stop words instead of removing them.
	KeepStopWords bool
	// KeepAccents keeps Snowball's accented stems ("état"); by default
	// stems are folded ("etat") so that words written without their accents,
	// as capitals often are, still match.
	KeepAccents bool
	// MinLength is the minimum length of a kept Word, in characters of its
	// Norm. Zero means 2.
	MinLength int
	// KeepNumbers, KeepURLs, KeepEmails and KeepMentions keep tokens of
	// those kinds; they are recognised (so that their characters never
	// become words) and dropped by default.
	KeepNumbers, KeepURLs, KeepEmails, KeepMentions bool
	// DropHashtags drops #hashtags, which are kept by default: in a
	// consultation they name a campaign or a topic (#RIC).
	DropHashtags bool
}

// maxCachedStems bounds the stem cache so that a hostile input made of
// millions of distinct strings cannot make it grow without limit. Past the
// bound, stems are computed without being cached.
const maxCachedStems = 1 << 20

// Analyzer turns French text into tokens. It is safe for concurrent use:
// it caches the stem of every word form it meets, behind a read-write lock.
type Analyzer struct {
	cfg    Config
	minLen int
	stop   map[string]struct{}
	fold   bool

	cache stemCache
}

// wordInfo is what the cache knows of one normalised word form.
type wordInfo struct {
	norm string
	stem string
	id   uint32 // Token.Word, or 0 when not cached
	keep bool   // not a stop word (or stop words kept), and long enough
}

//go:embed stopwords_fr.txt
var stopWordsFile string

// StopWords returns the embedded French stop word list, in file order.
func StopWords() []string {
	var words []string
	for _, line := range strings.Split(stopWordsFile, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words = append(words, line)
	}
	return words
}

// NewAnalyzer returns an Analyzer for cfg; the zero Config gives the French
// defaults described on Config.
func NewAnalyzer(cfg Config) *Analyzer {
	a := &Analyzer{
		cfg:    cfg,
		minLen: cfg.MinLength,
		fold:   !cfg.KeepAccents,
		stop:   make(map[string]struct{}),
	}
	if a.minLen <= 0 {
		a.minLen = 2
	}
	add := func(w string) {
		w = normalizeWord(w)
		a.stop[w] = struct{}{}
		if a.fold {
			a.stop[foldAccents(w)] = struct{}{}
		}
	}
	for _, w := range StopWords() {
		add(w)
	}
	for _, w := range cfg.StopWords {
		add(w)
	}
	return a
}

// Config returns the configuration the Analyzer was built with.
func (a *Analyzer) Config() Config { return a.cfg }

// Tokens returns the kept tokens of text, in order. See AppendTokens.
func (a *Analyzer) Tokens(text string) []Token {
	return a.AppendTokens(make([]Token, 0, len(text)/8+1), text)
}

// AppendTokens appends the kept tokens of text to dst and returns the
// extended slice, so that a caller can reuse one buffer across texts.
//
// Rules, in the order they apply:
//   - Separators are every character that is not a letter, a digit or a
//     combining mark, including the non-breaking spaces U+00A0 and U+202F,
//     emoji, hyphens and invalid UTF-8 bytes (never part of a token).
//   - A word is a run of letters, digits and combining marks; an apostrophe
//     (' ’ ʼ) between two letters joins the run ("aujourd'hui").
//   - Hyphens separate, so "peut-être" gives "peut" and "être" (a stop
//     word), "Saint-Denis" gives "saint" and "denis", the euphonic t of
//     "a-t-il" is a one-letter word (dropped) and "c'est-à-dire" keeps only
//     "dire": compounds then match whether or not they are written with a
//     hyphen.
//   - Elision: a word that begins with l' d' j' m' n' s' t' c' qu' jusqu'
//     lorsqu' puisqu' or quoiqu' (any case, any of the three apostrophes)
//     loses that prefix, and its token starts after the apostrophe: in
//     "L’État" the token is "État".
//   - URLs, e-mail addresses, @mentions, #hashtags and numbers are
//     recognised first, so their characters never become words.
func (a *Analyzer) AppendTokens(dst []Token, text string) []Token {
	var buf []byte
	index := 0
	// E-mail addresses are only looked for in texts that hold an @.
	mayHaveEmail := strings.IndexByte(text, '@') >= 0
	// Every token consumes a whole run, so the loop only ever stands on a
	// separator or at the start of a token.
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordStart(r) && r != '@' && r != '#' {
			// Invalid bytes, separators, and combining marks that follow no
			// letter.
			i += size
			continue
		}
		var tok Token
		var end int
		apostrophe := -1
		switch {
		case r == '@' || r == '#':
			end = scanTag(text, i+1)
			if end == i+1 {
				i++
				continue
			}
			tok = Token{Kind: Mention}
			if r == '#' {
				tok.Kind = Hashtag
			}
		case hasURLPrefix(text[i:]):
			end = scanURL(text, i)
			tok = Token{Kind: URL}
		default:
			emailEnd := i
			if mayHaveEmail {
				emailEnd = scanEmail(text, i)
			}
			if emailEnd > i {
				end = emailEnd
				tok = Token{Kind: Email}
			} else if e, ok := scanNumber(text, i); ok {
				end = e
				tok = Token{Kind: Number}
			} else {
				end, apostrophe = scanWord(text, i)
				tok = Token{Kind: Word}
			}
		}
		if end <= i {
			// Every scanner consumes at least the rune it started on; this
			// guard keeps a future scanner bug from looping forever.
			panic("tokenize: scanner made no progress at offset " + strconv.Itoa(i))
		}
		tok.Start, tok.End = i, end
		tok.Index = index
		index++
		i = end
		if tok.Kind == Word {
			tok.Start = elide(text, tok.Start, apostrophe)
			var keep bool
			buf, keep = a.word(&tok, text, buf)
			if keep {
				dst = append(dst, tok)
			}
			continue
		}
		tok.Surface = text[tok.Start:tok.End]
		if a.keepKind(tok.Kind) {
			tok.Norm = normalizeOther(tok.Kind, tok.Surface)
			tok.Stem = tok.Norm
			dst = append(dst, tok)
		}
	}
	return dst
}

func (a *Analyzer) keepKind(k Kind) bool {
	switch k {
	case Number:
		return a.cfg.KeepNumbers
	case URL:
		return a.cfg.KeepURLs
	case Email:
		return a.cfg.KeepEmails
	case Mention:
		return a.cfg.KeepMentions
	case Hashtag:
		return !a.cfg.DropHashtags
	}
	return true
}

// word fills Norm and Stem of a Word token through the cache and reports
// whether the token is kept.
func (a *Analyzer) word(tok *Token, text string, buf []byte) ([]byte, bool) {
	tok.Surface = text[tok.Start:tok.End]
	// One lookup by the surface as written, normalised or not (the cache
	// keeps the surfaces met under their form's entry): the entry knows
	// whether the form is a stop word.
	info := a.cache.load(nil, tok.Surface, false)
	if info == nil {
		isNorm := isPlainLower(tok.Surface)
		if !isNorm {
			buf = appendNorm(buf[:0], tok.Surface)
			isNorm = string(buf) == tok.Surface
		}
		if isNorm {
			info = a.cache.store(tok.Surface, a.learn(tok.Surface))
		} else {
			if info = a.cache.load(buf, "", true); info == nil {
				key := string(buf)
				info = a.cache.store(key, a.learn(key))
			}
			a.cache.storeAlias(tok.Surface, info)
		}
	}
	if !info.keep {
		return buf, false
	}
	tok.Norm = info.norm
	tok.Stem = info.stem
	tok.Word = info.id
	return buf, true
}

// learn computes what is known of the normalised form n.
func (a *Analyzer) learn(n string) *wordInfo {
	_, stop := a.stop[n]
	if !stop && a.fold {
		_, stop = a.stop[foldAccents(n)]
	}
	keep := (!stop || a.cfg.KeepStopWords) && utf8.RuneCountInString(n) >= a.minLen
	return &wordInfo{norm: n, stem: a.stemKey(n), keep: keep}
}

// stemKey is the matching key of a normalised word: ligatures expanded,
// Snowball French, accents folded unless the Config keeps them.
func (a *Analyzer) stemKey(n string) string {
	s := Stem(expandLigatures(n))
	if a.fold {
		s = foldAccents(s)
	}
	return s
}

// Words returns the Norm and the Stem of every word form numbered so far,
// indexed by Token.Word (index 0, no word, holds empty strings). The
// slices are the caller's; forms the Analyzer meets later get the next
// numbers.
func (a *Analyzer) Words() (norms, stems []string) {
	return a.cache.words()
}

// StemOf returns the matching key the Analyzer gives to a single word, as
// Token.Stem would hold it.
func (a *Analyzer) StemOf(word string) string {
	return a.stemKey(normalizeWord(word))
}

// asciiAlnum[c] is true for ASCII letters and digits.
var asciiAlnum = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isWordStart(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiAlnum[r]
	}
	// ʼ (U+02BC) is a letter to Unicode and an apostrophe to French.
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && r != 'ʼ'
}

func isWordChar(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiAlnum[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// scanWord returns the end of the word that starts at i, and the offset of
// its first apostrophe, or -1.
func scanWord(text string, i int) (end, apostrophe int) {
	end, apostrophe = i, -1
	prevLetter := false
	for j := i; j < len(text); {
		c := text[j]
		if c < utf8.RuneSelf && c != '\'' {
			if !asciiAlnum[c] {
				return end, apostrophe
			}
			prevLetter = c > '9'
			j++
			end = j
			continue
		}
		r, size := utf8.DecodeRuneInString(text[j:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return end, apostrophe
		case isApostrophe(r):
			// Joins only between two letters.
			if !prevLetter {
				return end, apostrophe
			}
			next, _ := utf8.DecodeRuneInString(text[j+size:])
			if !isLetter(next) || isApostrophe(next) {
				return end, apostrophe
			}
			if apostrophe < 0 {
				apostrophe = j
			}
			prevLetter = false
		case isWordChar(r):
			prevLetter = unicode.IsLetter(r) || (prevLetter && unicode.Is(unicode.M, r))
			end = j + size
		default:
			return end, apostrophe
		}
		j += size
	}
	return end, apostrophe
}

// elisionPrefixes are the lowercased articles and conjunctions that elide.
var elisionPrefixes = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true,
}

// elide returns where a word that starts at start, and has its first
// apostrophe at apostrophe (or -1), begins once an elided article or
// conjunction is removed.
func elide(text string, start, apostrophe int) int {
	if apostrophe < 0 || apostrophe-start > len("quoiqu") {
		return start
	}
	prefix := text[start:apostrophe]
	if !elisionPrefixes[prefix] && !elisionPrefixes[strings.ToLower(prefix)] {
		return start
	}
	_, size := utf8.DecodeRuneInString(text[apostrophe:])
	return apostrophe + size
}

// isPlainLower reports whether s is lowercase ASCII letters, digits and
// ASCII apostrophes, the common case in which Norm is the surface itself.
func isPlainLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '\'') {
			return false
		}
	}
	return true
}

// appendNorm appends the Norm of a word surface to dst: lowercase, NFC,
// apostrophes written '.
func appendNorm(dst []byte, s string) []byte {
	start := len(dst)
	needNFC := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			dst = append(dst, byte(r))
			continue
		case r == '’' || r == 'ʼ':
			dst = append(dst, '\'')
			continue
		case r >= 0x300:
			needNFC = true
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	if needNFC && !norm.NFC.IsNormal(dst[start:]) {
		// Composed after the word, then moved in its place: dst's
		// spare room, not a new allocation for each such word.
		end := len(dst)
		dst = norm.NFC.Append(dst, dst[start:end]...)
		dst = append(dst[:start], dst[end:]...)
	}
	return dst
}

// normalizeWord is appendNorm for a string.
func normalizeWord(s string) string { return string(appendNorm(nil, s)) }

func normalizeOther(k Kind, s string) string {
	switch k {
	case URL:
		return s
	case Number:
		return normalizeNumber(s)
	}
	return normalizeWord(s)
}

var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae")

func expandLigatures(s string) string {
	if !strings.ContainsAny(s, "œæ") {
		return s
	}
	return ligatures.Replace(s)
}

// foldAccents removes diacritics: "état" → "etat", "ça" → "ca".
//
// A word whose letters are ASCII or Latin-1 and Latin Extended-A
// (U+00C0-U+017F: every accented letter of French) is folded a letter at
// a time from latinFolds; any other word goes through the x/text chain
// that made that table.
func foldAccents(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s
	}
	var buf [64]byte
	b := append(buf[:0], s[:i]...)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r < latinFoldFirst || r >= latinFoldFirst+rune(len(latinFolds)) {
			return foldAccentsChain(s)
		}
		b = append(b, latinFolds[r-latinFoldFirst]...)
		i += size
	}
	return string(b)
}

// latinFoldFirst is the first letter of latinFolds.
const latinFoldFirst = 0xC0

// latinFolds[r-latinFoldFirst] is the x/text chain's folding of the
// letter r alone, for U+00C0 to U+017F: a letter there is one starter
// (its decomposition begins with its base letter), so a word of such
// letters folds as its letters do one by one.
var latinFolds = func() (t [0x180 - latinFoldFirst]string) {
	for k := range t {
		t[k] = foldAccentsChain(string(rune(latinFoldFirst + k)))
	}
	return t
}()

// foldAccentsChain removes diacritics with x/text: NFD, marks (Mn)
// removed, NFC.
func foldAccentsChain(s string) string {
	t := accentFolders.Get().(transform.Transformer)
	defer accentFolders.Put(t)
	out, _, err := transform.String(t, s) // String resets t first
	if err != nil {
		return s
	}
	return out
}

// accentFolders holds the transformers of foldAccents: a chain allocates
// buffers of a few kilobytes, too many to make anew for each of the
// hundreds of thousands of word forms a large corpus holds.
var accentFolders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// hasURLPrefix reports whether s starts with http://, https:// or www.
func hasURLPrefix(s string) bool {
	if len(s) < 5 || s[0]|0x20 != 'h' && s[0]|0x20 != 'w' {
		return false
	}
	for _, p := range [...]string{"https://", "http://", "www."} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return len(s) > len(p)
		}
	}
	return false
}

// scanURL returns the end of the URL that starts at i: up to white space or
// a character that cannot be in a URL written in prose, without trailing
// punctuation.
func scanURL(text string, i int) int {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == utf8.RuneError && size <= 1 || unicode.IsSpace(r) || strings.ContainsRune("<>\"«»", r) || r == '\u00a0' || r == '\u202f' {
			break
		}
		j += size
	}
	for j > i {
		r, size := utf8.DecodeLastRuneInString(text[i:j])
		if !strings.ContainsRune(".,;:!?)]}'’", r) {
			break
		}
		j -= size
	}
	return j
}

// scanTag returns the end of the @mention or #hashtag whose name starts at
// i (after the sign), or i when no name follows. A hashtag name must begin
// with a letter.
func scanTag(text string, i int) int {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if !(isWordChar(r) || r == '_') {
			break
		}
		if j == i && !unicode.IsLetter(r) && text[i-1] == '#' {
			return i
		}
		j += size
	}
	return j
}

// scanEmail returns the end of the e-mail address that starts at i, or i.
func scanEmail(text string, i int) int {
	j := i
	for j < len(text) && isEmailLocal(text[j]) {
		j++
	}
	if j == i || j >= len(text) || text[j] != '@' {
		return i
	}
	k := j + 1
	dots := 0
	lastDot := -1
	for k < len(text) && (isASCIIAlnum(text[k]) || text[k] == '-' || text[k] == '.') {
		if text[k] == '.' {
			if k == lastDot+1 {
				break
			}
			dots++
			lastDot = k
		}
		k++
	}
	for k > j+1 && text[k-1] == '.' {
		k--
		dots--
	}
	if dots < 1 || k-lastDot-1 < 2 {
		return i
	}
	return k
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isEmailLocal(c byte) bool {
	return isASCIIAlnum(c) || strings.IndexByte("._%+-", c) >= 0
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// units that may follow a number, longest first where one is a prefix of
// another. They are matched case-insensitively and must end at a word
// boundary.
var units = []string{"%", "‰", "€", "$", "£", "km/h", "km²", "km2", "km", "m²", "m³", "m2", "m3",
	"kwh", "kw", "kg", "cm", "mm", "min", "m", "h"}

// scanNumber recognises a number at i: ASCII digits, groups of three digits
// after a space, U+00A0 or U+202F ("1 000 000"), one decimal part after a
// comma or a point, then an optional unit after an optional space. A digit
// run followed by letters that are not a unit is a word ("5G", "1er").
func scanNumber(text string, i int) (int, bool) {
	if !isASCIIDigit(text[i]) {
		return i, false
	}
	j := i
	for j < len(text) && isASCIIDigit(text[j]) {
		j++
	}
	if j-i <= 3 {
		for {
			sep := groupSeparatorLen(text[j:])
			if sep == 0 || !threeDigits(text[j+sep:]) {
				break
			}
			j += sep + 3
		}
	}
	if j+1 < len(text) && (text[j] == ',' || text[j] == '.') && isASCIIDigit(text[j+1]) {
		j++
		for j < len(text) && isASCIIDigit(text[j]) {
			j++
		}
	}
	if u := unitAt(text, j); u > j {
		return u, true
	}
	if sep := groupSeparatorLen(text[j:]); sep > 0 {
		if u := unitAt(text, j+sep); u > j+sep {
			return u, true
		}
	}
	if j < len(text) {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if isWordChar(r) {
			return i, false
		}
	}
	return j, true
}

// groupSeparatorLen returns the byte length of a space, U+00A0 or U+202F
// at the start of s, or 0.
func groupSeparatorLen(s string) int {
	switch {
	case strings.HasPrefix(s, " "):
		return 1
	case strings.HasPrefix(s, "\u00a0"):
		return len("\u00a0")
	case strings.HasPrefix(s, "\u202f"):
		return len("\u202f")
	}
	return 0
}

// threeDigits reports whether s starts with exactly three ASCII digits.
func threeDigits(s string) bool {
	if len(s) < 3 || !isASCIIDigit(s[0]) || !isASCIIDigit(s[1]) || !isASCIIDigit(s[2]) {
		return false
	}
	return len(s) == 3 || !isASCIIDigit(s[3])
}

// unitAt returns the end of a unit at j, or j.
func unitAt(text string, j int) int {
	for _, u := range units {
		if len(text)-j < len(u) || !strings.EqualFold(text[j:j+len(u)], u) {
			continue
		}
		end := j + len(u)
		if end < len(text) {
			r, _ := utf8.DecodeRuneInString(text[end:])
			if isWordChar(r) {
				continue
			}
		}
		return end
	}
	return j
}

// normalizeNumber drops digit grouping and writes the unit after one space:
// "1 000 €" → "1000 €", "10%" → "10 %".
func normalizeNumber(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		c := s[i]
		if isASCIIDigit(c) || ((c == ',' || c == '.') && i+1 < len(s) && isASCIIDigit(s[i+1])) {
			b.WriteByte(c)
			i++
			continue
		}
		if sep := groupSeparatorLen(s[i:]); sep > 0 && threeDigits(s[i+sep:]) {
			i += sep
			continue
		}
		break
	}
	rest := strings.TrimLeft(s[i:], " \u00a0\u202f")
	if rest != "" {
		b.WriteByte(' ')
		b.WriteString(strings.ToLower(rest))
	}
	return b.String()
}
