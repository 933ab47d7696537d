package config

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
)

// loadStreamed loads a configuration holding little more than what it
// decodes: each file is decoded as soon as it is parsed, while the next one
// is parsed, and its syntax tree let go, instead of every file's tree being
// live at once (about 25 bytes of tree for each byte of HCL). Variables and
// locals come first, since the other blocks may refer to them: the files
// that can declare them (those holding the word "variable" or "locals") are
// parsed and their variables and locals decoded before the rest.
//
// It is meant for a configuration without errors. At the first error it
// stops and returns it, and load then loads the configuration phase by
// phase (loadPhases), which reports what it finds in phase order: so errors
// never depend on which files were decoded first. Warnings are kept and
// returned in the order the phases report them, and a configuration
// without errors decodes to the same Config.
func (l *loader) loadStreamed() hcl.Diagnostics {
	names, diags := l.configNames()
	if diags != nil {
		return diags
	}
	files, _ := l.readAll(names)
	l.lines = newLineTemplates()
	if len(files) == 0 {
		return hcl.Diagnostics{notStreamed}
	}
	for i := range files {
		if files[i].src == nil || len(files[i].diags) > 0 {
			return append(files[i].diags, notStreamed)
		}
	}
	d, valueDiags := l.decodeValuesFirst(files)
	if valueDiags.HasErrors() {
		return valueDiags
	}
	decoded := make([]fileBlocks, len(files))
	inParallelFrom(len(files), 2, func(i int) {
		decoded[i] = l.decodeFile(d, &files[i])
	})
	l.lines = nil // the configuration may outlive the loader's closures
	for _, p := range files {
		diags = append(diags, p.diags...) // parsing
		if p.file != nil {
			l.cfg.Files[p.display] = p.file
		}
	}
	for _, f := range decoded {
		diags = append(diags, f.content...)
	}
	if diags.HasErrors() {
		return diags
	}
	return append(append(diags, valueDiags...), l.storeFiles(d, decoded)...)
}

// notStreamed stands for a reason to load phase by phase that the phases
// will report themselves.
var notStreamed = &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Not streamed"}

// decodeValuesFirst parses the files that may declare variables or locals
// and decodes those, returning the decoder for everything else.
func (l *loader) decodeValuesFirst(files []parsedFile) (*decoder, hcl.Diagnostics) {
	var early []int
	for i, p := range files {
		if bytes.Contains(p.src, []byte("variable")) || bytes.Contains(p.src, []byte("locals")) {
			early = append(early, i)
		}
	}
	inParallelFrom(len(early), 2, func(k int) {
		p := &files[early[k]]
		p.file, p.bodies, p.diags = parseInPieces(p.src, p.display, l.lines)
	})
	var bodies []hcl.Body
	for _, i := range early {
		if files[i].file == nil || files[i].diags.HasErrors() {
			return nil, append(files[i].diags, notStreamed)
		}
		bodies = append(bodies, files[i].bodies...)
	}
	blocks, diags := collectBlocks(bodies) // reported again by decodeFile
	if diags.HasErrors() {
		return nil, diags
	}
	diags = l.decodeVariables(blocks["variable"])
	if diags.HasErrors() {
		return nil, diags
	}
	diags = append(diags, l.decodeLocals(blocks["locals"])...)
	if diags.HasErrors() {
		return nil, diags
	}
	sources := make(map[string][]byte, len(files))
	for _, p := range files {
		sources[p.display] = p.src
	}
	return &decoder{ctx: l.cfg.EvalContext(nil), memo: newCheckMemo(sources)}, diags
}

// fileBlocks is what decodeFile made of one file.
type fileBlocks struct {
	schedules []decodedBlock[*Schedule]
	resources []decodedBlock[*Resource]
	tasks     []decodedBlock[*Task]
	settings  []*hcl.Block // syncline blocks
	moved     []*hcl.Block
	content   hcl.Diagnostics // the file's top-level blocks against rootSchema
}

// decodeFile parses p unless it was parsed already, decodes its schedules,
// resources and tasks, and keeps of its syntax only the blocks decoded
// later (syncline and moved). Variables and locals are those of
// decodeValuesFirst: a file it did not parse cannot declare any.
func (l *loader) decodeFile(d *decoder, p *parsedFile) fileBlocks {
	var out fileBlocks
	if p.file == nil {
		p.file, p.bodies, p.diags = parseInPieces(p.src, p.display, l.lines)
		if p.file == nil || p.diags.HasErrors() {
			p.diags = append(p.diags, notStreamed)
			return out
		}
	}
	for _, body := range p.bodies {
		content, diags := bodyContent(body, rootSchema)
		out.content = append(out.content, diags...)
		for _, b := range content.Blocks {
			switch b.Type {
			case "schedule":
				out.schedules = append(out.schedules, decodeBlock(b, func(b *hcl.Block) (*Schedule, hcl.Diagnostics) {
					return decodeNamedSchedule(d, b)
				}))
			case "resource":
				out.resources = append(out.resources, decodeBlock(b, func(b *hcl.Block) (*Resource, hcl.Diagnostics) {
					return l.cfg.decodeResource(d, b)
				}))
			case "task":
				out.tasks = append(out.tasks, decodeBlock(b, func(b *hcl.Block) (*Task, hcl.Diagnostics) {
					return l.cfg.decodeTask(d, b)
				}))
			case "syncline":
				out.settings = append(out.settings, b)
			case "moved":
				out.moved = append(out.moved, b)
			}
		}
	}
	p.file, p.bodies = &hcl.File{Bytes: p.src}, nil
	return out
}

// storeFiles stores what decodeFile made of each file, in file order, and
// runs the phases that follow decoding, stopping at the first error.
func (l *loader) storeFiles(d *decoder, files []fileBlocks) hcl.Diagnostics {
	var schedules []decodedBlock[*Schedule]
	var resources []decodedBlock[*Resource]
	var tasks []decodedBlock[*Task]
	var settings, moved []*hcl.Block
	for _, f := range files {
		schedules = append(schedules, f.schedules...)
		resources = append(resources, f.resources...)
		tasks = append(tasks, f.tasks...)
		settings = append(settings, f.settings...)
		moved = append(moved, f.moved...)
	}
	c := l.cfg
	var diags hcl.Diagnostics
	for _, phase := range []func() hcl.Diagnostics{
		func() hcl.Diagnostics { return c.decodeSettings(d, settings) },
		func() hcl.Diagnostics {
			return storeNamed(schedules, c.Schedules, KindSchedule, func(s *Schedule) hcl.Range { return s.DeclRange })
		},
		func() hcl.Diagnostics {
			return storeNamed(resources, c.Resources, KindResource, func(r *Resource) hcl.Range { return r.DeclRange })
		},
		func() hcl.Diagnostics {
			return storeNamed(tasks, c.Tasks, KindTask, func(t *Task) hcl.Range { return t.DeclRange })
		},
		func() hcl.Diagnostics { return c.decodeMoved(moved) },
		c.checkEmailNotifications,
		c.resolveReferences,
	} {
		if diags = append(diags, phase()...); diags.HasErrors() {
			return diags
		}
	}
	return diags
}
