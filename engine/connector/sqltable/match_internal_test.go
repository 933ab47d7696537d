package sqltable

import "testing"

func TestCollationRule(t *testing.T) {
	for name, want := range map[string]keyRule{
		"utf8mb4_general_ci":          keyFold | keyTrim,
		"utf8mb4_unicode_520_ci":      keyFold | keyTrim,
		"latin1_swedish_ci":           keyFold | keyTrim,
		"UTF8MB4_GENERAL_CI":          keyFold | keyTrim,
		"utf8mb4_bin":                 keyTrim,
		"latin1_general_cs":           keyTrim,
		"utf8mb4_general_nopad_ci":    keyFold,
		"utf8mb4_uca1400_nopad_ai_ci": keyFold,
		"utf8mb4_uca1400_ai_ci":       keyFold | keyTrim,
		"utf8mb4_nopad_bin":           keyExact,
		"utf8mb4_0900_ai_ci":          keyFold,
		"utf8mb4_0900_as_cs":          keyExact,
		"utf8mb4_ja_0900_as_cs_ks":    keyExact,
		"utf8mb4_0900_bin":            keyExact,
		"binary":                      keyExact,
		"":                            keyExact,
	} {
		if got := collationRule(name); got != want {
			t.Errorf("collationRule(%q) = %b, want %b", name, got, want)
		}
	}
}

func TestKeyRuleApply(t *testing.T) {
	for _, tt := range []struct {
		r      keyRule
		id, to string
	}{
		{keyExact, " Alice \t ", " Alice \t "},
		{keyTrim, " Alice  ", " Alice"},
		{keyTrim, "Alice\t", "Alice\t"}, // spaces only
		{keyTrim, "   ", ""},
		{keyFold, "JIŘÍ", "jiří"},
		{keyFold | keyTrim, "Ünal  ", "ünal"},
		{keyFoldASCII, "JIŘÍ Ünal", "jiŘÍ Ünal"},
		{keyFoldASCII, "already lower", "already lower"},
		{keyFoldASCII | keyTrim, "ABC ", "abc"},
		{keyFoldASCII, "", ""},
	} {
		if got := tt.r.apply(tt.id); got != tt.to {
			t.Errorf("%b.apply(%q) = %q, want %q", tt.r, tt.id, got, tt.to)
		}
	}
}
