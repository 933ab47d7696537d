package config

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	"github.com/hashicorp/hcl/v2"
	"github.com/robfig/cron/v3"
)

var scheduleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "cron"},
		{Name: "every"},
		{Name: "timezone"},
		{Name: "misfire"},
		{Name: "max_catch_up"},
	},
}

// Limits and defaults for schedules.
const (
	DefaultMaxCatchUp = 10
	maxCatchUpLimit   = 1000
	minEvery          = time.Second
)

var misfirePolicies = []string{MisfireSkip, MisfireRunOnce, MisfireRunAll}

// cronParser reads standard five-field expressions and descriptors such as
// @daily; @every is refused in favour of the every attribute.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func (c *Config) decodeSchedules(d *decoder, blocks []*hcl.Block) hcl.Diagnostics {
	return decodeNamed(blocks, c.Schedules, KindSchedule, func(s *Schedule) hcl.Range { return s.DeclRange },
		func(b *hcl.Block) (*Schedule, hcl.Diagnostics) { return decodeNamedSchedule(d, b) })
}

// decodeNamedSchedule decodes a schedule block.
func decodeNamedSchedule(d *decoder, b *hcl.Block) (*Schedule, hcl.Diagnostics) {
	s, diags := decodeSchedule(d, b.Body, b.DefRange)
	s.Name = b.Labels[0]
	return s, diags
}

// decodeSchedule decodes a schedule body, named or inline in a task.
func decodeSchedule(d *decoder, body hcl.Body, declRange hcl.Range) (*Schedule, hcl.Diagnostics) {
	s := &Schedule{Misfire: MisfireRunOnce, MaxCatchUp: DefaultMaxCatchUp, Timezone: "UTC", Location: time.UTC, DeclRange: declRange}
	content, diags := body.Content(scheduleSchema)
	cronAttr, hasCron := content.Attributes["cron"]
	everyAttr, hasEvery := content.Attributes["every"]
	switch {
	case hasCron && hasEvery:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting schedule timing",
			Detail:   "A schedule has either cron or every, not both. Keep the one you mean.",
			Subject:  everyAttr.Range.Ptr(),
		})
	case !hasCron && !hasEvery:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing schedule timing",
			Detail:   `A schedule needs cron = "0 2 * * *" (five fields, in its timezone) or every = "15m".`,
			Subject:  declRange.Ptr(),
		})
	case hasCron:
		diags = append(diags, s.decodeCron(d, cronAttr, content.Attributes["timezone"])...)
	case hasEvery:
		diags = append(diags, s.decodeEvery(d, everyAttr, content.Attributes["timezone"])...)
	}
	if attr, ok := content.Attributes["misfire"]; ok {
		diags = append(diags, d.enum(attr, misfirePolicies, &s.Misfire)...)
	}
	if attr, ok := content.Attributes["max_catch_up"]; ok {
		diags = append(diags, d.integer(attr, 1, maxCatchUpLimit, &s.MaxCatchUp)...)
	}
	return s, diags
}

func (s *Schedule) decodeCron(d *decoder, attr, tzAttr *hcl.Attribute) hcl.Diagnostics {
	diags := d.str(attr, &s.Cron)
	if tzAttr != nil {
		diags = append(diags, s.decodeTimezone(d, tzAttr)...)
	}
	if s.Cron == "" {
		return diags
	}
	if err := checkCron(s.Cron); err != nil {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid cron expression",
			Detail: fmt.Sprintf("%q is not a valid cron expression: %s. Write five fields — minute hour day-of-month month day-of-week — as in \"0 2 * * *\", or a descriptor such as \"@daily\".",
				s.Cron, err),
			Subject: attr.Expr.Range().Ptr(),
		})
	}
	return diags
}

func checkCron(expr string) error {
	trimmed := strings.TrimSpace(expr)
	if strings.HasPrefix(trimmed, "CRON_TZ=") || strings.HasPrefix(trimmed, "TZ=") {
		return fmt.Errorf("set the time zone with the timezone argument, not inside the expression")
	}
	if strings.HasPrefix(trimmed, "@every") {
		return fmt.Errorf("use every = \"DURATION\" for intervals")
	}
	_, err := cronParser.Parse(trimmed)
	return err
}

func (s *Schedule) decodeEvery(d *decoder, attr, tzAttr *hcl.Attribute) hcl.Diagnostics {
	diags := d.duration(attr, &s.Every)
	if tzAttr != nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Timezone without cron",
			Detail:   "An every schedule counts elapsed time and has no time zone; remove timezone or use cron.",
			Subject:  tzAttr.Range.Ptr(),
		})
	}
	if s.Every > 0 && s.Every < minEvery {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Interval too short",
			Detail:   fmt.Sprintf("every must be at least %s.", minEvery),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	return diags
}

func (s *Schedule) decodeTimezone(d *decoder, attr *hcl.Attribute) hcl.Diagnostics {
	tz, ok, diags := d.knownString(attr)
	if !ok {
		return diags
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" || tz == "" {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown time zone",
			Detail:   fmt.Sprintf("%q is not an IANA time zone name. Use a name such as \"Europe/Prague\", \"America/New_York\" or \"UTC\".", tz),
			Subject:  attr.Expr.Range().Ptr(),
		})
	}
	s.Timezone, s.Location = tz, loc
	return diags
}

// Next returns the first fire time strictly after t: for cron, in the
// schedule's time zone (daylight-saving changes included); for every, t plus
// the interval.
//
// When clocks go back (the last Sunday of October in Europe), a cron
// schedule with a fixed hour fires each local wall-clock time once —
// "30 2 * * *" runs at the first 02:30, not again an hour later — as Vixie
// cron does; a schedule whose hour field is a wildcard ("0 * * * *",
// "*/10 * * * *", @hourly) counts elapsed time within the hour and fires in
// the repeated hour too. A time that does not exist (02:30 on the
// spring-forward day) is skipped that day. The engine and the plan's
// next-run previews both use Next, so they agree.
func (s *Schedule) Next(t time.Time) time.Time {
	if s.Every > 0 {
		return t.Add(s.Every)
	}
	spec, err := cronParser.Parse(s.Cron)
	if err != nil {
		return time.Time{}
	}
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	n := spec.Next(t.In(loc))
	if n.IsZero() || wildcardHour(s.Cron) {
		return n
	}
	// The wall clock went back between t and n: n repeats a local time
	// that has already passed, so the fire already happened.
	for !n.IsZero() && !wallClock(n, loc).After(wallClock(t, loc)) {
		n = spec.Next(n)
	}
	return n
}

// wildcardHour reports whether a cron expression runs in every hour.
func wildcardHour(expr string) bool {
	fields := strings.Fields(expr)
	if len(fields) == 1 {
		return fields[0] == "@hourly"
	}
	return len(fields) == 5 && strings.HasPrefix(fields[1], "*")
}

// wallClock is t's local date and time in loc, as if it were UTC: two
// instants an hour apart in the repeated hour have the same wall clock.
func wallClock(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// Describe is a short human description: "cron \"0 2 * * *\" in
// Europe/Prague" or "every 15m0s".
func (s *Schedule) Describe() string {
	if s.Every > 0 {
		return "every " + DescribeDuration(s.Every)
	}
	return fmt.Sprintf("cron %q in %s", s.Cron, s.Timezone)
}

// NewSchedule builds a schedule from its timing alone, as the planner does
// from a stored spec: a five-field cron expression in an IANA time zone (""
// means UTC), or a positive interval (which takes no time zone). Misfire
// policy and catch-up bound take their defaults.
func NewSchedule(cronExpr, timezone string, every time.Duration) (*Schedule, error) {
	s := &Schedule{Misfire: MisfireRunOnce, MaxCatchUp: DefaultMaxCatchUp, Timezone: "UTC", Location: time.UTC}
	switch {
	case (cronExpr == "") == (every <= 0):
		return nil, fmt.Errorf("a schedule has either a cron expression or a positive interval")
	case every > 0:
		if timezone != "" && timezone != "UTC" {
			return nil, fmt.Errorf("an every schedule has no time zone, got %q", timezone)
		}
		s.Every = every
		return s, nil
	}
	if err := checkCron(cronExpr); err != nil {
		return nil, fmt.Errorf("invalid cron expression %q: %w", cronExpr, err)
	}
	s.Cron = strings.TrimSpace(cronExpr)
	if timezone == "" {
		return s, nil
	}
	loc, err := time.LoadLocation(timezone)
	if err != nil || timezone == "Local" {
		return nil, fmt.Errorf("%q is not an IANA time zone name", timezone)
	}
	s.Timezone, s.Location = timezone, loc
	return s, nil
}

// DescribeDuration writes d as the configuration language does, dropping
// zero units: 1h0m0s → 1h, 1h30m0s → 1h30m, 2s → 2s. Run notes and
// outputs use it too.
func DescribeDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
