package main

import (
	"strings"

	"github.com/agext/levenshtein"
)

// closestName returns the candidate the user most likely meant by name: one
// that name is a prefix of, or the nearest by edit distance when near enough
// to be a plausible typo; "" when there is none.
func closestName(name string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein.Distance(name, c, nil)
		if len(name) >= 2 && strings.HasPrefix(c, name) {
			d = 0
		}
		if d <= max(1, len([]rune(name))/3) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}
