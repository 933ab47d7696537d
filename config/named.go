package config

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
)

// decodeNamed decodes each labelled block with decode and stores the result
// under the block's name in into, reporting an invalid name and a second
// definition of the same name (citing the first). The blocks are decoded in
// parallel (decode must not change anything but its result); names,
// duplicates and diagnostics are then taken in the blocks' order, so the
// outcome is that of decoding one by one. It clears each entry of blocks
// once decoded, so that the rest of a block's syntax tree can be collected
// while the others are decoded.
func decodeNamed[T any](blocks []*hcl.Block, into map[string]T, kind string, rangeOf func(T) hcl.Range,
	decode func(*hcl.Block) (T, hcl.Diagnostics)) hcl.Diagnostics {
	out := make([]decodedBlock[T], len(blocks))
	inParallel(len(blocks), func(i int) {
		b := blocks[i]
		blocks[i] = nil
		out[i] = decodeBlock(b, decode)
	})
	return storeNamed(out, into, kind, rangeOf)
}

// decodedBlock is one labelled block decoded, not yet stored by name.
type decodedBlock[T any] struct {
	name  string
	def   T
	diags hcl.Diagnostics
}

// decodeBlock decodes one labelled block, checking its name.
func decodeBlock[T any](b *hcl.Block, decode func(*hcl.Block) (T, hcl.Diagnostics)) decodedBlock[T] {
	diags := checkName(b)
	def, defDiags := decode(b)
	return decodedBlock[T]{name: b.Labels[0], def: def, diags: append(diags, defDiags...)}
}

// storeNamed stores decoded blocks by name in their order, reporting a
// second definition of a name (citing the first), and returns the blocks'
// diagnostics with those.
func storeNamed[T any](out []decodedBlock[T], into map[string]T, kind string, rangeOf func(T) hcl.Range) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, d := range out {
		diags = append(diags, d.diags...)
		if prev, dup := into[d.name]; dup {
			diags = append(diags, duplicate("Duplicate "+kind, fmt.Sprintf("The %s %q", kind, d.name), rangeOf(prev), rangeOf(d.def)))
			continue
		}
		into[d.name] = d.def
	}
	return diags
}

// parallelFrom is the fewest items inParallel spreads over goroutines.
const parallelFrom = 64

// inParallel calls fn for every index below n, on up to one goroutine per
// CPU. An evaluation limit ends the goroutine that runs out with
// runtime.Goexit (budget.stop) and runLimited must see that happen on its
// own goroutine, as it must see a panic: inParallel stops handing out work
// and re-raises either on the calling goroutine.
func inParallel(n int, fn func(i int)) {
	inParallelFrom(n, parallelFrom, fn)
}

// inParallelFrom is inParallel spreading work over goroutines from n items
// of at least from.
func inParallelFrom(n, from int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 || n < from {
		for i := range n {
			fn(i)
		}
		return
	}
	var (
		next     atomic.Int64
		stop     atomic.Bool
		exited   atomic.Bool
		mu       sync.Mutex
		panicked any
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			finished := false
			defer func() {
				switch r := recover(); {
				case r != nil:
					mu.Lock()
					panicked = r
					mu.Unlock()
					stop.Store(true)
				case !finished:
					exited.Store(true)
					stop.Store(true)
				}
			}()
			for i := int(next.Add(1) - 1); i < n && !stop.Load(); i = int(next.Add(1) - 1) {
				fn(i)
			}
			finished = true
		})
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
	if exited.Load() {
		runtime.Goexit()
	}
}
