package console

import (
	"encoding/json"
	"net/http"
	"sort"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Apply is one entry of the apply history: who applied which revision,
// and the plan's summary of what changed, as the plan recorded it.
type Apply struct {
	Serial     int64           `json:"serial"`
	At         time.Time       `json:"at"`
	Who        string          `json:"who"`
	Revision   string          `json:"revision,omitempty"`
	ForcedOver string          `json:"forced_over,omitempty"`
	Changes    json.RawMessage `json:"changes,omitempty"`
}

func (c *Console) applies(r *http.Request, limit int) ([]Apply, error) {
	recs, err := c.cfg.Store.ApplyHistory(r.Context(), limit)
	if err != nil {
		return nil, err
	}
	out := make([]Apply, len(recs))
	for i, a := range recs {
		out[i] = Apply{Serial: a.Serial, At: a.At, Who: a.Who, Revision: a.Revision, ForcedOver: a.ForcedOver, Changes: redactChanges(a.Changes)}
	}
	return out, nil
}

func (c *Console) apiApplies(r *http.Request) (int, any, error) {
	_, limit, err := paging(r)
	if err != nil {
		return 0, nil, err
	}
	out, err := c.applies(r, limit)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"applies": out}, nil
}

// SyncStatus is GET /api/v1/sync: what is known of following git.
type SyncStatus struct {
	// Followed is the sync block the server runs with, nil when it has
	// none.
	Followed *SyncFollowed `json:"followed"`
	// LastApply is the newest apply (a successful sync that changed
	// something is one); nil when nothing was applied.
	LastApply *Apply `json:"last_apply"`
	// Plan is the last apply's plan: what the latest sync (or apply) that
	// changed something changed; nil when nothing was applied.
	Plan *SyncPlan `json:"plan"`
	// Pending is the plan of the newest sync that did not apply (the
	// plan_only policy) while the state is still where that plan starts;
	// nil when there is none.
	Pending  *PendingPlan        `json:"pending_plan"`
	Failures []state.SyncFailure `json:"failures"`
	// Known says what the state cannot tell.
	Known string `json:"known"`
}

// SyncFollowed is the followed repository, without credentials.
type SyncFollowed struct {
	Repository string `json:"repository"`
	Branch     string `json:"branch"`
	Path       string `json:"path"`
	Policy     string `json:"policy"`
}

// syncUnknown is what the state does not record about syncs.
const syncUnknown = "The state records every apply (a sync that applied a revision is one) with its plan, the plans of the newest syncs that did not apply (the plan_only policy), and every failed sync. A sync that found nothing new is only in the log of syncline serve -sync (and in the syncline_sync_status metric)."

func (c *Console) syncStatus(r *http.Request) (*SyncStatus, error) {
	s := &SyncStatus{Known: syncUnknown, Failures: []state.SyncFailure{}}
	if cat := c.cfg.Engine.Catalog(); cat != nil && cat.Config() != nil && cat.Config().Settings != nil {
		if b := cat.Config().Settings.Sync; b != nil && b.Repository != "" {
			s.Followed = &SyncFollowed{Repository: b.Repository, Branch: b.Branch, Path: b.Path, Policy: b.Policy}
		}
	}
	last, err := c.applies(r, 1)
	if err != nil {
		return nil, err
	}
	if len(last) > 0 {
		s.LastApply = &last[0]
		s.Plan = planOf(s.LastApply)
	}
	plans, err := c.cfg.Store.SyncPlans(r.Context(), 1)
	if err != nil {
		return nil, err
	}
	if len(plans) > 0 {
		serial, err := c.cfg.Store.Serial(r.Context())
		if err != nil {
			return nil, err
		}
		s.Pending = pendingPlan(&plans[0], serial)
	}
	failures, err := c.cfg.Store.SyncFailures(r.Context(), 20)
	if err != nil {
		return nil, err
	}
	if failures != nil {
		s.Failures = failures
	}
	return s, nil
}

func (c *Console) apiSync(r *http.Request) (int, any, error) {
	s, err := c.syncStatus(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s, nil
}

// Resource is one applied resource: its connector, object types and how
// many shadows it has. Connection settings are not shown.
type Resource struct {
	Name        string   `json:"name"`
	Connector   string   `json:"connector,omitempty"`
	Description string   `json:"description,omitempty"`
	ObjectTypes []string `json:"object_types"`
	Shadows     int      `json:"shadows"`
	SourceFile  string   `json:"source_file,omitempty"`
	SourceLine  int      `json:"source_line,omitempty"`
	Revision    string   `json:"revision,omitempty"`
}

func (c *Console) resources(r *http.Request) ([]Resource, error) {
	snap, err := c.cfg.Store.Snapshot(r.Context())
	if err != nil {
		return nil, err
	}
	var cfg *config.Config
	if cat := c.cfg.Engine.Catalog(); cat != nil {
		cfg = cat.Config()
	}
	out := []Resource{}
	for _, d := range snap.Definitions {
		if d.Kind != config.KindResource {
			continue
		}
		res := Resource{Name: d.Name, Connector: specString(d.Spec, "connector"), ObjectTypes: []string{},
			Shadows: snap.ShadowCounts[d.Name], SourceFile: d.SourceFile, SourceLine: d.SourceLine, Revision: d.Revision}
		if cfg != nil {
			if rc := cfg.Resources[d.Name]; rc != nil {
				res.Description = rc.Description
				for _, ot := range rc.ObjectTypes {
					res.ObjectTypes = append(res.ObjectTypes, ot.Kind+"/"+ot.Intent)
				}
			}
		}
		out = append(out, res)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (c *Console) apiResources(r *http.Request) (int, any, error) {
	out, err := c.resources(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"resources": out}, nil
}
