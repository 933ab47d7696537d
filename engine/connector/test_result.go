package connector

// TestResult is what a connection test found.
type TestResult struct {
	Connector string // "csv", "sql"
	// Location says where the objects are, without secrets: a file path,
	// "postgres table public.accounts".
	Location string
	// Server names the server and its version, when there is one.
	Server       string
	ObjectClass  string
	Identifier   string // the attribute that identifies an object
	Attributes   []AttributeInfo
	Objects      int64 // how many objects the resource holds
	Capabilities Capabilities
	// Problems lists objects that could not be read (at most
	// MaxTestProblems), each an *Error of kind ErrInvalidObject;
	// ProblemCount counts all of them.
	Problems     []error
	ProblemCount int
}

// MaxTestProblems bounds TestResult.Problems.
const MaxTestProblems = 10

// AddProblem records a problem, keeping at most MaxTestProblems of them.
func (r *TestResult) AddProblem(err error) {
	r.ProblemCount++
	if len(r.Problems) < MaxTestProblems {
		r.Problems = append(r.Problems, err)
	}
}

// AttributeInfo describes one attribute of an object class.
type AttributeInfo struct {
	Name string
	// Type is the resource's own type name ("text", "integer",
	// "timestamp with time zone"); "" for a csv column.
	Type        string
	MultiValued bool
	Nullable    bool
}
