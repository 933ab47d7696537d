package views

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ž", 300)
	tests := []struct{ in, name, value string }{
		{"plain", "plain", `"plain"`},
		{"Jiří Nováček", "Jiří Nováček", `"Jiří Nováček"`},
		{"a\nb\tc", `a\nb\tc`, `"a\nb\tc"`},
		{"\x1b[31m", `\x1b[31m`, `"\x1b[31m"`},
		{"\xff\xfe", `\xff\xfe`, `"\xff\xfe"`},
		{"\u202eabc\u2028", `\u202eabc\u2028`, `"\u202eabc\u2028"`},
		{`say "hi" \ bye`, `say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{long, strings.Repeat("ž", 200) + "… (300 characters)", `"` + strings.Repeat("ž", 200) + `"… (300 characters)`},
	}
	for _, tt := range tests {
		if got := printable(tt.in, nameLimit); got != tt.name {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.name)
		}
		if got := quoteValue(tt.in); got != tt.value {
			t.Errorf("quoteValue(%q) = %q, want %q", tt.in, got, tt.value)
		}
	}
}

func TestFormatValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []string
		want string
	}{
		{nil, "(none)"},
		{[]string{""}, `""`},
		{[]string{"a"}, `"a"`},
		{[]string{"a", "b\n"}, `["a", "b\n"]`},
		{strings.Split("1 2 3 4 5 6 7 8 9 10 11", " "), `["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", … 1 more]`},
	}
	for _, tt := range tests {
		if got := formatValues(tt.in); got != tt.want {
			t.Errorf("formatValues(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
