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
// atomic pointer. Misses go to a dirty map under a mutex that holds every
// entry; once the misses since the last publication outnumber the dirty
// entries, the dirty map is published as the new read table. This is the
// scheme of sync.Map, specialised to string keys so that a lookup with a
// []byte key allocates nothing.
//
// Each cached entry is numbered (wordInfo.id, from 1) as it is stored, and
// byID lists the entries in that order.
type stemCache struct {
	read    atomic.Pointer[readTable]
	mu      sync.Mutex
	dirty   map[string]*wordInfo // nil, or every entry of read and more
	misses  int
	byID    []*wordInfo // byID[id-1] is the entry numbered id
	aliases int         // entries under another way of writing their form
}

// readTable is the cache's entries as lookups see them: an open-addressing
// table (linear probing) whose slots hold their key in place, for the
// keys of at most slotKey bytes, 99.8% of the words of the Grand Débat
// answers; longer keys are looked up in the map the table was made from.
// A lookup in a Go map of strings reads the map's control bytes, its slot
// and the key's bytes elsewhere in memory: three cache lines that a
// hundred thousand words do not keep cached. Here a hit reads its slot.
type readTable struct {
	slots []cacheSlot
	mask  uint64
	seed  maphash.Seed
	all   map[string]*wordInfo // every entry: the dirty map it was made from
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

// newReadTable makes the read table of the entries of m, which it keeps
// and which must not change after.
func newReadTable(m map[string]*wordInfo) *readTable {
	size := 16
	for size < len(m)+len(m)/3 { // at most three quarters full
		size *= 2
	}
	t := &readTable{slots: make([]cacheSlot, size), mask: uint64(size - 1), seed: maphash.MakeSeed(), all: m}
	for k, info := range m {
		if len(k) == 0 || len(k) > slotKey {
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
		return t.all[string(key)]
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
		info = c.dirty[string(key)]
	} else {
		info = c.dirty[skey]
	}
	c.missLocked()
	return info
}

func (c *stemCache) missLocked() {
	c.misses++
	if c.dirty != nil && c.misses >= len(c.dirty) {
		c.read.Store(newReadTable(c.dirty))
		c.dirty = nil
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
	c.dirtyLocked()[key] = info
	return info
}

// cachedLocked returns the entry under key, in the read map or the dirty
// one, or nil.
func (c *stemCache) cachedLocked(key string) *wordInfo {
	if r := c.read.Load(); r != nil {
		if info := r.all[key]; info != nil {
			return info
		}
	}
	return c.dirty[key]
}

// dirtyLocked returns the dirty map, made from the read map when there is
// none.
func (c *stemCache) dirtyLocked() map[string]*wordInfo {
	if c.dirty == nil {
		c.dirty = make(map[string]*wordInfo)
		if r := c.read.Load(); r != nil {
			for k, v := range r.all {
				c.dirty[k] = v
			}
		}
	}
	return c.dirty
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
	c.dirtyLocked()[strings.Clone(surface)] = info
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
