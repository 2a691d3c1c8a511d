package tokenize

import (
	"strings"
	"sync"
	"sync/atomic"
)

// stemCache maps a normalised word form, and the other ways of writing it
// met in texts, to what the Analyzer knows of it.
// Reads are lock-free: they hit an immutable map published through an
// atomic pointer. Misses go to a dirty map under a mutex that holds every
// entry; once the misses since the last publication outnumber the dirty
// entries, the dirty map is published as the new read map. This is the
// scheme of sync.Map, specialised to string keys so that a lookup with a
// []byte key allocates nothing.
//
// Each cached entry is numbered (wordInfo.id, from 1) as it is stored, and
// byID lists the entries in that order.
type stemCache struct {
	read    atomic.Pointer[map[string]*wordInfo]
	mu      sync.Mutex
	dirty   map[string]*wordInfo // nil, or every entry of read and more
	misses  int
	byID    []*wordInfo // byID[id-1] is the entry numbered id
	aliases int         // entries under another way of writing their form
}

func (c *stemCache) loadRead(key []byte, skey string, useBytes bool) *wordInfo {
	m := c.read.Load()
	if m == nil {
		return nil
	}
	if useBytes {
		return (*m)[string(key)]
	}
	return (*m)[skey]
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
		m := c.dirty
		c.read.Store(&m)
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
		if info := (*r)[key]; info != nil {
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
			for k, v := range *r {
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
