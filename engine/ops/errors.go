package ops

import "github.com/hashicorp/hcl/v2"

// ConfigError is a configuration that does not load; its diagnostics went
// to the Reporter.
type ConfigError struct {
	Diagnostics hcl.Diagnostics
}

func (e *ConfigError) Error() string { return e.Diagnostics.Error() }

// PlanError is a plan that cannot be applied (planner.Plan.Err); the plan,
// errors included, went to the Reporter.
type PlanError struct {
	Err error
}

func (e *PlanError) Error() string { return e.Err.Error() }

func (e *PlanError) Unwrap() error { return e.Err }
