// Package exec is the exec activity: it runs a command without a shell,
// in the configuration directory or its working_dir, with the activity's
// environment added (sensitive values unmarked for the command only and
// redacted from what is kept), under the activity's timeout, killing the
// whole process group when stopped. It records the command line, the exit
// code, the duration and the last 4 KiB of standard output and error; in
// preview and dry_run it records what it would run and runs nothing.
//
// Neighbours: engine/activity is the interface it implements;
// engine/runner registers it as the "exec" type (runner.DefaultActivities);
// config holds its settings (config.ExecSettings).
package exec
