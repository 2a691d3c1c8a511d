package tokenize

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestReadTable looks up every key of a read table, short keys held in
// its slots and long ones in its map, keys that differ from them by a
// byte or a length, and the empty key.
func TestReadTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	letters := []rune("abcdeéèàçôœz’-")
	m := map[string]*wordInfo{}
	var keys []string
	for len(m) < 5000 {
		var b strings.Builder
		for n := 1 + rng.IntN(24); n > 0; n-- {
			b.WriteRune(letters[rng.IntN(len(letters))])
		}
		k := b.String()
		if m[k] == nil {
			m[k] = &wordInfo{norm: k, id: uint32(len(m) + 1)}
			keys = append(keys, k)
		}
	}
	tab := newReadTable(m)
	if len(tab.slots) < len(m)*4/3 {
		t.Fatalf("%d slots for %d keys: fuller than three quarters", len(tab.slots), len(m))
	}
	for _, k := range keys {
		if got := tab.lookup([]byte(k)); got != m[k] {
			t.Fatalf("lookup(%q) = %v, want the key's entry", k, got)
		}
		for _, other := range []string{k + "x", k[:len(k)-1], "x" + k[1:], strings.ToUpper(k)} {
			if got, want := tab.lookup([]byte(other)), m[other]; got != want {
				t.Fatalf("lookup(%q) = %v, want %v", other, got, want)
			}
		}
	}
	if tab.lookup(nil) != nil {
		t.Fatal("the empty key found an entry")
	}
	empty := newReadTable(map[string]*wordInfo{})
	if empty.lookup([]byte("mot")) != nil {
		t.Fatal("an empty table found an entry")
	}
}

// TestStemCacheReads stores words and aliases one at a time and reads
// each back by bytes and by string after every store, through the tables
// the cache publishes as it grows.
func TestStemCacheReads(t *testing.T) {
	var c stemCache
	var keys []string
	for i := 0; i < 3000; i++ {
		k := fmt.Sprintf("mot%d", i)
		if i%7 == 0 {
			k = strings.Repeat("long", 5) + k // beyond a slot
		}
		info := c.store(k, &wordInfo{norm: k})
		if i%5 == 0 {
			c.storeAlias(strings.ToUpper(k), info)
		}
		keys = append(keys, k)
		for _, q := range []string{keys[earlier(i)], k} {
			if got := c.load([]byte(q), "", true); got == nil || got.norm != q {
				t.Fatalf("after %d stores, load(%q) by bytes = %v", i+1, q, got)
			}
			if got := c.load(nil, q, false); got == nil || got.norm != q {
				t.Fatalf("after %d stores, load(%q) by string = %v", i+1, q, got)
			}
		}
		if i%5 == 0 {
			if got := c.load([]byte(strings.ToUpper(k)), "", true); got == nil || got.norm != k {
				t.Fatalf("alias %q = %v", strings.ToUpper(k), got)
			}
		}
	}
	if c.read.Load() == nil {
		t.Fatal("the cache never published a read table")
	}
	norms, _ := c.words()
	if len(norms) != len(keys)+1 {
		t.Fatalf("%d words, want %d", len(norms)-1, len(keys))
	}
}

// earlier is an index spread over [0, i], for reading back an earlier key.
func earlier(i int) int { return i * 7919 % (i + 1) }
