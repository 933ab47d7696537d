package views

import "fmt"

// Hook is the view of syncline hook install.
type Hook interface {
	// Installed says where the hook is and what it does.
	Installed(path, branch, state, log string)
}

var _ Hook = (*HookHuman)(nil)

// NewHook returns the text view of hook install.
func NewHook(s Streams) Hook { return &HookHuman{streams: s} }

// HookHuman is the text view of hook install.
type HookHuman struct{ streams Streams }

// Installed writes one line: the hook, the branch, the state and the log.
func (v *HookHuman) Installed(path, branch, state, log string) {
	fmt.Fprintf(v.streams.Stdout, "Installed %s: pushes to %s run syncline sync into %s (log: %s).\n", path, branch, state, log)
}
