package synchronization

import (
	"context"
	"fmt"
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Import synchronizes every object of the activity's object type (or the
// filter's and max_items' subset) into the repository, then performs the
// provisioning operations that are due.
func Import(ctx context.Context, job *Job) error {
	return withPass(ctx, job, func(p *pass) error { return p.objects(ctx, job.Rec) })
}

// withPass runs fn with a pass over the activity's object type, then, in
// full mode, the due operations of every provisioning resource.
func withPass(ctx context.Context, job *Job, fn func(*pass) error) error {
	w, err := start(ctx, job)
	if err != nil {
		return err
	}
	defer w.close()
	p, err := newPass(ctx, job, w)
	if err != nil {
		return err
	}
	if err := fn(p); err != nil {
		return err
	}
	return finish(ctx, job, w, job.Rec)
}

// Reconcile runs the reconciliation stages the activity does not skip,
// each recorded as a stage of the activity: operation_completion,
// resource_objects, remaining_shadows.
func Reconcile(ctx context.Context, job *Job) error {
	return withPass(ctx, job, func(p *pass) error {
		for _, name := range job.Activity.Stages() {
			rec, end := stage(job.Rec, name)
			err := p.stage(ctx, rec, name)
			end(err)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	})
}

// stage runs one reconciliation stage.
func (p *pass) stage(ctx context.Context, rec Recorder, name string) error {
	switch name {
	case "operation_completion":
		n, err := completeOperations(ctx, p.job, p.x, rec, p.rt.res.Name, true)
		rec.SetTotal(n)
		return err
	case "resource_objects":
		return p.objects(ctx, rec)
	case "remaining_shadows":
		return p.remainingShadows(ctx, rec)
	}
	return fmt.Errorf("unknown reconciliation stage %q", name)
}

// Propagate performs the due pending operations of the activity's
// resource, or of every resource with outbound mappings.
func Propagate(ctx context.Context, job *Job) error {
	w, err := start(ctx, job)
	if err != nil {
		return err
	}
	defer w.close()
	resources := w.provisioningResources()
	if r := job.Activity.Resource; r != nil {
		resources = []string{r.Name}
	}
	p := newPassFor(job, w, nil, nil)
	var total int64
	for _, name := range resources {
		n, err := completeOperations(ctx, job, p.x, job.Rec, name, false)
		total += n
		job.Rec.SetTotal(total)
		if err != nil {
			return err
		}
	}
	return nil
}

// Recompute provisions every user (or the filter's subset) again: after
// a change of outbound mappings or provision_when, it creates, updates,
// disables and deletes objects as the mappings now say.
func Recompute(ctx context.Context, job *Job) error {
	w, err := start(ctx, job)
	if err != nil {
		return err
	}
	defer w.close()
	ids, err := recomputeUsers(ctx, job, w)
	if err != nil {
		return err
	}
	job.Rec.SetTotal(int64(len(ids)))
	if job.Mode == config.ModeDryRun {
		// There are no situations to find: a dry run only counts the
		// users a recompute would look at.
		job.Rec.AddSuccess(int64(len(ids)))
		return nil
	}
	p := newPassFor(job, w, nil, nil)
	for chunk := range slices.Chunk(ids, job.batchSize()) {
		if err := p.recomputeBatch(ctx, chunk); err != nil {
			return err
		}
	}
	if err := p.x.flush(ctx, job.now()); err != nil {
		return err
	}
	return finish(ctx, job, w, job.Rec)
}

// recomputeUsers returns the IDs of the users the filter selects.
func recomputeUsers(ctx context.Context, job *Job, w *world) ([]int64, error) {
	var ids []int64
	var filter func(*state.User) (bool, error)
	if f := job.Activity.Filter; f != nil {
		filter = w.userCondition("filter", f)
	}
	err := job.Store.UsersEach(ctx, func(u *state.User) error {
		if filter != nil {
			ok, err := filter(u)
			if err != nil {
				job.Rec.AddItemError(u.Name, CategoryMapping, err)
				return nil
			}
			if !ok {
				job.Rec.AddSkipped(1)
				return nil
			}
		}
		ids = append(ids, u.ID)
		return nil
	})
	return ids, err
}

func (p *pass) recomputeBatch(ctx context.Context, ids []int64) error {
	rec := p.job.Rec
	return p.writeBatch(ctx, p.job.Store.RepositoryWrite, rec, func(r *state.RepositoryTx, emit emitFunc) (error, error) {
		d := &decider{w: p.w, r: r, ctx: ctx}
		for _, id := range ids {
			u, err := r.UserByID(id)
			if err != nil {
				return nil, err
			}
			if u == nil {
				continue // deleted meanwhile
			}
			e := &effects{item: u.Name, user: u}
			// A target's trouble lands in e.problems; an error here is
			// the repository's, and ends the activity.
			if err := d.provision(u, e); err != nil {
				return nil, err
			}
			due, ch, stop, err := p.applyEffects(r, rec, e, nil)
			if err != nil {
				return nil, err
			}
			emit(due, ch)
			if stop != nil {
				return stop, nil
			}
		}
		return nil, nil
	})
}

// start prepares a job: the world it reaches and, in full mode, the
// correlation index.
func start(ctx context.Context, job *Job) (*world, error) {
	if job.Rec == nil {
		return nil, fmt.Errorf("the job has no recorder")
	}
	w := newWorld(job)
	if job.Mode == config.ModeFull {
		if err := job.Store.UserIndexEnsure(ctx, correlationAttributes(job.Config)); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// finish performs, in full mode, the due pending operations of every
// resource with outbound mappings: those this run queued and those an
// interrupted run left behind.
func finish(ctx context.Context, job *Job, w *world, rec Recorder) error {
	if job.Mode != config.ModeFull {
		return nil
	}
	x := newExecutor(w, nil)
	for _, name := range w.provisioningResources() {
		if _, err := completeOperations(ctx, job, x, leftovers{rec}, name, false); err != nil {
			return err
		}
	}
	return nil
}

// correlationAttributes are the user attributes correlation rules match
// on (name and status are columns, indexed anyway).
func correlationAttributes(cfg *config.Config) []string {
	var out []string
	for _, name := range config.SortedNames(cfg.Resources) {
		for _, ot := range cfg.Resources[name].ObjectTypes {
			for _, m := range ot.Correlate {
				if m.Target != "name" && m.Target != "status" && !slices.Contains(out, m.Target) {
					out = append(out, m.Target)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// stage returns the recorder of a reconciliation stage: the recorder's
// own when it records stages, otherwise the activity's.
func stage(rec Recorder, name string) (Recorder, func(error)) {
	if sr, ok := rec.(StageRecorder); ok {
		return sr.Stage(name)
	}
	return rec, func(error) {}
}

// leftovers records the operations finish performs on the activity's
// recorder: their errors and statistics, not as objects of the activity.
type leftovers struct{ Recorder }

func (leftovers) SetTotal(int64)   {}
func (leftovers) AddSuccess(int64) {}
func (leftovers) AddSkipped(int64) {}
