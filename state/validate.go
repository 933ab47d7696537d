package state

import (
	"encoding/json"
	"fmt"
	"strings"
)

// validateRequest rejects requests that could not be applied to any
// state, before a transaction starts.
func validateRequest(req *ApplyRequest) error {
	if err := validateMoves(req.Moves); err != nil {
		return err
	}
	upserted := map[string]bool{}
	for i, d := range req.Upserts {
		if err := validateDefinition(i, d); err != nil {
			return err
		}
		if upserted[d.Address()] {
			return invalid("%s is upserted twice", d.Address())
		}
		upserted[d.Address()] = true
	}
	if err := validateDeletes(req.Deletes, upserted); err != nil {
		return err
	}
	if len(req.Changes) > 0 && !json.Valid(req.Changes) {
		return invalid("changes are not valid JSON")
	}
	return nil
}

func validateMoves(moves []Move) error {
	from, to := map[string]bool{}, map[string]bool{}
	for _, m := range moves {
		if err := validateAddress(m.From); err != nil {
			return err
		}
		if err := validateAddress(m.To); err != nil {
			return err
		}
		fromKind, _ := splitAddress(m.From)
		toKind, _ := splitAddress(m.To)
		switch {
		case fromKind != toKind:
			return invalid("cannot move %s to %s: a move keeps the kind", m.From, m.To)
		case m.From == m.To:
			return invalid("cannot move %s onto itself", m.From)
		case from[m.From] || to[m.To]:
			return invalid("%s or %s is named by two moves", m.From, m.To)
		}
		from[m.From], to[m.To] = true, true
	}
	return nil
}

func validateDefinition(i int, d *Definition) error {
	switch {
	case d == nil:
		return invalid("upsert %d is nil", i)
	case d.Kind == "" || d.Name == "":
		return invalid("upsert %d (%q) needs a kind and a name", i, d.Address())
	case strings.Contains(d.Kind, "."):
		return invalid("upsert %d: kind %q contains a dot", i, d.Kind)
	case d.Hash == "":
		return invalid("%s has no hash", d.Address())
	}
	return nil
}

func validateDeletes(deletes []string, upserted map[string]bool) error {
	seen := map[string]bool{}
	for _, addr := range deletes {
		if err := validateAddress(addr); err != nil {
			return err
		}
		if seen[addr] || upserted[addr] {
			return invalid("%s is deleted twice or both upserted and deleted", addr)
		}
		seen[addr] = true
	}
	return nil
}

func validateAddress(addr string) error {
	kind, name := splitAddress(addr)
	if kind == "" || name == "" {
		return invalid("%q is not an address of the form kind.name", addr)
	}
	return nil
}

// splitAddress splits "kind.name" at its first dot.
func splitAddress(addr string) (kind, name string) {
	kind, name, _ = strings.Cut(addr, ".")
	return kind, name
}

func invalid(format string, args ...any) error {
	return &InvalidRequestError{Reason: fmt.Sprintf(format, args...)}
}
