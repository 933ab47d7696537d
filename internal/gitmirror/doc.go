// Package gitmirror keeps local copies of git repositories for sync: the
// transports and their credentials (local paths, file://, http(s):// with
// basic or bearer authentication and a CA bundle, ssh:// and USER@HOST:PATH
// with a key checked against known hosts), bare mirrors of a remote's
// branches kept beside the state, and checkouts of single commits that
// serve -sync runs from. It also finds the work tree a directory is in,
// writes the post-receive hook syncline hook install installs
// (InstallHook), and names the commits a state records (RevisionLabels).
//
// "Repository" alone means the user repository of users and shadows in
// this project; here it is always a git repository. Reading a
// configuration from a revision is config.LoadGit's; the sync workflow
// that fetches, plans and applies is engine/ops; the command line that
// turns flags and the sync block into Credentials is cmd/syncline.
package gitmirror
