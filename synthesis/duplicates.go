package synthesis

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
)

// lightNormalize is the text compared for exact duplicates: lowercased,
// every run of characters that are not letters or digits turned into one
// space, trimmed. Accents are kept.
func lightNormalize(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

// Near-duplicate detection: MinHash over word 3-shingles of the light
// normalisation, minHashes values per text, bucketed by LSH in bands of
// bandRows values; a text that shares a bucket with an earlier text (in id
// order) is compared with that text by the exact Jaccard index of their
// shingle sets. Texts of fewer than minNearWords words are only ever exact
// duplicates ("Oui merci" and "Non merci" are not near-duplicates).
const (
	shingleWords = 3
	minHashes    = 32
	bandRows     = 4
	minNearWords = 6
)

// minHashSeeds are fixed, so that groups never depend on a run.
var minHashSeeds = func() (s [minHashes]uint64) {
	x := uint64(0x9E3779B97F4A7C15)
	for i := range s {
		x += 0x9E3779B97F4A7C15
		s[i] = mix64(x)
	}
	return s
}()

// mix64 is the SplitMix64 finaliser.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// shingles returns the sorted set of FNV-1a hashes of the word 3-shingles
// of a light normalisation (words separated by single spaces), or nil for
// fewer than minNearWords words.
func shingles(norm string) []uint64 {
	words := strings.Fields(norm)
	if len(words) < minNearWords {
		return nil
	}
	const offset, prime = 14695981039346656037, 1099511628211
	set := make([]uint64, 0, len(words))
	for i := 0; i+shingleWords <= len(words); i++ {
		h := uint64(offset)
		for _, w := range words[i : i+shingleWords] {
			for k := 0; k < len(w); k++ {
				h = (h ^ uint64(w[k])) * prime
			}
			h = (h ^ 0) * prime
		}
		set = append(set, h)
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// signature is the MinHash signature of a shingle set.
func signature(set []uint64) (sig [minHashes]uint64) {
	for k := range sig {
		sig[k] = ^uint64(0)
	}
	for _, sh := range set {
		for k, seed := range minHashSeeds {
			if v := mix64(sh ^ seed); v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig
}

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
func dupGroups(texts []string, skip []bool, threshold float64) (canonical []int, near map[int]bool) {
	n := len(texts)
	canonical = make([]int, n)
	norms := make([]string, n)
	first := map[string]int{}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}
	// Normalisations, shingle sets and signatures do not depend on one
	// another: they are computed on every core.
	sets := make([][]uint64, n)
	sigs := make([][minHashes]uint64, n)
	const chunk = 4096
	parallel((n+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			if skip[i] {
				continue
			}
			norms[i] = lightNormalize(texts[i])
			if threshold >= 0 {
				if set := shingles(norms[i]); len(set) > 0 {
					sets[i] = set
					sigs[i] = signature(set)
				}
			}
		}
	})
	var distinct []int // first index of each normalised text
	for i := range texts {
		if skip[i] {
			continue
		}
		if j, ok := first[norms[i]]; ok {
			union(j, i)
			continue
		}
		first[norms[i]] = i
		distinct = append(distinct, i)
	}
	if threshold >= 0 {
		type bandKey struct {
			band int
			hash uint64
		}
		buckets := map[bandKey]int{}
		for _, i := range distinct {
			set := sets[i]
			if len(set) == 0 {
				continue
			}
			sig := sigs[i]
			compared := map[int]bool{}
			for band := 0; band < minHashes/bandRows; band++ {
				h := uint64(band)
				for _, v := range sig[band*bandRows : (band+1)*bandRows] {
					h = mix64(h ^ v)
					h = bits.RotateLeft64(h, 17)
				}
				key := bandKey{band, h}
				j, ok := buckets[key]
				if !ok {
					buckets[key] = i
					continue
				}
				if compared[j] {
					continue
				}
				compared[j] = true
				if jaccard(sets[j], set) >= threshold {
					union(j, i)
				}
			}
		}
	}
	near = map[int]bool{}
	for i := range texts {
		if skip[i] {
			canonical[i] = -1
			continue
		}
		canonical[i] = find(i)
		if norms[i] != norms[canonical[i]] {
			near[canonical[i]] = true
		}
	}
	return canonical, near
}

// parallel calls work(c) for every c in [0, n) on GOMAXPROCS goroutines.
func parallel(n int, work func(c int)) { parallelChunks(n, work, nil) }
