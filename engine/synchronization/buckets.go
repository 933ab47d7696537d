package synchronization

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// Bucket timings.
const (
	// DefaultBucketLease is how long a bucket's claim lasts without being
	// renewed: three of the runner's heartbeat intervals, as a run's. A
	// claimer renews it every third of it.
	DefaultBucketLease = 6 * time.Second
	// DefaultBucketPoll is how often a run whose remaining buckets are
	// all claimed elsewhere looks again.
	DefaultBucketPoll = time.Second
)

// BucketOf is the bucket of count an object's identifier key falls in:
// FNV-1a of the key modulo count. Every node computes the same.
func BucketOf(key string, count int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return int(h.Sum32() % uint32(count))
}

// bucketOf is one bucket of a bucketed activity.
type bucketOf struct{ index, count int }

// keeps reports whether key is in the bucket (every key when b is nil).
func (b *bucketOf) keeps(key string) bool {
	return b == nil || BucketOf(key, b.count) == b.index
}

// inBucket reports whether the search result obj (or err, for an
// unreadable object: by its name) belongs to the pass's bucket.
func (p *pass) inBucket(obj connector.Object, err error) bool {
	if p.bucket == nil {
		return true
	}
	if err != nil {
		return p.bucket.keeps(connector.MatchKey(p.conn, objectName(err)))
	}
	return p.bucket.keeps(connector.MatchKey(p.conn, obj.ID))
}

func (j *Job) bucketLease() time.Duration {
	if j.BucketLease > 0 {
		return j.BucketLease
	}
	return DefaultBucketLease
}

func (j *Job) bucketPoll() time.Duration {
	if j.BucketPoll > 0 {
		return j.BucketPoll
	}
	return DefaultBucketPoll
}

// objects runs resource_objects: in one pass, or, for a bucketed
// activity of a run, bucket by bucket.
func (p *pass) objects(ctx context.Context, rec Recorder) error {
	if !p.job.Activity.Bucketed() || p.job.RunID == 0 {
		return p.resourceObjects(ctx, rec)
	}
	p.bucketed = true
	return runBuckets(ctx, p.job, rec)
}

// runBuckets splits the activity into its buckets (or adopts those of
// the run this one recovers), synchronizes the buckets it can claim one
// after another — each with the activity's threads — while other serve
// nodes claim the others, and waits until every bucket is done, adding
// each bucket's counts to rec as it is. A failed bucket fails the
// activity.
func runBuckets(ctx context.Context, job *Job, rec Recorder) error {
	a := job.Activity
	root, err := job.Store.BucketsStart(ctx, job.RunID, a.Name, a.Buckets)
	if err != nil {
		return err
	}
	claimer := state.RunClaimer(job.RunID)
	m := &bucketMerge{rec: rec, merged: map[int]bool{}}
	rec.SetTotal(-1)
	for {
		bs, err := job.Store.Buckets(ctx, root, a.Name)
		if err != nil {
			return err
		}
		if done, err := m.add(bs); done || err != nil {
			return err
		}
		b, err := job.Store.BucketClaim(ctx, root, a.Name, claimer, job.now(), job.bucketLease())
		if err != nil {
			return err
		}
		if b != nil {
			if err := RunClaimedBucket(ctx, job, b, claimer); err != nil && ctx.Err() != nil {
				return err
			}
			continue // a failed bucket is read back as such
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(job.bucketPoll()):
		}
	}
}

// bucketMerge adds the counts of finished buckets to the activity's
// recorder, each once.
type bucketMerge struct {
	rec    Recorder
	merged map[int]bool
	total  int64
}

// add merges the buckets of bs that finished since the last call, and
// reports whether every bucket is done; a failed bucket's error.
func (m *bucketMerge) add(bs []state.Bucket) (bool, error) {
	done := 0
	var failed error
	for _, b := range bs {
		switch b.State {
		case state.BucketDone, state.BucketFailed:
			if !m.merged[b.Index] {
				m.merged[b.Index] = true
				m.merge(b.Result)
			}
		}
		if b.State == state.BucketDone {
			done++
		}
		if b.State == state.BucketFailed && failed == nil {
			failed = fmt.Errorf("bucket %d of %d: %s", b.Index+1, b.Count, b.Error)
		}
	}
	m.rec.SetOutput("buckets", fmt.Sprintf("%d/%d done", done, len(bs)))
	if failed != nil {
		return false, failed
	}
	if done == len(bs) {
		m.rec.SetTotal(m.total)
		return true, nil
	}
	return false, nil
}

// failureCounter is a Recorder that can count failures without an error
// to keep (the activity's and its stages' recorders).
type failureCounter interface{ AddFailures(n int64) }

func (m *bucketMerge) merge(r state.BucketResult) {
	m.total += max(r.Total, 0)
	if r.Success > 0 {
		m.rec.AddSuccess(r.Success)
	}
	if r.Skipped > 0 {
		m.rec.AddSkipped(r.Skipped)
	}
	for name, v := range r.Statistics {
		m.rec.AddStatistic(name, v)
	}
	for _, e := range r.Errors {
		m.rec.AddItemError(e.Item, e.Category, errors.New(e.Message))
	}
	if more := r.Failure - int64(len(r.Errors)); more > 0 {
		if fc, ok := m.rec.(failureCounter); ok {
			fc.AddFailures(more)
			return
		}
		for range more {
			m.rec.AddItemError("", CategoryObject, errors.New("an object error of a bucket (only the first errors are kept)"))
		}
	}
}

// RunClaimedBucket synchronizes bucket b, which claimer claimed, and
// records its end: done with its counts, or failed with the error that
// ended it. It renews the claim while it works; when the claim is lost
// (its lease ran out and another claimer took it) the pass stops and
// its counts are dropped: the new claimer redoes the bucket, finding
// unchanged what this one already synchronized. When ctx ends first the
// bucket is opened again for another claimer.
func RunClaimedBucket(ctx context.Context, job *Job, b *state.Bucket, claimer string) error {
	passCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		renewBucket(passCtx, job, b, claimer, stop)
	}()
	rec := &bucketRecorder{}
	bj := *job
	bj.Rec = rec
	err := runBucket(passCtx, &bj, bucketOf{index: b.Index, count: b.Count})
	stop(nil)
	<-renewed
	store := context.WithoutCancel(ctx)
	var lost *state.BucketLostError
	switch cause := context.Cause(passCtx); {
	case errors.As(cause, &lost):
		job.log().Warn("a bucket's claim ran out while it was synchronized; another claimer redoes it", "bucket", b.Index, "error", lost)
		return nil
	case ctx.Err() != nil:
		if rerr := job.Store.BucketRelease(store, b, claimer); rerr != nil && !errors.As(rerr, &lost) {
			job.log().Warn("releasing a bucket failed; it is claimed again when its lease runs out", "bucket", b.Index, "error", rerr)
		}
		return ctx.Err()
	}
	failure := ""
	if err != nil {
		failure = err.Error()
	}
	if ferr := job.Store.BucketFinish(store, b, claimer, rec.result(), failure); ferr != nil && !errors.As(ferr, &lost) {
		return ferr
	}
	return err
}

// renewBucket renews b's claim every third of its lease until ctx ends;
// a lost claim stops the pass with the BucketLostError as its cause.
func renewBucket(ctx context.Context, job *Job, b *state.Bucket, claimer string, stop context.CancelCauseFunc) {
	lease := job.bucketLease()
	t := time.NewTicker(lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := job.Store.BucketRenew(ctx, b, claimer, job.now(), lease)
		var lost *state.BucketLostError
		switch {
		case errors.As(err, &lost):
			stop(err)
			return
		case err != nil && ctx.Err() == nil:
			job.log().Warn("renewing a bucket's claim failed", "bucket", b.Index, "error", err)
		}
	}
}

// runBucket synchronizes the objects of one bucket: the resource is read
// whole and the other buckets' objects are passed over.
func runBucket(ctx context.Context, job *Job, b bucketOf) error {
	w, err := start(ctx, job)
	if err != nil {
		return err
	}
	defer w.close()
	p, err := newPass(ctx, job, w)
	if err != nil {
		return err
	}
	p.bucket = &b
	return p.resourceObjects(ctx, job.Rec)
}

// seeIdentifiers prepares remaining_shadows after resource_objects ran in
// buckets, whose passes may have run on other nodes: it loads the shadow
// index and reads the resource once more, marking every identifier it
// streams as seen — no mapping, no write. As after one pass, the search
// is complete when it had no filter and every object was readable.
func (p *pass) seeIdentifiers(ctx context.Context) error {
	var err error
	if p.idx, err = loadIndex(ctx, p.job.Store, p.rt); err != nil {
		return err
	}
	unreadable := 0
	for obj, err := range p.conn.Search(ctx, connector.Query{ObjectClass: p.rt.ot.ObjectClass}) {
		if err != nil {
			if !connector.IsObjectError(err) {
				return err
			}
			unreadable++
			continue
		}
		p.idx.see(connector.MatchKey(p.conn, obj.ID))
	}
	p.complete = p.job.Activity.Filter == nil && unreadable == 0
	return ctx.Err()
}
