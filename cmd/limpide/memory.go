package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// pacer paces the garbage collector when GOGC is not set: by a memory
// limit rather than by GOGC's growth over the live heap alone. After each
// collection the limit becomes the highest of
//
//   - the memory in use beside the heap plus the live heap and
//     gcPercent% of it: what GOGC=gcPercent lets the heap grow to;
//   - every such figure of the collections before (the limit never
//     falls);
//   - a floor, raised to twice the input's size before it is read
//     (setFloor, with ingest.SizeHint).
//
// A synthesis holds less after its largest stages than at them: the
// stages that come after, and the reading that grows to that size, then
// collect only when they reach the memory the run needed anyway, rather
// than every time their own heap grows by a fifth. The peak stays about
// the one GOGC alone gives, since the limit is the largest goal GOGC set,
// or the floor, which is below the peak the contributions and their
// matrix reach (measured: 225-228 against GOGC=20's 245-255 MiB on the
// 429,112 answers, 668 against 654-655 MiB on 2,000,000). A heap that
// keeps growing is collected as under GOGC: the limit follows it.
type pacer struct {
	mu      sync.Mutex
	limit   int64
	stopped bool
	samples [6]metrics.Sample
}

// minLimit is the pacer's first limit: small inputs are never collected
// below it.
const minLimit = 64 << 20

// memoryPacer is the command's pacer, nil when the environment sets GOGC
// or GOMEMLIMIT.
var memoryPacer *pacer

// startPacer turns GOGC off and hands the collector to a pacer.
func startPacer() *pacer {
	p := &pacer{limit: minLimit}
	for i, name := range []string{
		"/gc/heap/live:bytes",
		"/memory/classes/total:bytes",
		"/memory/classes/heap/objects:bytes",
		"/memory/classes/heap/unused:bytes",
		"/memory/classes/heap/free:bytes",
		"/memory/classes/heap/released:bytes",
	} {
		p.samples[i].Name = name
	}
	debug.SetMemoryLimit(p.limit)
	debug.SetGCPercent(-1)
	runtime.SetFinalizer(&sentinel{p: p}, (*sentinel).collected)
	return p
}

// stop leaves the limit where it is and the collector to whoever set it
// next; the pacer no longer raises it.
func (p *pacer) stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
}

// sentinel is garbage from the moment it is made: its finalizer runs
// after the next collection and makes it garbage again, for the one
// after.
type sentinel struct{ p *pacer }

func (s *sentinel) collected() {
	if s.p.adjust() {
		runtime.SetFinalizer(s, (*sentinel).collected)
	}
}

// adjust raises the limit to what GOGC=gcPercent allows after the
// collection that just ended, and reports whether the pacer still runs.
func (p *pacer) adjust() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	metrics.Read(p.samples[:])
	var v [len(p.samples)]int64
	for i, s := range p.samples {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = int64(s.Value.Uint64())
		}
	}
	live, total, objects, unused, free, released := v[0], v[1], v[2], v[3], v[4], v[5]
	beside := total - objects - unused - free - released
	p.raise(beside + live + live*gcPercent/100)
	return true
}

// setFloor raises the limit to twice size, the bytes of an input about to
// be read. A synthesis holds its contributions (about the input's size),
// then their matrix and the report being written: its peak is above
// twice the input (2.1 times on 2,000,000 resampled answers, most of them
// duplicates; 3.5 times on the 429,112 answers; 6 times on 100,000), and
// the reading need not collect before it reaches that.
func (p *pacer) setFloor(size int64) {
	if p == nil || size <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopped {
		p.raise(2 * size)
	}
}

func (p *pacer) raise(limit int64) {
	if limit > p.limit {
		p.limit = limit
		debug.SetMemoryLimit(limit)
	}
}
