package views

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
)

// Resources is the view of syncline resources list and resources test.
type Resources interface {
	// List writes the declared resources, in order.
	List(resources []*config.Resource) error
	// Tested writes what a connection test found.
	Tested(res *config.Resource, r *connector.TestResult, created string)
	// CreatedBeforeFailure says, on standard error, what a connection
	// test created before it failed.
	CreatedBeforeFailure(created string)
}

var _ Resources = (*ResourcesHuman)(nil)

// NewResources returns the text view of the resources commands.
func NewResources(s Streams) Resources { return &ResourcesHuman{streams: s} }

// ResourcesHuman is the text view of the resources commands.
type ResourcesHuman struct{ streams Streams }

// List writes a table of name, connector, object types and description,
// or says there is none.
func (v *ResourcesHuman) List(resources []*config.Resource) error {
	if len(resources) == 0 {
		fmt.Fprintln(v.streams.Stdout, "No resources are declared.")
		return nil
	}
	tw := tabwriter.NewWriter(v.streams.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCONNECTOR\tOBJECT TYPES\tDESCRIPTION")
	for _, r := range resources {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Connector, objectTypeList(r), r.Description)
	}
	return tw.Flush()
}

// CreatedBeforeFailure writes what the test created.
func (v *ResourcesHuman) CreatedBeforeFailure(created string) {
	fmt.Fprintf(v.streams.Stderr, "Created the %s (create_table = true).\n", created)
}

func objectTypeList(r *config.Resource) string {
	var out []string
	for _, ot := range r.ObjectTypes {
		out = append(out, ot.Kind+"/"+ot.Intent)
	}
	if out == nil {
		return "-"
	}
	return strings.Join(out, ", ")
}

// Tested writes what the connection test found: the connection, what it
// created, the location, identifier, count and capabilities, the
// attributes and the objects that cannot be read.
func (v *ResourcesHuman) Tested(res *config.Resource, r *connector.TestResult, created string) {
	w := v.streams.Stdout
	fmt.Fprintf(w, "Resource %q (%s): the connection works.\n", res.Name, r.Connector)
	if created != "" {
		fmt.Fprintf(w, "Created the %s: it did not exist, and the connection sets create_table = true.\n", created)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if r.Server != "" {
		fmt.Fprintf(tw, "  Server:\t%s\n", r.Server)
	}
	fmt.Fprintf(tw, "  Location:\t%s\n", r.Location)
	fmt.Fprintf(tw, "  Object class:\t%s\n", r.ObjectClass)
	fmt.Fprintf(tw, "  Identifier:\t%s\n", r.Identifier)
	fmt.Fprintf(tw, "  Objects:\t%d\n", r.Objects)
	fmt.Fprintf(tw, "  Capabilities:\t%s\n", r.Capabilities)
	tw.Flush()
	writeAttributes(w, r)
	if r.ProblemCount > 0 {
		fmt.Fprintf(w, "\n%d %s cannot be read", r.ProblemCount, Plural("object", r.ProblemCount))
		if r.ProblemCount > len(r.Problems) {
			fmt.Fprintf(w, " (the first %d follow)", len(r.Problems))
		}
		fmt.Fprintln(w, ":")
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(p.Error(), "\n", "\n    "))
		}
	}
}

func writeAttributes(w io.Writer, r *connector.TestResult) {
	fmt.Fprintf(w, "\n  Attributes (%d):\n", len(r.Attributes))
	typed := slices.ContainsFunc(r.Attributes, func(a connector.AttributeInfo) bool { return a.Type != "" })
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, attr := range r.Attributes {
		cells := []string{"    " + attr.Name}
		if typed {
			cells = append(cells, attr.Type)
		}
		var notes []string
		if attr.Name == r.Identifier {
			notes = append(notes, "identifier")
		}
		if attr.MultiValued {
			notes = append(notes, "multi-valued")
		}
		if notes != nil {
			cells = append(cells, "("+strings.Join(notes, ", ")+")")
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}
