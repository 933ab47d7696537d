package main

import (
	"strings"

	"github.com/urfave/cli/v3"
)

// Help lists flags the way users type them, Terraform-style: "-chdir DIR",
// not "--chdir DIR". Both spellings parse.
func init() {
	standard := cli.FlagStringer
	cli.FlagStringer = func(f cli.Flag) string {
		names, usage, _ := strings.Cut(standard(f), "\t")
		names = strings.ReplaceAll(" "+names, " --", " -")[1:]
		names = strings.ReplaceAll(names, "[ --", "[ -")
		return names + "\t" + usage
	}
}
