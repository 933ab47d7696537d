package planner

// specStrings shares the strings the specs of one Desired call repeat:
// every task has a "priority" and an "activity[0].resource", most have
// the priority "50" and many the schedule "schedule.nightly". Without it
// each of 10,000 specs would hold its own copy of every path (a path
// under a prefix is a new string each time), which was a fifth of the
// memory a plan holds once its canonical definitions are built. One
// specStrings serves one goroutine.
type specStrings struct {
	paths  map[string]string
	values map[string]string
	buf    []byte
	// sizes is the size of the last spec of each kind, the likely size
	// of the next one.
	sizes map[string]int
}

// maxSharedValue is the longest rendering shared: the longer ones
// (descriptions, expressions) seldom repeat, and exprSource shares the
// expressions already.
const maxSharedValue = 64

// path returns prefix+path, shared.
func (s *specStrings) path(prefix, path string) string {
	if s.paths == nil {
		s.paths = map[string]string{}
	}
	s.buf = append(append(s.buf[:0], prefix...), path...)
	if p, ok := s.paths[string(s.buf)]; ok {
		return p
	}
	p := string(s.buf)
	s.paths[p] = p
	return p
}

// value returns v, shared when it is short.
func (s *specStrings) value(v string) string {
	if len(v) > maxSharedValue {
		return v
	}
	if s.values == nil {
		s.values = map[string]string{}
	}
	if shared, ok := s.values[v]; ok {
		return shared
	}
	s.values[v] = v
	return v
}

// sizeHint is how many attributes the next spec of kind likely has.
func (s *specStrings) sizeHint(kind string) int { return s.sizes[kind] }

// sized records the size of a spec of kind just written.
func (s *specStrings) sized(kind string, n int) {
	if s.sizes == nil {
		s.sizes = map[string]int{}
	}
	s.sizes[kind] = n
}
