package planner

// ANSI styles used by the text view when colour is on.
const (
	styleBold   = "\x1b[1m"
	styleRed    = "\x1b[31m"
	styleGreen  = "\x1b[32m"
	styleYellow = "\x1b[33m"
	styleCyan   = "\x1b[36m"
	styleReset  = "\x1b[0m"
)

// palette colours text only when on.
type palette struct{ on bool }

func (p palette) paint(style, s string) string {
	if !p.on || s == "" {
		return s
	}
	return style + s + styleReset
}

// symbol colours an action's symbol as Terraform does.
func (p palette) symbol(a Action) string {
	switch a {
	case Create:
		return p.paint(styleGreen, a.Symbol())
	case Update:
		return p.paint(styleYellow, a.Symbol())
	case Delete:
		return p.paint(styleRed, a.Symbol())
	case Replace:
		return p.paint(styleRed, "-") + "/" + p.paint(styleGreen, "+")
	case MoveOnly:
		return p.paint(styleCyan, a.Symbol())
	}
	return a.Symbol()
}
