package tokenize

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// stemCache maps a normalised word form, and the other ways of writing it
// met in texts, to what the Analyzer knows of it.
// Reads are lock-free: they hit an immutable table published through an
// atomic pointer. Misses go to a map under a mutex that holds every
// entry; once the misses since the last publication outnumber the
// entries, and some were added since, a new read table is made from the
// map. This is the scheme of sync.Map, specialised to string keys so that
// a lookup with a []byte key allocates nothing, and with one map that is
// never copied: a read table has its own copy of the few long keys only.
//
// Each cached entry is numbered (wordInfo.id, from 1) as it is stored, and
// byID lists the entries in that order.
type stemCache struct {
	read    atomic.Pointer[readTable]
	mu      sync.Mutex
	all     map[string]*wordInfo // every entry
	added   int                  // entries added since the last publication
	misses  int
	byID    []*wordInfo // byID[id-1] is the entry numbered id
	aliases int         // entries under another way of writing their form
}

// readTable is the cache's entries as lookups see them: an open-addressing
// table (linear probing) whose slots hold their key in place, for the
// keys of at most slotKey bytes, 99.8% of the words of the Grand Débat
// answers; longer keys are looked up in a map of their own.
// A lookup in a Go map of strings reads the map's control bytes, its slot
// and the key's bytes elsewhere in memory: three cache lines that a
// hundred thousand words do not keep cached. Here a hit reads its slot.
type readTable struct {
	slots []cacheSlot
	mask  uint64
	seed  maphash.Seed
	long  map[string]*wordInfo // the entries that no slot holds
}

// slotKey is the longest key a slot holds in place.
const slotKey = 15

// cacheSlot is one slot of a readTable: a key of n bytes, n = 0 when the
// slot is empty.
type cacheSlot struct {
	n    uint8
	key  [slotKey]byte
	info *wordInfo
}

// newReadTable makes the read table of the entries of m, which may change
// after.
func newReadTable(m map[string]*wordInfo) *readTable {
	size := 16
	for size < len(m)+len(m)/3 { // at most three quarters full
		size *= 2
	}
	t := &readTable{slots: make([]cacheSlot, size), mask: uint64(size - 1), seed: maphash.MakeSeed(), long: map[string]*wordInfo{}}
	for k, info := range m {
		if len(k) == 0 || len(k) > slotKey {
			t.long[k] = info
			continue
		}
		i := maphash.String(t.seed, k) & t.mask
		for t.slots[i].n != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i].n = uint8(len(k))
		copy(t.slots[i].key[:], k)
		t.slots[i].info = info
	}
	return t
}

// lookup returns the entry under key, or nil.
func (t *readTable) lookup(key []byte) *wordInfo {
	if len(key) == 0 || len(key) > slotKey {
		return t.long[string(key)]
	}
	for i := maphash.Bytes(t.seed, key) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.n == 0 {
			return nil
		}
		if int(s.n) == len(key) && string(s.key[:len(key)]) == string(key) {
			return s.info
		}
	}
}

func (c *stemCache) loadRead(key []byte, skey string, useBytes bool) *wordInfo {
	t := c.read.Load()
	if t == nil {
		return nil
	}
	if !useBytes {
		key = unsafe.Slice(unsafe.StringData(skey), len(skey)) // only read
	}
	return t.lookup(key)
}

// load returns the entry for key (given as bytes when useBytes, else as
// skey), or nil.
func (c *stemCache) load(key []byte, skey string, useBytes bool) *wordInfo {
	if info := c.loadRead(key, skey, useBytes); info != nil {
		return info
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if info := c.loadRead(key, skey, useBytes); info != nil {
		return info
	}
	var info *wordInfo
	if useBytes {
		info = c.all[string(key)]
	} else {
		info = c.all[skey]
	}
	c.missLocked()
	return info
}

func (c *stemCache) missLocked() {
	c.misses++
	if c.added > 0 && c.misses >= len(c.all) {
		c.read.Store(newReadTable(c.all))
		c.added = 0
		c.misses = 0
	}
}

// store adds info under key unless the cache is full or key is present,
// and returns the entry now cached for key (info when not cached).
func (c *stemCache) store(key string, info *wordInfo) *wordInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.cachedLocked(key); prev != nil {
		return prev
	}
	if len(c.byID) >= maxCachedStems {
		return info
	}
	c.byID = append(c.byID, info)
	info.id = uint32(len(c.byID))
	c.addLocked(key, info)
	return info
}

// cachedLocked returns the entry under key, or nil.
func (c *stemCache) cachedLocked(key string) *wordInfo {
	return c.all[key]
}

// addLocked adds info under key.
func (c *stemCache) addLocked(key string, info *wordInfo) {
	if c.all == nil {
		c.all = make(map[string]*wordInfo)
	}
	c.all[key] = info
	c.added++
}

// storeAlias adds info, the entry of a form, under surface too, another
// way of writing that form ("École" for "école"): a later lookup by the
// surface finds it without normalising it again. An alias takes no id;
// aliases are bounded as the entries are, and an entry not cached (the
// cache full) gets none.
func (c *stemCache) storeAlias(surface string, info *wordInfo) {
	if info.id == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cachedLocked(surface) != nil || c.aliases >= maxCachedStems {
		return
	}
	c.aliases++
	c.addLocked(strings.Clone(surface), info)
}

// words returns the norm and the stem of every entry, indexed by id.
func (c *stemCache) words() (norms, stems []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	norms = make([]string, len(c.byID)+1)
	stems = make([]string, len(c.byID)+1)
	for k, info := range c.byID {
		norms[k+1], stems[k+1] = info.norm, info.stem
	}
	return norms, stems
}
