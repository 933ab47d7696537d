package synchronization

import "context"

// RunBucketWithoutClaim synchronizes bucket index of count as a claimer
// would, without recording its end: a claimer that died after its
// batches committed.
func RunBucketWithoutClaim(ctx context.Context, job *Job, index, count int) error {
	j := *job
	j.Rec = &bucketRecorder{}
	return runBucket(ctx, &j, bucketOf{index: index, count: count})
}

// NoFlights has job run every write batch in turn with the pass.
func NoFlights(job *Job) { job.noFlights = true }

// OnFlightWait has job call f when its pass is about to wait for a write
// batch still under way; why is "read" (a decision reads one of its
// shadows), "launch" (the next batch is full) or "flush" (the pass ends).
func OnFlightWait(job *Job, f func(why string)) { job.flightWait = f }

// WholeOutcomes has job store every outcome of its operations whole, as
// before the executor stored some of them as a queue and a hash alone.
func WholeOutcomes(job *Job) { job.wholeOutcomes = true }

// OnSync has job call f, with the session's Sync, where the executor makes
// the commits of an import's or reconciliation's session durable before
// it sends a write batch.
func OnSync(job *Job, f func(sync func() error) error) { job.syncHook = f }
