package exec

// TailSize is tailSize, for the tests outside the package.
const TailSize = tailSize
