package connector

import (
	"fmt"
	"math/big"
	"time"
	"unicode/utf8"

	"github.com/syncline/syncline/config"
	"github.com/zclconf/go-cty/cty"
)

// Settings reads a resource's connection settings for a connector. Values
// may carry config.Sensitive; Settings unmarks them here, at the point of
// use, and remembers which were sensitive so that connectors can keep them
// out of messages.
type Settings struct {
	res  *config.Resource
	errs ErrorBuilder
}

// NewSettings returns the settings of res.
func NewSettings(res *config.Resource) Settings {
	return Settings{res: res, errs: ErrorBuilder{Resource: res.Name}}
}

// value returns the setting name, unmarked, and whether it is set.
func (s Settings) value(name string) (cty.Value, bool, error) {
	if s.res.Connection == nil {
		return cty.NilVal, false, s.errs.New(ErrConfig, "open", fmt.Errorf("the resource has no connection block"), "")
	}
	v, ok := s.res.Connection.Attributes[name]
	if !ok || v.IsNull() {
		return cty.NilVal, false, nil
	}
	if !v.IsWhollyKnown() {
		return cty.NilVal, false, s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting has no value yet", name),
			"Give every variable the connection uses a value (with -var, -var-file or SYNCLINE_VAR_name), and set every environment variable env() reads.")
	}
	v, _ = v.UnmarkDeep()
	return v, true, nil
}

// Sensitive reports whether the setting name carries the sensitive mark.
func (s Settings) Sensitive(name string) bool {
	v, ok := s.res.Connection.Attributes[name]
	return ok && v.HasMarkDeep(config.Sensitive)
}

// String returns a string setting, or "" when it is not set.
func (s Settings) String(name string) (string, error) {
	v, ok, err := s.value(name)
	if !ok || err != nil {
		return "", err
	}
	if !v.Type().Equals(cty.String) {
		return "", s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting must be a string", name), "")
	}
	return v.AsString(), nil
}

// Required returns a string setting that must be set and not empty.
func (s Settings) Required(name string) (string, error) {
	str, err := s.String(name)
	if err == nil && str == "" {
		err = s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting is required", name), "")
	}
	return str, err
}

// Rune returns a one-character setting, or def when it is not set.
func (s Settings) Rune(name string, def rune) (rune, error) {
	str, err := s.String(name)
	if err != nil || str == "" {
		return def, err
	}
	r, size := utf8.DecodeRuneInString(str)
	if size != len(str) || r == utf8.RuneError {
		return 0, s.errs.New(ErrConfig, "open", fmt.Errorf("%s must be exactly one character", name), `Write a single character, such as "," or ";".`)
	}
	return r, nil
}

// Strings returns a list-of-strings setting, or nil when it is not set.
func (s Settings) Strings(name string) ([]string, error) {
	v, ok, err := s.value(name)
	if !ok || err != nil {
		return nil, err
	}
	if !v.CanIterateElements() {
		return nil, s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting must be a list of strings", name), "")
	}
	var out []string
	for _, e := range v.AsValueSlice() {
		if e.IsNull() || !e.Type().Equals(cty.String) {
			return nil, s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting must be a list of strings", name), "")
		}
		out = append(out, e.AsString())
	}
	return out, nil
}

// Bool returns a true/false setting, or def when it is not set.
func (s Settings) Bool(name string, def bool) (bool, error) {
	v, ok, err := s.value(name)
	if !ok || err != nil {
		return def, err
	}
	if !v.Type().Equals(cty.Bool) {
		return def, s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting must be true or false", name), "")
	}
	return v.True(), nil
}

// Int returns a whole-number setting from lo to hi, or def when it is not
// set.
func (s Settings) Int(name string, def, lo, hi int) (int, error) {
	v, ok, err := s.value(name)
	if !ok || err != nil {
		return def, err
	}
	if !v.Type().Equals(cty.Number) {
		return def, s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting must be a number", name), "")
	}
	n, acc := v.AsBigFloat().Int64()
	if acc != big.Exact || n < int64(lo) || n > int64(hi) {
		return def, s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting must be a whole number from %d to %d", name, lo, hi), "")
	}
	return int(n), nil
}

// Duration returns a positive duration setting ("30s", "2m"), or def when
// it is not set.
func (s Settings) Duration(name string, def time.Duration) (time.Duration, error) {
	str, err := s.String(name)
	if err != nil || str == "" {
		return def, err
	}
	d, err := config.ParseDuration(str)
	if err != nil || d <= 0 {
		return def, s.errs.New(ErrConfig, "open", fmt.Errorf("the %s setting must be a positive duration such as \"30s\", not %q", name, str), "")
	}
	return d, nil
}
