package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPacerFollowsLiveHeap runs the pacer in the test process: after a
// collection its limit covers the live heap and gcPercent% more, and it
// does not fall when that heap is let go.
func TestPacerFollowsLiveHeap(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(math.MaxInt64)
	p := startPacer()
	t.Cleanup(func() {
		p.stop()
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	})
	limit := func() int64 {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.limit
	}
	assert.EqualValues(t, minLimit, limit())

	const held = 64 << 20
	keep := make([]byte, held)
	for i := range keep {
		keep[i] = byte(i)
	}
	want := int64(held + held*gcPercent/100)
	deadline := time.Now().Add(10 * time.Second)
	for limit() < want && time.Now().Before(deadline) {
		runtime.GC() // the finalizer runs after it, on its own goroutine
		time.Sleep(10 * time.Millisecond)
	}
	got := limit()
	require.GreaterOrEqual(t, got, want, "the limit after a collection with %d MiB live", held>>20)
	assert.Equal(t, got, debug.SetMemoryLimit(-1), "the runtime's limit is the pacer's")
	runtime.KeepAlive(keep)

	keep = nil
	runtime.GC()
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	assert.GreaterOrEqual(t, limit(), got, "the limit never falls")

	p.setFloor(got) // twice got
	assert.Equal(t, 2*got, limit())
	p.setFloor(1)
	assert.Equal(t, 2*got, limit(), "a lower floor leaves the limit")
}
