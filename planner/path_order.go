package planner

import (
	"slices"
	"strings"
)

// comparePaths orders attribute paths as views list them: within each
// block, its own attributes before its nested blocks, each in natural order
// (numbers compare by value, so activity[2] sorts before activity[10]).
func comparePaths(a, b string) int {
	for {
		sa, restA, nestedA := strings.Cut(a, ".")
		sb, restB, nestedB := strings.Cut(b, ".")
		if sa != sb || nestedA != nestedB {
			if nestedA != nestedB {
				if nestedA {
					return 1
				}
				return -1
			}
			return compareNatural(sa, sb)
		}
		if !nestedA {
			return 0
		}
		a, b = restA, restB
	}
}

func compareNatural(a, b string) int {
	for a != "" && b != "" {
		da, db := isDigit(a[0]), isDigit(b[0])
		if da && db {
			na, ra := leadingDigits(a)
			nb, rb := leadingDigits(b)
			if c := compareNumbers(na, nb); c != 0 {
				return c
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

// sortedPaths returns the keys of spec in path order.
func sortedPaths(spec map[string]string) []string {
	paths := make([]string, 0, len(spec))
	for p := range spec {
		paths = append(paths, p)
	}
	slices.SortFunc(paths, comparePaths)
	return paths
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// compareNumbers compares two digit strings by value.
func compareNumbers(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
