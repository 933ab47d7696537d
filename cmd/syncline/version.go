package main

import (
	"context"
	"runtime"
	"runtime/debug"

	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

// version is the release version. Release builds set it with
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/syncline
//
// Otherwise it is the module version recorded by "go install …@version",
// or "dev".
var version string

func currentVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	return "dev"
}

func (a *app) versionCommand() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print the Syncline version",
		UsageText: "syncline version [-json]",
		Description: `Prints the Syncline version, the Go version it was built with and the
platform. With -json, prints an object with "version", "go_version" and
"platform".`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the version as JSON"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Present() {
				return newUsageError(cmd, "unexpected argument %q", cmd.Args().First())
			}
			return a.printVersion(cmd.Bool("json"))
		},
	}
}

func (a *app) printVersion(asJSON bool) error {
	return views.WriteVersion(a.stdout, views.VersionInfo{
		Version:   currentVersion(),
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}, asJSON)
}
