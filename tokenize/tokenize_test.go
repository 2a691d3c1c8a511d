package tokenize

import (
	"bytes"
	"encoding/csv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/limpide/limpide"
)

// tok is the part of a Token a table test states.
type tok struct {
	Surface, Norm, Stem string
	Start               int
}

func TestTokens(t *testing.T) {
	all := Config{KeepNumbers: true, KeepURLs: true, KeepEmails: true, KeepMentions: true}
	tests := []struct {
		name string
		cfg  Config
		text string
		want []tok
	}{
		{"elision ASCII apostrophe", Config{}, "l'impôt",
			[]tok{{"impôt", "impôt", "impot", 2}}},
		{"elision typographic apostrophe, token starts at É", Config{}, "L’État",
			[]tok{{"État", "état", "etat", 4}}},
		{"elision modifier apostrophe", Config{}, "dʼécologie",
			[]tok{{"écologie", "écologie", "ecolog", 3}}},
		{"elision of every article and conjunction", Config{KeepStopWords: true},
			"d'eau j'aime m'appelle n'importe s'agit t'écoute c'était qu'il jusqu'ici lorsqu'elle puisqu'on quoiqu'elle",
			[]tok{{"eau", "eau", "eau", 2}, {"aime", "aime", "aim", 8}, {"appelle", "appelle", "appel", 15},
				{"importe", "importe", "import", 25}, {"agit", "agit", "agit", 35}, {"écoute", "écoute", "ecout", 42},
				{"était", "était", "etait", 52}, {"il", "il", "il", 62}, {"ici", "ici", "ici", 71},
				{"elle", "elle", "elle", 82}, {"on", "on", "on", 94}, {"elle", "elle", "elle", 104}}},
		{"aujourd'hui stays one word", Config{}, "aujourd'hui et aujourd’hui",
			[]tok{{"aujourd'hui", "aujourd'hui", "aujourd'hui", 0}, {"aujourd’hui", "aujourd'hui", "aujourd'hui", 15}}},
		{"apostrophe as quotation mark is a separator", Config{}, "'taxe' ‘carbone’",
			[]tok{{"taxe", "taxe", "tax", 1}, {"carbone", "carbone", "carbon", 10}}},
		{"hyphen splits peut-être", Config{KeepStopWords: true}, "peut-être",
			[]tok{{"peut", "peut", "peut", 0}, {"être", "être", "etre", 5}}},
		{"hyphen splits c'est-à-dire", Config{}, "c'est-à-dire",
			[]tok{{"dire", "dire", "dir", 9}}},
		{"hyphen splits Saint-Denis", Config{}, "Saint-Denis",
			[]tok{{"Saint", "saint", "saint", 0}, {"Denis", "denis", "den", 6}}},
		{"euphonic -t-il leaves the verb", Config{}, "Pourquoi l'État va-t-il réformer ?",
			[]tok{{"État", "état", "etat", 11}, {"va", "va", "va", 17},
				{"réformer", "réformer", "reform", 25}}},
		{"capitals keep Surface, fold Stem", Config{}, "L'ÉTAT Etat État",
			[]tok{{"ÉTAT", "état", "etat", 2}, {"Etat", "etat", "etat", 8}, {"État", "état", "etat", 13}}},
		{"KeepAccents keeps Snowball's accented stem", Config{KeepAccents: true}, "État Etat",
			[]tok{{"État", "état", "état", 0}, {"Etat", "etat", "etat", 6}}},
		{"decomposed accent composes in Norm, span covers the mark", Config{}, "re\u0301forme",
			[]tok{{"re\u0301forme", "réforme", "reform", 0}}},
		{"ligature œ matches oe", Config{}, "cœur coeur Œuvre",
			[]tok{{"cœur", "cœur", "coeur", 0}, {"coeur", "coeur", "coeur", 6}, {"Œuvre", "œuvre", "oeuvr", 12}}},
		{"non-breaking spaces separate", Config{}, "pouvoir\u00a0d’achat\u202fbaisse",
			[]tok{{"pouvoir", "pouvoir", "pouvoir", 0}, {"achat", "achat", "achat", 13}, {"baisse", "baisse", "baiss", 21}}},
		{"emoji skipped", Config{}, "climat🌍urgence 👍🏽 ❤️ taxe",
			[]tok{{"climat", "climat", "climat", 0}, {"urgence", "urgence", "urgenc", 10}, {"taxe", "taxe", "tax", 34}}},
		{"invalid UTF-8 is a separator", Config{}, "impôt\xff\xfetaxe\xc3",
			[]tok{{"impôt", "impôt", "impot", 0}, {"taxe", "taxe", "tax", 8}}},
		{"numbers and units recognised", all, "80 km/h, 1 000 € et 10 % ou 3,5 %",
			[]tok{{"80 km/h", "80 km/h", "80 km/h", 0}, {"1 000 €", "1000 €", "1000 €", 9},
				{"10 %", "10 %", "10 %", 22}, {"3,5 %", "3,5 %", "3,5 %", 30}}},
		{"numbers with non-breaking spaces", all, "1\u202f000\u00a0000 habitants",
			[]tok{{"1\u202f000\u00a0000", "1000000", "1000000", 0}, {"habitants", "habitants", "habit", 13}}},
		{"numbers dropped by default", Config{}, "limiter à 80 km/h et 1 000 €",
			[]tok{{"limiter", "limiter", "limit", 0}}},
		{"digits inside words are words", Config{}, "la 5G et le G7",
			[]tok{{"5G", "5g", "5g", 3}, {"G7", "g7", "g7", 12}}},
		{"URL, e-mail, mention kept on demand", all, "voir https://granddebat.fr/p?q=1, écrire à jean.d@mairie.fr @Macron",
			[]tok{{"voir", "voir", "voir", 0}, {"https://granddebat.fr/p?q=1", "https://granddebat.fr/p?q=1", "https://granddebat.fr/p?q=1", 5},
				{"écrire", "écrire", "ecrir", 34}, {"jean.d@mairie.fr", "jean.d@mairie.fr", "jean.d@mairie.fr", 45},
				{"@Macron", "@macron", "@macron", 62}}},
		{"URL, e-mail, mention dropped by default, words inside them too", Config{},
			"voir www.service-public.fr. ou ecrire@impots.gouv.fr @Macron",
			[]tok{{"voir", "voir", "voir", 0}}},
		{"hashtag kept by default, not stemmed", Config{}, "#RIC #Référendum",
			[]tok{{"#RIC", "#ric", "#ric", 0}, {"#Référendum", "#référendum", "#référendum", 5}}},
		{"hashtag dropped on demand", Config{DropHashtags: true}, "#RIC citoyen",
			[]tok{{"citoyen", "citoyen", "citoyen", 5}}},
		{"stop words removed by default", Config{}, "Il faut que les impôts soient plus justes",
			[]tok{{"impôts", "impôts", "impot", 16}, {"justes", "justes", "just", 36}}},
		{"stop words written without accents", Config{}, "meme a cote etre",
			[]tok{{"cote", "cote", "cot", 7}}},
		{"stop words extended by Config", Config{StopWords: []string{"Impôts"}}, "impôts justes",
			[]tok{{"justes", "justes", "just", 8}}},
		{"MinLength", Config{MinLength: 4}, "TVA taxe",
			[]tok{{"taxe", "taxe", "tax", 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewAnalyzer(tt.cfg).Tokens(tt.text)
			var short []tok
			for _, g := range got {
				short = append(short, tok{g.Surface, g.Norm, g.Stem, g.Start})
				require.Equal(t, g.Surface, tt.text[g.Start:g.End], "span of %q", g.Surface)
			}
			assert.Equal(t, tt.want, short)
		})
	}
}

// checkSpans asserts the span invariant on the tokens of text: in bounds,
// increasing, non-overlapping, on rune boundaries, text[Start:End] == Surface.
func checkSpans(t *testing.T, text string, toks []Token) {
	t.Helper()
	// Character boundaries as Go decodes the text: each valid rune and each
	// invalid byte is one character.
	boundary := make([]bool, len(text)+1)
	for i := range text {
		boundary[i] = true
	}
	boundary[len(text)] = true
	prevEnd, prevIndex := 0, -1
	for _, tk := range toks {
		if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(text) {
			t.Fatalf("token %q: span [%d,%d) after %d, text of %d bytes", tk.Surface, tk.Start, tk.End, prevEnd, len(text))
		}
		if !boundary[tk.Start] || !boundary[tk.End] {
			t.Fatalf("token %q: span [%d,%d) cuts a character", tk.Surface, tk.Start, tk.End)
		}
		if text[tk.Start:tk.End] != tk.Surface {
			t.Fatalf("text[%d:%d] = %q, Surface %q", tk.Start, tk.End, text[tk.Start:tk.End], tk.Surface)
		}
		if !utf8.ValidString(tk.Surface) {
			t.Fatalf("token %q holds invalid UTF-8", tk.Surface)
		}
		if tk.Index <= prevIndex {
			t.Fatalf("token %q: Index %d after %d", tk.Surface, tk.Index, prevIndex)
		}
		prevEnd, prevIndex = tk.End, tk.Index
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"L’État doit baisser les impôts", "aujourd'hui", "c'est-à-dire", "re\u0301forme", "1 000 €",
		"https://x.fr/a.", "a@b.fr", "#RIC @x", "\xff\xfe", "l'", "qu’", "e\u0301\u0301", "1\u202f000", "🙂\u0301a",
	} {
		f.Add(s)
	}
	all := NewAnalyzer(Config{KeepStopWords: true, KeepNumbers: true, KeepURLs: true, KeepEmails: true,
		KeepMentions: true, MinLength: 1})
	def := NewAnalyzer(Config{})
	f.Fuzz(func(t *testing.T, text string) {
		checkSpans(t, text, all.Tokens(text))
		checkSpans(t, text, def.Tokens(text))
		checkAlone(t, all, text)
		checkAlone(t, def, text)
	})
}

// checkAlone checks what a caller that re-analyses one token's surface
// relies on (synthesis does, for the forms of a theme's terms): when the
// surface alone makes one token that spans all of it with the same stem,
// that token has the same Norm as in its text.
func checkAlone(t *testing.T, a *Analyzer, text string) {
	t.Helper()
	for _, tok := range a.Tokens(text) {
		alone := a.Tokens(tok.Surface)
		if len(alone) == 1 && alone[0].Start == 0 && alone[0].End == len(tok.Surface) && alone[0].Stem == tok.Stem {
			require.Equal(t, tok.Norm, alone[0].Norm, "%q in %q", tok.Surface, text)
		}
	}
}

// TestTokenAlone runs checkAlone over the embedded Grand Débat sample and
// texts where the surface alone is analysed otherwise (an elision kept
// whole in its text, numbers, tags, addresses).
func TestTokenAlone(t *testing.T) {
	texts := []string{"del'état l'état L’État", "aujourd'hui c'est-à-dire", "1 000 € et 1\u202f000 km", "#RIC @x https://x.fr/a. a@b.fr",
		"re\u0301forme œuvre ŒUVRE", "qu’on d'abord jusqu'à"}
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	require.NoError(t, err)
	for _, r := range rows[1:] {
		texts = append(texts, r[1])
	}
	all := NewAnalyzer(Config{KeepStopWords: true, KeepNumbers: true, KeepURLs: true, KeepEmails: true, KeepMentions: true, MinLength: 1})
	def := NewAnalyzer(Config{})
	for _, text := range texts {
		checkAlone(t, all, text)
		checkAlone(t, def, text)
	}
}

func TestIndexAdjacency(t *testing.T) {
	toks := NewAnalyzer(Config{}).Tokens("la transition écologique et la justice sociale")
	require.Len(t, toks, 4)
	assert.Equal(t, 1, toks[1].Index-toks[0].Index, "transition écologique are adjacent")
	assert.Equal(t, 3, toks[2].Index-toks[1].Index, "écologique … justice are not")
}

func TestStemCacheConcurrent(t *testing.T) {
	a := NewAnalyzer(Config{})
	text := strings.Repeat("Les citoyens demandent plus de démocratie participative et de référendums. ", 20)
	want := NewAnalyzer(Config{}).Tokens(text)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if got := a.Tokens(text); !assert.Equal(t, want, got) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestStemCacheConcurrentCorpus analyses the repository's Grand Débat
// sample on eight goroutines sharing one Analyzer, whose cache publishes
// read tables as thousands of words arrive, and compares every token but
// its Word number (which follows the order words are first met) with a
// lone analysis.
func TestStemCacheConcurrentCorpus(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(limpide.GrandDebatSample())).ReadAll()
	require.NoError(t, err)
	var texts []string
	for _, r := range rows[1:] {
		texts = append(texts, r[1])
	}
	alone := NewAnalyzer(Config{})
	want := make([][]Token, len(texts))
	for i, text := range texts {
		want[i] = alone.Tokens(text)
	}
	a := NewAnalyzer(Config{})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range texts {
				i := (k*7 + g*257) % len(texts) // each goroutine its own order
				got := a.Tokens(texts[i])
				if !assert.Len(t, got, len(want[i])) {
					return
				}
				for n := range got {
					w := want[i][n]
					w.Word = got[n].Word
					if !assert.Equal(t, w, got[n], "text %d token %d", i, n) {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// A surface met before is found by itself, as written, without being
// normalised again: the ways of writing one form share its entry and its
// Word number, and only forms are numbered (Words lists no surface).
func TestSurfaceAliases(t *testing.T) {
	a := NewAnalyzer(Config{})
	text := "École école ÉCOLE re\u0301forme réforme École re\u0301forme"
	for range 3 { // met again: from the aliases
		toks := a.Tokens(text)
		require.Len(t, toks, 7)
		assert.Equal(t, NewAnalyzer(Config{}).Tokens(text), toks)
		for _, k := range []int{1, 2, 5} {
			assert.Equal(t, toks[0].Word, toks[k].Word, "token %d", k)
			assert.Equal(t, "école", toks[k].Norm)
		}
		assert.Equal(t, toks[3].Word, toks[4].Word)
		assert.Equal(t, toks[3].Word, toks[6].Word)
		assert.Equal(t, "réforme", toks[3].Norm)
	}
	norms, _ := a.Words()
	assert.Equal(t, []string{"", "école", "réforme"}, norms)
	assert.Equal(t, 3, a.cache.aliases, "École, ÉCOLE and the decomposed réforme")
}

func TestForms(t *testing.T) {
	a := NewAnalyzer(Config{})
	var f Forms
	f.Add(a.Tokens("La fiscalité, les fiscalités, la Fiscalité et le fiscal ; Fiscalité."))
	stem := a.StemOf("fiscalité")
	assert.Equal(t, "fiscal", stem)
	assert.Equal(t, "fiscalité", f.Top(stem))
	assert.Equal(t, []FormCount{{"fiscalité", 3}, {"fiscal", 1}, {"fiscalités", 1}}, f.Of(stem))
	assert.Equal(t, "absent", f.Top("absent"))

	var g Forms
	g.AddForm(stem, "fiscal", 5)
	g.Merge(&f)
	assert.Equal(t, "fiscal", g.Top(stem))
	assert.Equal(t, []string{"fiscal"}, g.Stems())
}

func TestNLPTokeniser(t *testing.T) {
	nt := NLPTokeniser{Analyzer: NewAnalyzer(Config{})}
	assert.Equal(t, []string{"etat", "impot", "just"}, nt.Tokenise("L'État et des impôts justes"))
	var got []string
	nt.ForEachIn("Les impôts", func(s string) { got = append(got, s) })
	assert.Equal(t, []string{"impot"}, got)
}

func TestStopWordsEmbedded(t *testing.T) {
	words := StopWords()
	assert.Contains(t, words, "au")
	assert.Contains(t, words, "eussent")
	assert.Contains(t, words, "faut")
	for _, w := range words {
		assert.Equal(t, strings.TrimSpace(w), w)
		assert.NotContains(t, w, "|")
	}
}

func TestStemBasics(t *testing.T) {
	tests := []struct{ word, want string }{
		{"", ""},
		{"fiscalité", "fiscal"},
		{"Fiscalité", "fiscal"},
		{"genoux", "genou"},
		{"roux", "roux"},
		{"mauvaise", "mauvais"},
		{"balais", "balais"},
		{"français", "franc"},
		{"l'abandon", "abandon"},
		{"haïssait", "haïss"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Stem(tt.word), "Stem(%q)", tt.word)
	}
}

// Token.Word numbers each word form from 1 in the order first met, the
// same for every occurrence; Words gives each number's Norm and Stem.
func TestWordNumbers(t *testing.T) {
	a := NewAnalyzer(Config{})
	toks := a.Tokens("Impôts, IMPÔTS et impôt : #RIC, les impôts !")
	var words []uint32
	for _, tok := range toks {
		words = append(words, tok.Word)
	}
	// impôts, impôts (the same Norm), impôt (after the stop word "et",
	// which is numbered too), the hashtag, impôts.
	assert.Equal(t, []uint32{1, 1, 3, 0, 1}, words)
	norms, stems := a.Words()
	require.Len(t, norms, 5) // none, impôts, et, impôt, les
	require.Len(t, stems, 5)
	assert.Equal(t, "et", norms[2])
	for _, tok := range toks {
		if tok.Word != 0 {
			assert.Equal(t, tok.Norm, norms[tok.Word])
			assert.Equal(t, tok.Stem, stems[tok.Word])
		}
	}
	assert.Equal(t, "", norms[0])
	assert.Equal(t, "impot", stems[1])
	// A form met later takes the next number; the earlier ones keep theirs.
	late := a.Tokens("fiscalité des impôts")
	assert.Equal(t, uint32(len(norms)), late[0].Word)
	assert.Equal(t, uint32(1), late[1].Word)
}

// TestFoldAccents folds the letters of French and words the letter table
// leaves to the x/text chain.
func TestFoldAccents(t *testing.T) {
	for in, want := range map[string]string{
		"etat":                   "etat",
		"état":                   "etat",
		"ça":                     "ca",
		"élève":                  "eleve",
		"où":                     "ou",
		"noël":                   "noel",
		"œuvre":                  "œuvre", // no diacritic: the ligature stays
		"ÉTÉ":                    "ETE",
		"e\u0301te\u0301":        "ete", // combining accents: the chain
		"smørrebrød":             "smørrebrød",
		"ǎ":                      "a",      // beyond U+017F: the chain
		"\xff":                   "\ufffd", // as the chain decodes it
		strings.Repeat("é", 100): strings.Repeat("e", 100),
	} {
		assert.Equal(t, want, foldAccents(in), "%q", in)
	}
}

// FuzzFoldAccents holds foldAccents, letter table and all, to what the
// x/text chain gives for the whole word.
func FuzzFoldAccents(f *testing.F) {
	for _, s := range []string{"état", "ça", "e\u0301", "Ǆ", "ﬁ", "\xc3", "àéîõüçÿ", "ĳ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := foldAccents(s), foldAccentsChain(s); got != want {
			t.Fatalf("%q: %q, the chain gives %q", s, got, want)
		}
	})
}
