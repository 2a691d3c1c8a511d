package synthesis

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"math/bits"
	"runtime"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/limpide/limpide/internal/minhash"
)

// lightNormalize is the text compared for exact duplicates: lowercased,
// every run of characters that are not letters or digits turned into one
// space, trimmed. Accents are kept.
func lightNormalize(text string) string { return string(appendLightNormalize(nil, text)) }

// lightASCII maps an ASCII letter or digit to itself lowercased, and every
// other ASCII byte to 0.
var lightASCII = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	return t
}()

// appendLightNormalize appends the light normalisation of text to b.
// ASCII, most of a French text, goes through a table a byte at a time,
// without branching on the byte: the byte, and a space before it when a
// separator came before, are written and kept or not by arithmetic. The
// letters of Latin-1 (the accented letters of French) are lowercased by
// adding to their second byte; other characters are decoded (an invalid
// byte is a separator, as utf8.RuneError is).
func appendLightNormalize(b []byte, text string) []byte {
	start := len(b)
	// Lowercasing lengthens a character by half at most (two bytes to
	// three), and a space is written only in place of a separator: half
	// as much again as text, and room for the writes past the end that
	// the loop then drops.
	buf := slices.Grow(b, len(text)+len(text)/2+utf8.UTFMax+2)
	buf = buf[:cap(buf)]
	w := start
	sep, started := 0, 0 // a separator came last; a word was written
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			l := lightASCII[c]
			word := 0
			if l != 0 {
				word = 1
			}
			buf[w] = ' '
			w += word & sep & started
			buf[w] = l
			w += word
			started |= word
			sep = word ^ 1
			i++
			continue
		}
		var lower rune
		size := 2
		if c == 0xC3 && i+1 < len(text) {
			d := text[i+1]
			// À–Þ and à–ÿ, but × and ÷.
			if d >= 0x80 && d <= 0xBF && d != 0x97 && d != 0xB7 {
				if d <= 0x9E {
					d += 0x20
				}
				lower = 0xC0 + rune(d-0x80)
			}
		}
		if lower == 0 {
			r, n := utf8.DecodeRuneInString(text[i:])
			size = n
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				i += n
				sep = 1
				continue
			}
			lower = unicode.ToLower(r)
		}
		i += size
		buf[w] = ' '
		w += sep & started
		w += utf8.EncodeRune(buf[w:], lower)
		started, sep = 1, 0
	}
	return buf[:w]
}

// Near-duplicate detection: MinHash over word 3-shingles of the light
// normalisation, minHashes values per text, bucketed by LSH in bands of
// bandRows values; a text that shares a bucket with an earlier text (in id
// order) is compared with that text by the exact Jaccard index of their
// shingle sets. Texts of fewer than minNearWords words are only ever exact
// duplicates ("Oui merci" and "Non merci" are not near-duplicates).
const (
	shingleWords = 3
	minHashes    = minhash.Len
	bandRows     = 4
	minNearWords = 6
)

// minHashSeeds are fixed, so that groups never depend on a run.
var minHashSeeds = func() (s [minHashes]uint64) {
	x := uint64(0x9E3779B97F4A7C15)
	for i := range s {
		x += 0x9E3779B97F4A7C15
		s[i] = minhash.Mix(x)
	}
	return s
}()

// shingleScratch holds the buffers of shingle sets computed one after
// another.
type shingleScratch struct {
	norm []byte
	set  []uint64
}

// shingles returns the sorted set of FNV-1a hashes of the word 3-shingles
// of a light normalisation (words separated by single spaces), or nil for
// fewer than minNearWords words. The set is overwritten by the next call.
func (sc *shingleScratch) shingles(norm []byte) []uint64 {
	set := sc.list(norm)
	slices.Sort(set)
	return slices.Compact(set)
}

// list is shingles unsorted, repeats included: all a MinHash signature
// needs, since a minimum depends on neither.
//
// Each byte of a word belongs to three shingles, those that start at it
// and at the two words before: one pass over the text carries the three
// hashes at once, each FNV-1a step of one independent of the others',
// rather than a pass for each shingle whose steps wait on each other.
// The hash of the shingle that starts at word w is carried from word w
// to word w+2 (c, then b, then a) and listed at the end of word w+2;
// hashes carried for words before the first are never listed.
func (sc *shingleScratch) list(norm []byte) []uint64 {
	var _ [0]struct{} = [shingleWords - 3]struct{}{} // three hashes carried: a, b, c
	const offset, prime = 14695981039346656037, 1099511628211
	set := sc.set[:0]
	var a, b, c uint64
	w := 0
	for i := 0; i < len(norm); w++ {
		a, b, c = b, c, offset
		for ; i < len(norm) && norm[i] != ' '; i++ {
			x := uint64(norm[i])
			a = (a ^ x) * prime
			b = (b ^ x) * prime
			c = (c ^ x) * prime
		}
		i++ // the space after the word
		// Each word is followed by a zero byte: h = (h ^ 0) * prime.
		a, b, c = a*prime, b*prime, c*prime
		if w >= shingleWords-1 {
			set = append(set, a)
		}
	}
	sc.set = set
	if w < minNearWords {
		return nil
	}
	return set
}

// signature is the MinHash signature of a shingle set (package minhash).
func signature(set []uint64) [minHashes]uint64 { return minhash.Signature(set, &minHashSeeds) }

// jaccard is |a ∩ b| / |a ∪ b| of two sorted sets.
func jaccard(a, b []uint64) float64 {
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// dupGroups groups texts (given in id order) that are equal after light
// normalisation, then, unless threshold is negative, joins groups whose
// texts are near-identical (Jaccard of 3-shingles at least threshold). It
// returns for each text the index of its group's canonical (the smallest
// index), and whether a group's members differ after normalisation.
//
// What it keeps per text is small and fixed: hashes of the text and of
// its normalisation and the LSH band keys. A byte-for-byte copy of an
// earlier text is never normalised; every other text is normalised once
// for its hash and keys, and again only when a hash or a band pairs it
// with another, so that the corpus is never held a second time. Union-find joins to the smaller
// index, so a group's canonical is its smallest member whatever the order
// of the joins.
func dupGroups(texts []string, skip []bool, threshold float64) (canonical []int, near map[int]bool) {
	n := len(texts)
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int) int {
		for int(parent[i]) != i {
			parent[i] = parent[parent[i]]
			i = int(parent[i])
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = int32(ra)
		} else if rb < ra {
			parent[ra] = int32(rb)
		}
	}
	const bands = minHashes / bandRows
	const chunk = 4096
	// Copies of an earlier text, byte for byte, as most duplicates are
	// (short answers, campaigns): found by a hash of the text and
	// checked, they share the group of the text they copy and are never
	// normalised. copyOf[i] is that earlier text, or -1.
	copyOf := make([]int32, n)
	rawHashes := make([]uint64, n)
	parallel((n+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			if !skip[i] {
				rawHashes[i] = maphash.String(normSeed, texts[i])
			}
		}
	})
	// The candidate: the first text with the same hash, found by sorting
	// the hashes (a radix sort keeps ids in order within a hash). A
	// candidate whose bytes differ (two texts with one hash) is dropped,
	// on every core, and the text taken for no copy.
	entries := make([]bandEntry, 0, n)
	for i := range texts {
		copyOf[i] = -1
		if !skip[i] {
			entries = append(entries, bandEntry{rawHashes[i], int32(i)})
		}
	}
	rawHashes = nil
	tmp := make([]bandEntry, len(entries))
	forEachRun(groupByKey(entries, tmp), func(run []bandEntry) {
		for _, e := range run[1:] {
			copyOf[e.i] = run[0].i
		}
	})
	parallel((n+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			if j := copyOf[i]; j >= 0 && texts[j] != texts[i] {
				copyOf[i] = -1
			}
		}
	})

	// The other texts' normalisation hashes and, for near duplicates,
	// their LSH band keys, on every core, from one normalisation of each.
	// Only the keys of the first text of each normalisation are read.
	hashes := make([]uint64, n)
	var keys [][bands]uint64
	var hasKeys []bool
	if threshold >= 0 {
		keys = make([][bands]uint64, n)
		hasKeys = make([]bool, n)
	}
	parallel((n+chunk-1)/chunk, func(c int) {
		var sc shingleScratch
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			if skip[i] || copyOf[i] >= 0 {
				continue
			}
			sc.norm = appendLightNormalize(sc.norm[:0], texts[i])
			hashes[i] = normHash(sc.norm)
			if keys != nil {
				if set := sc.list(sc.norm); len(set) > 0 {
					keys[i] = bandKeys(signature(set))
					hasKeys[i] = true
				}
			}
		}
	})

	// Exact duplicates: the same hash and, checked on every core, the same
	// normalisation. exact[i] is the first text of i's normalisation.
	exact := make([]int32, n)
	entries = entries[:0]
	for i := range texts {
		if !skip[i] && copyOf[i] < 0 {
			entries = append(entries, bandEntry{hashes[i], int32(i)})
		}
	}
	hashes = nil
	firsts := len(entries) // at most: the texts normalised
	forEachRun(groupByKey(entries, tmp[:len(entries)]), func(run []bandEntry) {
		for _, e := range run {
			exact[e.i] = run[0].i
		}
	})
	collision := make([]bool, n)
	parallel((n+chunk-1)/chunk, func(c int) {
		var a, b []byte
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			if skip[i] || copyOf[i] >= 0 || int(exact[i]) == i || texts[i] == texts[exact[i]] {
				continue
			}
			a = appendLightNormalize(a[:0], texts[i])
			b = appendLightNormalize(b[:0], texts[exact[i]])
			collision[i] = !bytes.Equal(a, b)
		}
	})
	// Two normalisations with one hash: told apart by their text, in id
	// order.
	var collided map[string]int32
	for i, ok := range collision {
		if !ok {
			continue
		}
		if collided == nil {
			collided = map[string]int32{}
		}
		norm := lightNormalize(texts[i])
		if k, ok := collided[norm]; ok {
			exact[i] = k
		} else {
			collided[norm] = int32(i)
			exact[i] = int32(i)
		}
	}
	// A copy is in the group of the text it copies, settled above (an
	// earlier text, never itself a copy).
	for i, j := range copyOf {
		if j >= 0 {
			exact[i] = exact[j]
		}
	}
	copyOf = nil
	collision, collided = nil, nil
	// The first text of each normalisation, in id order: the one text its
	// group's exact names.
	distinct := make([]int, 0, firsts)
	for i := range texts {
		if !skip[i] && int(exact[i]) == i {
			distinct = append(distinct, i)
		}
	}
	for i := range texts {
		if !skip[i] && int(exact[i]) != i {
			union(int(exact[i]), i)
		}
	}

	if threshold >= 0 {
		// Candidate pairs: a text and the first text (in id order) that
		// shares one of its band buckets, as many pairs as there are
		// shared buckets, each pair once.
		type pair struct{ i, j int32 }
		withKeys := 0
		for _, i := range distinct {
			if hasKeys[i] {
				withKeys++
			}
		}
		bandPairs := make([][]pair, bands)
		// Each core sorts its bands in two arrays of its own, reused from
		// band to band; the first core's are those the exact duplicates
		// were sorted in.
		type sortArrays struct{ entries, tmp []bandEntry }
		arrays := make(chan *sortArrays, bands)
		arrays <- &sortArrays{entries[:0], tmp[:cap(tmp)]}
		for range min(bands, runtime.GOMAXPROCS(0)) - 1 {
			arrays <- &sortArrays{make([]bandEntry, 0, withKeys), make([]bandEntry, withKeys)}
		}
		parallel(bands, func(b int) {
			sa := <-arrays
			defer func() { arrays <- sa }()
			entries := sa.entries[:0]
			for _, i := range distinct {
				if hasKeys[i] {
					entries = append(entries, bandEntry{keys[i][b], int32(i)})
				}
			}
			// In id order already: grouped by key, each group stays in
			// id order.
			entries = groupByKey(entries, sa.tmp[:len(entries)])
			forEachRun(entries, func(run []bandEntry) {
				for _, e := range run[1:] {
					bandPairs[b] = append(bandPairs[b], pair{e.i, run[0].i})
				}
			})
		})
		pairs := slices.Concat(bandPairs...)
		keys, hasKeys, bandPairs = nil, nil, nil
		slices.SortFunc(pairs, func(x, y pair) int {
			if x.i != y.i {
				return int(x.i - y.i)
			}
			return int(x.j - y.j)
		})
		pairs = slices.Compact(pairs)
		// The exact Jaccard index of each pair, on every core.
		similar := make([]bool, len(pairs))
		parallel((len(pairs)+chunk-1)/chunk, func(c int) {
			var sa, sb shingleScratch
			for p := c * chunk; p < min((c+1)*chunk, len(pairs)); p++ {
				sa.norm = appendLightNormalize(sa.norm[:0], texts[pairs[p].j])
				sb.norm = appendLightNormalize(sb.norm[:0], texts[pairs[p].i])
				similar[p] = jaccard(sa.shingles(sa.norm), sb.shingles(sb.norm)) >= threshold
			}
		})
		for p, ok := range similar {
			if ok {
				union(int(pairs[p].j), int(pairs[p].i))
			}
		}
	}

	canonical = make([]int, n)
	near = map[int]bool{}
	for i := range texts {
		if skip[i] {
			canonical[i] = -1
			continue
		}
		canonical[i] = find(i)
		if int(exact[i]) != canonical[i] {
			near[canonical[i]] = true
		}
	}
	return canonical, near
}

// bandEntry is a text's key in one LSH band.
type bandEntry struct {
	key uint64
	i   int32
}

// groupByKey orders entries so that those with one key are next to each
// other, in their order in entries, and returns them (in entries or tmp,
// of the same length). The groups come in no useful order: the callers
// (forEachRun) take each group on its own.
//
// Keys are uniform hashes, so their low 22 bits nearly tell them apart:
// two passes of a radix sort (11 bits each) on those bits, then each run
// of equal low bits that holds more than one key is sorted by key, stably.
// On the 429,112 answers that is 6.9% of the 3.1 million entries grouped,
// nearly all in runs of two or three. The full six-pass sort it replaces
// took 0.15-0.19 CPU-s of a run in the profiles.
func groupByKey(entries, tmp []bandEntry) []bandEntry {
	const bits, passes = 11, 2
	const low = 1<<(bits*passes) - 1
	var count [1 << bits]int
	for pass := 0; pass < passes; pass++ {
		shift := pass * bits
		clear(count[:])
		for _, e := range entries {
			count[e.key>>shift&(1<<bits-1)]++
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, e := range entries {
			d := e.key >> shift & (1<<bits - 1)
			tmp[count[d]] = e
			count[d]++
		}
		entries, tmp = tmp, entries
	}
	for lo := 0; lo < len(entries); {
		hi, mixed := lo+1, false
		for hi < len(entries) && entries[hi].key&low == entries[lo].key&low {
			mixed = mixed || entries[hi].key != entries[lo].key
			hi++
		}
		if mixed {
			slices.SortStableFunc(entries[lo:hi], func(x, y bandEntry) int { return cmp.Compare(x.key, y.key) })
		}
		lo = hi
	}
	return entries
}

// forEachRun calls fn with each run of entries with one key, in the order
// the runs come.
func forEachRun(entries []bandEntry, fn func(run []bandEntry)) {
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].key == entries[lo].key {
			hi++
		}
		fn(entries[lo:hi])
		lo = hi
	}
}

// normHash hashes a light normalisation for the exact-duplicate step
// (a variable so that tests can force collisions). Its values, as those
// of the texts' own hashes, only find candidates, which are then compared
// byte for byte, and never reach a report: maphash's seed, new in each
// process, changes nothing. It reads eight bytes a step where FNV-1a
// took one.
var normHash = func(s []byte) uint64 { return maphash.Bytes(normSeed, s) }

var normSeed = maphash.MakeSeed()

// bandKeys hashes each band of bandRows values of a signature into one
// LSH bucket key.
func bandKeys(sig [minHashes]uint64) (keys [minHashes / bandRows]uint64) {
	for band := range keys {
		h := uint64(band)
		for _, v := range sig[band*bandRows : (band+1)*bandRows] {
			h = minhash.Mix(h ^ v)
			h = bits.RotateLeft64(h, 17)
		}
		keys[band] = h
	}
	return keys
}

// parallel calls work(c) for every c in [0, n) on GOMAXPROCS goroutines.
func parallel(n int, work func(c int)) { parallelChunks(n, work, nil) }
