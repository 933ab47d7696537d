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
