// Package views renders results for people and machines, so that commands
// never print in the middle of their logic. In the manner of Terraform's
// internal/command/views, a command picks a view once from its flags
// (ParseViewType of -format, then NewPlan) and hands it results:
//
//   - Plan, with PlanHuman (text for a terminal), PlanJSON (the plan's
//     documented encoding) and PlanMarkdown (a pull-request comment), shows
//     a plan and what is said around it — the revision it was made from, a
//     store created for plan -out, where the plan was saved — and a diff
//     of two revisions;
//   - Apply (ApplyHuman, from NewApply) shows what apply and sync carry
//     out: the plan, the question asked, and "Apply complete! …";
//   - Sync (SyncHuman, from NewSync) adds sync's force-push note, "already
//     at" and plan_only lines; SyncOutcome is serve -sync's log account;
//   - WritePlanLines is syncline up's one line per change;
//   - Runs (RunsHuman, RunsJSON) shows runs and runs show, with a run's
//     changes; Tasks the tasks table, tasks show, suspend and resume;
//     State show's summary of the state and syncline state; Run the lines,
//     progress and summary of syncline run; Up a round of syncline up and
//     its summary (Run and Up implement ops.RunObserver and
//     ops.UpObserver); Watch the rounds of syncline watch. They name
//     revisions through RevisionLabels, which the command supplies;
//   - DiagnosticsHuman and ShowDiagnostics show configuration diagnostics
//     with a source snippet, JSONDiagnostics and WriteValidateJSON in the
//     shape of terraform validate -json, ValidateHuman validate's result;
//   - Resources (resources list and test), Hook (hook install), and the
//     one-line messages of init, serve, version, fmt and errors
//     (commands.go); WriteUnifiedDiff is fmt -diff;
//   - RenderText and RenderMarkdown(With) are the text and Markdown
//     renderers those views use;
//   - Color is the one colouriser of the program: it paints only on a
//     terminal, never under -no-color or NO_COLOR (ColorFor).
//
// Its neighbours: planner computes the plan as plain data and owns its JSON
// encoding (planner.RenderJSON), which views calls and does not repeat;
// cmd/syncline chooses the views. docs/plan-format.md describes the text
// and Markdown layouts; testdata/ holds a golden file of every scenario
// (internal/plantest) in each of them.
package views
