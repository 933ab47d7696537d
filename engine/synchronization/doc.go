// Package synchronization is the work syncline exists to do: it reads the
// objects on a resource, matches them to users in the repository
// (correlation), decides the situation each one is in, reacts, and
// provisions the results to the other resources.
//
// Every object goes through the same short pipeline:
//
//	read (connector.Search) → prepare (filter, hash, inbound and correlation
//	values; in parallel) → decide (situation, reaction, the user and account
//	changes it implies; reads only) → check (thresholds) → apply (one
//	repository transaction per batch) → execute (provisioning operations on
//	the resources, recorded back on their shadows).
//
// Decisions are data (effects): preview mode records them with the run and
// applies none; dry_run stops after the situation; full applies them. An
// object whose attributes and mappings are unchanged since its last
// synchronization costs no write at all.
//
// Impact runs the same decisions over the repository instead of a
// resource — each shadow's cached attributes standing for its object,
// connectors offline, one read-only transaction — and reports what a
// preview run would change to a planner.ImpactBuilder: the identity impact
// of a plan.
//
// The package is a library: engine/activity adapts it to its Activity
// interface.
// Neighbours: state holds users, shadows and pending operations;
// engine/connector reaches resources; config holds the expressions this
// package evaluates.
package synchronization
