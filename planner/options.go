package planner

import (
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// Options are the inputs of Compute that are not definitions.
type Options struct {
	// Now is when the plan is made; next run times count from it. Required:
	// the planner never reads the clock.
	Now time.Time
	// AllowDestroy permits removing or replacing a resource that still has
	// shadows; without it such a plan carries an error.
	AllowDestroy bool
	// Moves are the configuration's moved blocks (see MovesFromConfig).
	Moves []Move
	// Revision is the configuration revision the plan is made from.
	Revision string
	// Runtime is the tasks' runtime state, for reporting drift: a task the
	// configuration enables but someone suspended at run time.
	Runtime []state.TaskRuntime
	// EphemeralKey says the desired (and stored) definitions fingerprint
	// secrets with a key made for this invocation (state.EphemeralKey), as
	// syncline diff and a plan without a state do: the plan says its
	// fingerprints are not comparable with any other plan's.
	EphemeralKey bool
}

// Move is a moved block: the stored definition at From now lives at To.
type Move struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// MovesFromConfig returns the configuration's moved blocks in source order.
func MovesFromConfig(cfg *config.Config) []Move {
	moves := make([]Move, 0, len(cfg.Moved))
	for _, m := range cfg.Moved {
		moves = append(moves, Move{From: m.From.Address.String(), To: m.To.Address.String()})
	}
	return moves
}
