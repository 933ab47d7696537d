package state

import (
	"errors"
	"testing"
	"time"
)

const testLease = 30 * time.Second

// bucketRun queues and claims a run of task "nightly" for worker and
// returns it.
func (b *bundle) bucketRun(t *testing.T, worker string) *Run {
	t.Helper()
	b.applyTasks(t, "nightly")
	r := b.enqueue(t, Run{Task: "nightly", Mode: "full"})
	if got := b.claim(t, worker); got == nil || got.ID != r.ID {
		t.Fatalf("claimed %v, want run %d", got, r.ID)
	}
	return r
}

func (b *bundle) startBuckets(t *testing.T, run int64, n int) int64 {
	t.Helper()
	root, err := b.store.BucketsStart(b.ctx, run, "reconcile", n)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func (b *bundle) claimBucket(t *testing.T, root int64, claimer string) *Bucket {
	t.Helper()
	bk, err := b.store.BucketClaim(b.ctx, root, "reconcile", claimer, b.clock.Now(), testLease)
	if err != nil {
		t.Fatal(err)
	}
	return bk
}

func (b *bundle) bucketStates(t *testing.T, root int64) []BucketState {
	t.Helper()
	bs, err := b.store.Buckets(b.ctx, root, "reconcile")
	if err != nil {
		t.Fatal(err)
	}
	out := make([]BucketState, len(bs))
	for i, bk := range bs {
		out[i] = bk.State
	}
	return out
}

func sameStates(t *testing.T, got []BucketState, want ...BucketState) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("buckets %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("buckets %v, want %v", got, want)
		}
	}
}

func TestBucketsAreClaimedOnceAndFinished(t *testing.T) {
	t.Parallel()
	b := setup(t)
	run := b.bucketRun(t, "w1")
	root := b.startBuckets(t, run.ID, 3)
	if root != run.ID {
		t.Fatalf("root %d, want the run %d", root, run.ID)
	}
	if again := b.startBuckets(t, run.ID, 3); again != root {
		t.Fatalf("starting again gave root %d, want %d", again, root)
	}
	var held []*Bucket
	for i := range 3 {
		bk := b.claimBucket(t, root, "node-a")
		if bk == nil || bk.Index != i || bk.Attempts != 1 || bk.Count != 3 || bk.Task != "nightly" || bk.RunID != run.ID {
			t.Fatalf("claim %d: %+v", i, bk)
		}
		held = append(held, bk)
	}
	if bk := b.claimBucket(t, root, "node-b"); bk != nil {
		t.Fatalf("a fourth claim got bucket %d", bk.Index)
	}
	res := BucketResult{Total: 4, Success: 3, Failure: 1, Statistics: map[string]int64{"created": 3},
		Errors: []ItemError{{Item: "x", Message: "boom"}}}
	if err := b.store.BucketFinish(b.ctx, held[1], "node-a", res, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.store.BucketFinish(b.ctx, held[1], "node-a", res, ""); !errors.As(err, new(*BucketLostError)) {
		t.Fatalf("finishing twice: %v, want a BucketLostError", err)
	}
	if err := b.store.BucketRelease(b.ctx, held[2], "node-a"); err != nil {
		t.Fatal(err)
	}
	sameStates(t, b.bucketStates(t, root), BucketClaimed, BucketDone, BucketOpen)
	bs, err := b.store.Buckets(b.ctx, root, "reconcile")
	if err != nil {
		t.Fatal(err)
	}
	if got := bs[1].Result; got.Total != 4 || got.Statistics["created"] != 3 || len(got.Errors) != 1 {
		t.Fatalf("result %+v", got)
	}
}

func TestBucketWithLapsedLeaseIsClaimedAgain(t *testing.T) {
	t.Parallel()
	b := setup(t)
	run := b.bucketRun(t, "w1")
	root := b.startBuckets(t, run.ID, 1)
	dead := b.claimBucket(t, root, "node-a")
	if err := b.store.BucketRenew(b.ctx, dead, "node-a", b.clock.Now(), testLease); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(testLease - time.Second)
	if bk := b.claimBucket(t, root, "node-b"); bk != nil {
		t.Fatal("a bucket was claimed before its lease ran out")
	}
	b.clock.Advance(2 * time.Second)
	again := b.claimBucket(t, root, "node-b")
	if again == nil || again.Attempts != 2 || again.ClaimedBy != "node-b" {
		t.Fatalf("claim after the lease: %+v", again)
	}
	for _, err := range []error{
		b.store.BucketRenew(b.ctx, dead, "node-a", b.clock.Now(), testLease),
		b.store.BucketFinish(b.ctx, dead, "node-a", BucketResult{}, ""),
	} {
		if !errors.As(err, new(*BucketLostError)) {
			t.Fatalf("the dead claimer: %v, want a BucketLostError", err)
		}
	}
	if err := b.store.BucketFinish(b.ctx, again, "node-b", BucketResult{}, ""); err != nil {
		t.Fatal(err)
	}
	sameStates(t, b.bucketStates(t, root), BucketDone)
}

func TestFailedBucketStopsTheSetsClaims(t *testing.T) {
	t.Parallel()
	b := setup(t)
	run := b.bucketRun(t, "w1")
	root := b.startBuckets(t, run.ID, 2)
	bk := b.claimBucket(t, root, "node-a")
	if err := b.store.BucketFinish(b.ctx, bk, "node-a", BucketResult{}, "the resource is unreachable"); err != nil {
		t.Fatal(err)
	}
	if got := b.claimBucket(t, root, "node-a"); got != nil {
		t.Fatalf("bucket %d claimed after another failed", got.Index)
	}
	if got, err := b.store.BucketClaimAny(b.ctx, "node-b", run.Serial, b.clock.Now(), testLease); err != nil || got != nil {
		t.Fatalf("claim any: %v, %v", got, err)
	}
}

func TestBucketClaimAnyHelpsRunningRunsOfTheSameSerial(t *testing.T) {
	t.Parallel()
	b := setup(t)
	run := b.bucketRun(t, "w1")
	root := b.startBuckets(t, run.ID, 2)
	if got, err := b.store.BucketClaimAny(b.ctx, "node-b", run.Serial+1, b.clock.Now(), testLease); err != nil || got != nil {
		t.Fatalf("another serial claimed %v, %v", got, err)
	}
	got, err := b.store.BucketClaimAny(b.ctx, "node-b", run.Serial, b.clock.Now(), testLease)
	if err != nil || got == nil || got.RootRun != root || got.Index != 0 || got.Mode != "full" {
		t.Fatalf("claim any: %+v, %v", got, err)
	}
	if err := b.store.RunFinish(b.ctx, run.ID, "w1", RunCancelled, "", nil, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := b.store.BucketClaimAny(b.ctx, "node-b", run.Serial, b.clock.Now(), testLease); err != nil || got != nil {
		t.Fatalf("a bucket of a finished run was claimed: %v, %v", got, err)
	}
}

func TestRecoveryRunAdoptsTheBuckets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	run := b.bucketRun(t, "w1")
	root := b.startBuckets(t, run.ID, 3)
	own := RunClaimer(run.ID)
	done := b.claimBucket(t, root, own)
	if err := b.store.BucketFinish(b.ctx, done, own, BucketResult{Success: 5}, ""); err != nil {
		t.Fatal(err)
	}
	b.claimBucket(t, root, own)      // bucket 1: the interrupted run's, opened again
	b.claimBucket(t, root, "node-b") // bucket 2: another node's, left to its lease
	now := b.clock.Now()
	recovery := Run{Task: "nightly", Trigger: TriggerRecovery, Mode: "full", State: RunQueued, Attempt: 1,
		RetryOf: run.ID, ScheduledAt: now, CreatedAt: now}
	if err := b.store.RunFinish(b.ctx, run.ID, "w1", RunInterrupted, "interrupted", nil, now, []Run{recovery}); err != nil {
		t.Fatal(err)
	}
	rec := b.claim(t, "w2")
	if rec == nil || rec.RetryOf != run.ID {
		t.Fatalf("claimed %+v, want the recovery run", rec)
	}
	if got := b.startBuckets(t, rec.ID, 3); got != root {
		t.Fatalf("the recovery run's root is %d, want %d", got, root)
	}
	sameStates(t, b.bucketStates(t, root), BucketDone, BucketOpen, BucketClaimed)
	bs, err := b.store.Buckets(b.ctx, root, "reconcile")
	if err != nil {
		t.Fatal(err)
	}
	for _, bk := range bs {
		if bk.RunID != rec.ID {
			t.Fatalf("bucket %d still belongs to run %d", bk.Index, bk.RunID)
		}
	}
	if bs[0].Result.Success != 5 {
		t.Fatalf("the done bucket lost its result: %+v", bs[0].Result)
	}
}

func TestBucketsStartRefusesNoBuckets(t *testing.T) {
	t.Parallel()
	b := setup(t)
	run := b.bucketRun(t, "w1")
	if _, err := b.store.BucketsStart(b.ctx, run.ID, "reconcile", 0); err == nil {
		t.Fatal("zero buckets were accepted")
	}
	if _, err := b.store.BucketClaim(b.ctx, run.ID, "reconcile", "", b.clock.Now(), testLease); err == nil {
		t.Fatal("a claim without a claimer was accepted")
	}
}
