//go:build race

package main

// raceEnabled is true when the tests run under the race detector, which
// makes the 100,000-object crash test too slow to be useful; .ci/run runs
// that test once more without it.
const raceEnabled = true
