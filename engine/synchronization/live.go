package synchronization

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// LiveSync processes the changes the activity's resource reports since
// the activity's token (connector.ChangeFeed): each changed object goes
// through the correlation, situations, reactions and mappings an import
// gives it, a deleted one through the deleted situation. The token moves
// in the repository transaction of the changes it covers, so a crash
// never skips a change, and a change taken twice finds its object
// unchanged. Preview and dry_run take the changes without moving the
// token. Without a token the activity starts from now, or — with start =
// "full" — with a full pass over every object, then the changes since
// that pass began.
func LiveSync(ctx context.Context, job *Job) error {
	return withPass(ctx, job, func(p *pass) error { return p.liveSync(ctx, job.Rec) })
}

// liveSync is LiveSync's pass.
func (p *pass) liveSync(ctx context.Context, rec Recorder) error {
	feed, err := connector.Feed(p.conn)
	if err != nil {
		return err
	}
	a := p.job.Activity
	held, err := p.job.Store.SyncToken(ctx, p.job.Task, a.Name, p.rt.res.Name, p.rt.ot.Kind, p.rt.ot.Intent)
	if err != nil {
		return err
	}
	if held == nil {
		return p.liveStart(ctx, rec, feed)
	}
	rec.SetOutput("token_from", shortToken(held.Token))
	session, err := p.job.Store.RepositorySession(ctx)
	if err != nil {
		return err
	}
	defer session.Close()
	ls := &liveStream{p: p, rec: rec, om: newObjectMappings(p.w, p.rt), from: held.Token, repo: session.RepositoryWrite}
	p.idx = newShadowIndex(0) // no index: each object's shadow is read as it comes
	final, err := ls.run(ctx, feed)
	if errors.Is(err, errLiveStop) {
		return p.stopErr
	}
	if err != nil {
		return err
	}
	rec.SetOutput("changes", fmt.Sprint(ls.taken))
	if p.job.Mode == config.ModeFull {
		rec.SetOutput("token", shortToken(final))
	}
	return p.x.flush(ctx, p.job.now())
}

// liveStart begins a live synchronization that has no token: the token
// of now, stored at once (start = "now"), or stored after a full pass
// over every object (start = "full"), so that what changed during the
// pass is taken by the next run.
func (p *pass) liveStart(ctx context.Context, rec Recorder, feed connector.ChangeFeed) error {
	now, err := feed.Changes(ctx, "", func(connector.Change) error { return nil })
	if err != nil {
		return err
	}
	start := p.job.Activity.Start
	if start == config.LiveSyncStartFull {
		if err := p.resourceObjects(ctx, rec); err != nil {
			return err
		}
	}
	if start == config.LiveSyncStartFull {
		rec.SetOutput("start", "full pass, then changes from its start")
	} else {
		rec.SetOutput("start", "changes from now")
	}
	if p.job.Mode != config.ModeFull {
		return nil // the token is not stored: the next full run starts again
	}
	rec.SetOutput("token", shortToken(now))
	return p.job.Store.RepositoryWrite(ctx, func(r *state.RepositoryTx) error {
		return r.PutSyncToken(p.token(now), 0)
	})
}

// token is the activity's token record at tok.
func (p *pass) token(tok string) state.SyncToken {
	a := p.job.Activity
	return state.SyncToken{Task: p.job.Task, Activity: a.Name, Resource: p.rt.res.Name, Kind: p.rt.ot.Kind, Intent: p.rt.ot.Intent,
		Token: tok, RunID: p.job.RunID}
}

// errLiveStop ends the feed when a policy stop ended a batch: the stop
// itself is the pass's stopErr.
var errLiveStop = errors.New("live synchronization stopped by its policy")

// liveStream takes the feed's changes in batches and commits each with
// the token that resumes after it.
type liveStream struct {
	p *pass
	// repo runs the batches' transactions: a repository session's, whose
	// prepared statements last from one batch to the next.
	repo  repoFunc
	rec   Recorder
	om    *objectMappings
	from  string
	taken int64
	// untold counts the changes committed since the token last moved.
	untold int64
}

// liveBatch is a batch of changes and the token that resumes after them
// ("" when the feed gives none part way).
type liveBatch struct {
	changes []connector.Change
	tok     string
}

// run reads the feed on a goroutine of its own, a batch ahead of the
// commits, and commits its batches in order; the feed's final token is
// committed last, with the changes after the last full batch. It returns
// the final token.
//
// A feed without a resume token per change (c.Token "") has its batches
// committed without moving the token, which moves at the end: a run cut
// short takes them again, and finds them unchanged.
func (ls *liveStream) run(ctx context.Context, feed connector.ChangeFeed) (string, error) {
	feedCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan liveBatch, 1)
	var (
		final   string
		feedErr error
	)
	send := func(b liveBatch) error {
		select {
		case batches <- b:
			return nil
		case <-feedCtx.Done():
			return feedCtx.Err()
		}
	}
	go func() {
		defer close(batches)
		var batch []connector.Change
		size := ls.p.job.Activity.BatchSize
		final, feedErr = feed.Changes(feedCtx, ls.from, func(c connector.Change) error {
			if batch = append(batch, c); len(batch) < size {
				return nil
			}
			b := liveBatch{changes: batch, tok: c.Token}
			batch = nil
			return send(b)
		})
		if feedErr == nil {
			feedErr = send(liveBatch{changes: batch, tok: final})
		}
	}()
	var err error
	for b := range batches {
		if err == nil {
			if err = ls.commit(ctx, b.changes, b.tok); err != nil {
				cancel() // the feed stops at its next change; the rest is drained
			}
		}
	}
	if err != nil {
		return "", err
	}
	return final, feedErr
}

// commit processes the batch and stores tok in its transaction (in full
// mode, unless a policy stop ended the batch early).
func (ls *liveStream) commit(ctx context.Context, batch []connector.Change, tok string) error {
	p := ls.p
	items, err := ls.items(ctx, batch)
	if err != nil {
		return err
	}
	taken := int64(len(batch))
	p.committing = func(r *state.RepositoryTx, stopped bool) error {
		if stopped || p.job.Mode != config.ModeFull || tok == "" {
			return nil
		}
		return r.PutSyncToken(p.token(tok), ls.untold+taken)
	}
	defer func() { p.committing = nil }()
	if len(items) == 0 && (p.job.Mode != config.ModeFull || tok == "" || tok == ls.from) {
		return nil
	}
	err = p.commit(ctx, ls.repo, ls.rec, items)
	if len(items) == 0 && err == nil {
		// Nothing to decide (deletions of objects never synchronized):
		// the token still moves.
		err = ls.repo(ctx, func(r *state.RepositoryTx) error { return p.committing(r, false) })
	}
	if IsPolicyStop(err) {
		p.stopErr = err
		return errLiveStop
	}
	if err != nil {
		return err
	}
	ls.taken += taken
	if tok != "" {
		ls.from, ls.untold = tok, 0
	} else {
		ls.untold += taken
	}
	return nil
}

// items prepares the batch's changes, on the activity's threads: a
// changed object as an import prepares it, a deleted one as its shadow.
// A change whose object cannot be prepared is that object's error.
func (ls *liveStream) items(ctx context.Context, batch []connector.Change) ([]*item, error) {
	p := ls.p
	out := make([]*item, len(batch))
	errs := make([]error, len(batch))
	var wg sync.WaitGroup
	threads := max(p.job.Activity.Threads, 1)
	for w := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var t tally
			defer t.flush(ls.rec)
			for i := w; i < len(batch); i += threads {
				out[i], errs[i] = ls.item(ctx, batch[i], &t)
			}
		}()
	}
	wg.Wait()
	items := out[:0]
	for i, it := range out {
		switch {
		case errs[i] != nil && !isObjectErr(errs[i]):
			return nil, errs[i]
		case errs[i] != nil:
			if stop := p.itemError(ls.rec, batch[i].ID, errs[i]); stop != nil {
				p.stopErr = stop
				return nil, errLiveStop
			}
		case it == nil:
			ls.rec.AddSkipped(1) // a deletion of an object never synchronized
		default:
			items = append(items, it)
		}
	}
	return items, nil
}

func isObjectErr(err error) bool {
	var oe *objectError
	return errors.As(err, &oe)
}

// item prepares one change; nil when there is nothing to do.
func (ls *liveStream) item(ctx context.Context, c connector.Change, t *tally) (*item, error) {
	p := ls.p
	if c.Type == connector.ChangeDelete {
		key := connector.MatchKey(p.conn, c.ID)
		sh, err := p.job.Store.ShadowByKey(ctx, p.rt.res.Name, p.rt.ot.Kind, p.rt.ot.Intent, key)
		if err != nil || sh == nil || sh.Dead {
			return nil, err
		}
		return &item{obj: connector.Object{ID: sh.Identifier}, key: key, deleted: sh}, nil
	}
	obj := c.Object
	if obj.ID == "" {
		obj.ID = c.ID
	}
	it, err := p.prepare(ls.om, obj, t)
	if it != nil {
		it.unindexed = true // the index is empty: the commit finds out
	}
	return it, err
}

// shortToken is a token as a run's output shows it.
func shortToken(tok string) string {
	if len(tok) > 120 {
		return tok[:120] + "…"
	}
	return tok
}
