package synchronization

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
)

// Message is one change message of an async_update's queue, read by its
// MessageSource.
type Message struct {
	// Change is what the message says: a change description's operation,
	// identifier and attributes; for a notification, only ID (the object
	// is read from the resource).
	Change connector.Change
	// Notification marks a message that names an object without saying
	// what became of it.
	Notification bool
	// Err, when set, is why the message cannot be processed (bad JSON, no
	// identifier, too large): that message's error.
	Err error
	// Ref is the source's own handle on the message, for Ack and DeadLetter.
	Ref any
}

// MessageSource is the queue an async_update consumes (engine/asyncupdate
// reads RabbitMQ).
type MessageSource interface {
	// Receive returns the next messages, at most max, waiting for the
	// first; none when the source is idle past its idle_timeout or has
	// given max_messages, or ctx ended.
	Receive(ctx context.Context, max int) ([]Message, error)
	// Ack acknowledges msgs, whose effects are committed.
	Ack(msgs []Message) error
	// DeadLetter sets m aside with err (the error policy continues past
	// it) and acknowledges it.
	DeadLetter(m Message, err error) error
}

// AsyncUpdate consumes src: each message's change goes through the
// situations, reactions and mappings an import gives its object, in the
// order the messages came; a message is acknowledged only once the
// transaction that holds its effects has committed. A message that
// cannot be read, or whose object fails, is handled by the error policy:
// by default (no errors block) the activity stops at it and leaves it and
// those after it unacknowledged, so nothing is lost; with errors { action
// = "continue" } it is dead-lettered and the stream goes on. Preview and
// dry_run process what arrives and acknowledge nothing.
func AsyncUpdate(ctx context.Context, job *Job, src MessageSource) error {
	if job.Activity.Errors == nil {
		cp := *job.Activity
		cp.Errors = &config.ErrorPolicy{Action: config.ErrorsStop}
		job.Activity = &cp
	}
	return withPass(ctx, job, func(p *pass) error { return p.asyncUpdate(ctx, job.Rec, src) })
}

func (p *pass) asyncUpdate(ctx context.Context, rec Recorder, src MessageSource) error {
	// A consumer may never end, and so never reach the completion of
	// pending operations every synchronization ends with: it does it
	// first, for what an earlier run (one killed after its commit, say)
	// left queued.
	if err := finish(ctx, p.job, p.w, rec); err != nil {
		return err
	}
	p.idx = newShadowIndex(0)
	session, err := p.job.Store.RepositorySession(ctx)
	if err != nil {
		return err
	}
	defer session.Close()
	ls := &liveStream{p: p, rec: rec, om: newObjectMappings(p.w, p.rt), repo: session.RepositoryWrite}
	// A batch is what the broker may have in flight: prefetch messages.
	size := config.DefaultPrefetch
	if u := p.job.Activity.AsyncUpdate; u != nil && u.Prefetch > 0 {
		size = u.Prefetch
	}
	prog := consumerProgress{rec: rec}
	defer prog.report()
	for ctx.Err() == nil {
		msgs, err := src.Receive(ctx, size)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			break
		}
		n, err := p.asyncBatch(ctx, ls, src, msgs)
		prog.took(n, p.job.now()) // a consumer's progress, while it runs
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return p.x.flush(context.WithoutCancel(ctx), p.job.now())
}

// asyncBatch processes msgs in one transaction and acknowledges them once
// it committed; it returns how many were taken. A message about an object
// an earlier message of the batch is about ends the transaction before
// it: its change is read (a modification merged with the shadow, a
// deletion's shadow found) after the earlier one's effects are committed,
// so the changes of one object take effect in the order they came.
func (p *pass) asyncBatch(ctx context.Context, ls *liveStream, src MessageSource, msgs []Message) (int64, error) {
	var (
		changes []connector.Change
		good    []Message
		taken   int64
		seen    = map[string]bool{}
	)
	for _, m := range msgs {
		if key := connector.MatchKey(p.conn, m.Change.ID); m.Err == nil && m.Change.ID != "" {
			if seen[key] {
				n, err := p.asyncCommit(ctx, ls, src, changes, good)
				taken += n
				if err != nil {
					return taken, err
				}
				changes, good = nil, nil
				clear(seen)
			}
			seen[key] = true
		}
		c, err := p.messageChange(ctx, m)
		if err != nil && !isObjectErr(err) && m.Err == nil {
			return taken, err // the resource: nothing more is acknowledged
		}
		if err != nil {
			if stop := p.itemError(ls.rec, messageItem(m), err); stop != nil {
				// What came before the failing message is processed and
				// acknowledged; it and what follows are not.
				n, err := p.asyncCommit(ctx, ls, src, changes, good)
				if err != nil {
					return taken + n, err
				}
				return taken + n, stop
			}
			if p.job.Mode == config.ModeFull { // preview and dry_run set nothing aside
				if err := src.DeadLetter(m, err); err != nil {
					return taken, err
				}
			}
			continue
		}
		changes, good = append(changes, c), append(good, m)
	}
	n, err := p.asyncCommit(ctx, ls, src, changes, good)
	return taken + n, err
}

// asyncCommit decides and applies the changes of msgs and acknowledges
// them after the commit (in full mode).
func (p *pass) asyncCommit(ctx context.Context, ls *liveStream, src MessageSource, changes []connector.Change, msgs []Message) (int64, error) {
	if len(msgs) == 0 {
		return 0, nil
	}
	items, err := ls.items(ctx, changes)
	if errors.Is(err, errLiveStop) {
		return 0, p.stopErr
	}
	if err != nil {
		return 0, err
	}
	if err := p.commit(ctx, ls.repo, ls.rec, items); err != nil {
		return 0, err
	}
	// The accounts the batch provisions are written now: a consumer may
	// wait long for its next message, and nothing held would go before it.
	if err := p.x.flush(ctx, p.job.now()); err != nil {
		return 0, err
	}
	if p.job.Mode != config.ModeFull {
		return int64(len(msgs)), nil
	}
	return int64(len(msgs)), src.Ack(msgs)
}

// messageChange is the change m stands for: its own, or — for a
// notification — the object as the resource has it now (a deletion when
// it has it no more). A modification lists the attributes that changed:
// the others are what Syncline last saw of the object.
func (p *pass) messageChange(ctx context.Context, m Message) (connector.Change, error) {
	if m.Err != nil {
		return connector.Change{}, objErr(CategoryObject, m.Err)
	}
	c := m.Change
	if m.Notification {
		obj, err := p.conn.Get(ctx, c.ID)
		switch {
		case errors.Is(err, connector.ErrNotFound):
			return connector.Change{Type: connector.ChangeDelete, ID: c.ID, Object: connector.Object{ID: c.ID}}, nil
		case err != nil && connector.IsObjectError(err):
			return connector.Change{}, objErr(CategoryResource, err)
		case err != nil:
			return connector.Change{}, err
		}
		return connector.Change{Type: connector.ChangeUpsert, ID: obj.ID, Object: obj}, nil
	}
	if c.Type != connector.ChangeUpdate {
		return c, nil
	}
	sh, err := p.job.Store.ShadowByKey(ctx, p.rt.res.Name, p.rt.ot.Kind, p.rt.ot.Intent, connector.MatchKey(p.conn, c.ID))
	if err != nil {
		return connector.Change{}, err
	}
	if sh != nil && !sh.Dead {
		merged := connector.Attributes(sh.Attributes).Clone()
		for k, vs := range c.Object.Attributes {
			merged[k] = vs
		}
		c.Object.Attributes = merged
	}
	return c, nil
}

// messageItem names a message in the run's errors: its object's
// identifier when it has one.
func messageItem(m Message) string {
	if m.Change.ID != "" {
		return m.Change.ID
	}
	return "message"
}

// consumerProgress keeps a consumer's outputs as it goes: messages (taken
// in all), last_message (when the last batch was taken) and rate (messages
// a second over the last minute of batches).
type consumerProgress struct {
	rec    Recorder
	taken  int64
	recent []batchTaken
	last   time.Time
}

type batchTaken struct {
	at time.Time
	n  int64
}

// rateWindow is how far back the rate looks.
const rateWindow = time.Minute

func (c *consumerProgress) took(n int64, now time.Time) {
	if n == 0 {
		c.report()
		return
	}
	c.taken, c.last = c.taken+n, now
	c.recent = append(c.recent, batchTaken{now, n})
	drop := 0
	for drop < len(c.recent)-1 && now.Sub(c.recent[drop].at) > rateWindow {
		drop++
	}
	c.recent = c.recent[drop:]
	c.report()
}

func (c *consumerProgress) report() {
	c.rec.SetOutput("messages", fmt.Sprint(c.taken))
	if c.last.IsZero() {
		return
	}
	c.rec.SetOutput("last_message", c.last.UTC().Format(time.RFC3339))
	// The rate counts the batches after the window's first, over the time
	// since it: one batch alone has no rate yet.
	if len(c.recent) > 1 {
		var n int64
		for _, b := range c.recent[1:] {
			n += b.n
		}
		if span := c.recent[len(c.recent)-1].at.Sub(c.recent[0].at); span > 0 {
			c.rec.SetOutput("rate", fmt.Sprintf("%.1f/s", float64(n)/span.Seconds()))
		}
	}
}
