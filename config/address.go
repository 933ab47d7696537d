package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Kinds of addressable definitions.
const (
	KindResource = "resource"
	KindSchedule = "schedule"
	KindTask     = "task"
)

// Address names a definition: its kind and name, written "task.hr-import".
type Address struct {
	Kind string
	Name string
}

func (a Address) String() string {
	if a.Kind == "" {
		return ""
	}
	return a.Kind + "." + a.Name
}

// ParseAddress reads "kind.name" as written on the command line.
func ParseAddress(s string) (Address, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			a := Address{Kind: s[:i], Name: s[i+1:]}
			if !isAddressKind(a.Kind) || !validName(a.Name) {
				break
			}
			return a, nil
		}
	}
	return Address{}, fmt.Errorf("%q is not an address; write resource.NAME, schedule.NAME or task.NAME", s)
}

func isAddressKind(k string) bool {
	return k == KindResource || k == KindSchedule || k == KindTask
}

// Reference is an address as written in the configuration, with the range
// of the expression so that an unresolved reference can be pointed at.
type Reference struct {
	Address
	Range hcl.Range
}

// validName reports whether s is a valid definition name: an HCL identifier
// (letters, digits, '_' and '-', not starting with a digit or '-').
func validName(s string) bool {
	return hclsyntax.ValidIdentifier(s)
}
