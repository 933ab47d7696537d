package ldap

import (
	"context"
	"slices"
	"strings"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// takenChunk is how many identifiers one search of takenIDs asks about.
const takenChunk = 64

// takenIDs finds, for the creates of a batch, whether their identifiers
// are taken, many at a time: one search with an OR of identifiers instead
// of Create's search per entry, which costs the server about as much as
// the add itself. Only a create that is the first operation on its
// identifier in the batch is asked about (no earlier operation of the
// batch can change the answer); the rest, and every create of a chunk
// whose search failed, check on their own as Create does.
//
// The search for the next chunk runs while the creates of this one are
// sent (prefetch), so the writes do not stop for it.
type takenIDs struct {
	c      *Connector
	ops    []connector.Operation
	chunks map[int][]int // first create of a chunk -> the chunk's creates
	starts []int         // the first creates of the chunks, in order
	state  []idState     // per operation
	// ahead is the search under way for the chunk starting at aheadAt.
	ahead   chan takenResult
	aheadAt int
}

type takenResult struct {
	taken map[string]bool
	err   error
}

type idState uint8

const (
	idUnknown idState = iota // check as Create does
	idFree                   // no entry has it: add straight away
	idTaken                  // an entry has it: ErrAlreadyExists
)

// newTakenIDs groups the creates of ops that no earlier operation
// precedes (after) into chunks.
func newTakenIDs(c *Connector, ops []connector.Operation, after [][]int) *takenIDs {
	t := &takenIDs{c: c, ops: ops, chunks: map[int][]int{}, state: make([]idState, len(ops))}
	var chunk []int
	for i, op := range ops {
		if op.Kind != connector.OpCreate || len(after[i]) > 0 || op.Object.ID == "" {
			continue
		}
		if chunk = append(chunk, i); len(chunk) == takenChunk {
			t.chunks[chunk[0]], chunk = chunk, nil
		}
	}
	if len(chunk) > 0 {
		t.chunks[chunk[0]] = chunk
	}
	for i := range ops {
		if _, ok := t.chunks[i]; ok {
			t.starts = append(t.starts, i)
		}
	}
	return t
}

// search starts the search for the chunk that starts at operation i.
func (t *takenIDs) search(ctx context.Context, i int) chan takenResult {
	chunk := t.chunks[i]
	ids := make([]string, len(chunk))
	for k, j := range chunk {
		ids[k] = t.ops[j].Object.ID
	}
	ch := make(chan takenResult, 1)
	go func() {
		taken, err := t.c.takenKeys(ctx, ids)
		ch <- takenResult{taken, err}
	}()
	return ch
}

// wait waits for a search started ahead and not used (the batch
// halted), so none outlives the batch.
func (t *takenIDs) wait() {
	if t.ahead != nil {
		<-t.ahead
		t.ahead = nil
	}
}

// load searches for the chunk that starts at operation i, if one does.
// Only an unreachable server is returned: on any other failure the
// chunk's creates are left to check on their own.
func (t *takenIDs) load(ctx context.Context, i int) error {
	chunk, ok := t.chunks[i]
	if !ok || !t.c.Capabilities().Create {
		return nil
	}
	ch := t.ahead
	if ch == nil || t.aheadAt != i {
		t.wait()
		ch = t.search(ctx, i)
	}
	t.ahead = nil
	if k, _ := slices.BinarySearch(t.starts, i); k+1 < len(t.starts) {
		t.ahead, t.aheadAt = t.search(ctx, t.starts[k+1]), t.starts[k+1]
	}
	r := <-ch
	taken, err := r.taken, r.err
	if err != nil {
		if connector.IsBatchObjectError(err) {
			return nil
		}
		return err
	}
	for _, j := range chunk {
		t.state[j] = idFree
		if taken[t.c.MatchKey(t.ops[j].Object.ID)] {
			t.state[j] = idTaken
		}
	}
	return nil
}

// takenKeys returns the keys (MatchKey) of the identifiers of the
// entries of the class under base_dn whose identifier is one of ids.
func (c *Connector) takenKeys(ctx context.Context, ids []string) (map[string]bool, error) {
	var res *goldap.SearchResult
	err := c.do(ctx, "create", "", func(conn *goldap.Conn) error {
		var err error
		res, err = conn.Search(goldap.NewSearchRequest(c.cfg.BaseDN, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
			c.anyIDFilter(ids), []string{c.id.name()}, nil))
		return err
	})
	if err != nil {
		return nil, c.searchFailure("create", err)
	}
	taken := map[string]bool{}
	for _, e := range res.Entries {
		for _, a := range e.Attributes {
			if c.schema.attr(a.Name) != c.id {
				continue
			}
			for _, v := range a.Values {
				taken[c.MatchKey(v)] = true
			}
		}
	}
	return taken, nil
}

// anyIDFilter is filter for the default class with an OR of the
// identifier's equality with each of ids, every value escaped.
func (c *Connector) anyIDFilter(ids []string) string {
	var b strings.Builder
	b.WriteString("(&(objectClass=")
	b.WriteString(goldap.EscapeFilter(c.class))
	b.WriteString(")")
	b.WriteString(c.cfg.Filter)
	b.WriteString("(|")
	for _, id := range ids {
		b.WriteString("(")
		b.WriteString(c.id.name())
		b.WriteString("=")
		b.WriteString(goldap.EscapeFilter(id))
		b.WriteString(")")
	}
	b.WriteString("))")
	return b.String()
}
