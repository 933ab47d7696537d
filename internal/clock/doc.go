// Package clock is the one clock of the program: every time the engine,
// its scheduler, runner and activities, and the state store read or wait
// for goes through a Clock, so that tests move time instead of sleeping.
//
// What exists:
//
//   - Clock and Timer: telling the time, one-shot timers and AfterFunc.
//   - Real: the wall clock, the default everywhere.
//   - Fake: a clock that moves only when a test says so (Advance, Set),
//     firing the timers it passes in deadline order.
//
// The program makes one Clock value and hands it to every service:
// engine.ServerConfig.Clock, scheduler.New, runner.Runner.Clock,
// activity.Context.Clock and state.Options.Clock. The planner stays pure
// and takes the time as a value (planner.Options.Now) from whoever calls
// it.
//
// Neighbours: the package imports nothing of the project, so that state
// (below the engine) and the engine's packages can share it.
package clock
