package runner

import (
	"encoding/json"

	"github.com/syncline/syncline/internal/procgroup"
	"github.com/syncline/syncline/state"
)

// checkpoint is what the engine stores in Run.Checkpoint: the activities
// already finished, and the data the current activity saved. A recovery
// run copies it, skips the finished activities and hands the data back to
// the activity that saved it.
type checkpoint struct {
	Done     []doneActivity  `json:"done,omitempty"`
	Activity string          `json:"activity,omitempty"`
	Data     json.RawMessage `json:"data,omitempty"`
	// Process is the child process group an activity had running when
	// the checkpoint was written; a recovery run kills it if it outlived
	// the interrupted run.
	Process *runProcess `json:"process,omitempty"`
}

// runProcess is a child process group, the activity and the run that
// started it.
type runProcess struct {
	procgroup.Group
	Activity string `json:"activity"`
	Run      int64  `json:"run"`
}

// doneActivity is an activity that finished in an earlier run.
type doneActivity struct {
	Name  string         `json:"name"`
	State state.RunState `json:"state"`
	Run   int64          `json:"run"`
}

// parseCheckpoint reads a stored checkpoint; anything unreadable counts as
// none, so the run starts over rather than not at all.
func parseCheckpoint(raw json.RawMessage) checkpoint {
	var c checkpoint
	if len(raw) == 0 || json.Unmarshal(raw, &c) != nil {
		return checkpoint{}
	}
	return c
}

func (c checkpoint) encode() json.RawMessage {
	if len(c.Done) == 0 && c.Activity == "" && c.Process == nil {
		return nil
	}
	data, err := json.Marshal(c)
	if err != nil {
		return nil // unreachable: plain strings, numbers and valid JSON
	}
	return data
}

// done returns the earlier run's record of the named activity, if any.
func (c checkpoint) done(name string) (doneActivity, bool) {
	for _, d := range c.Done {
		if d.Name == name {
			return d, true
		}
	}
	return doneActivity{}, false
}
