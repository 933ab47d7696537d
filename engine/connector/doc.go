// Package connector is the engine's side of resources: the contract every
// connector implements and the types that cross it.
//
// A Connector reaches one resource (a CSV file, a SQL table; later an LDAP
// directory or a message queue). It declares what it can do in
// Capabilities, streams the objects of an object class with Search (an
// iterator that pages through the resource and never holds the whole result
// in memory), reads one object with Get, and writes with Create, Update
// (attribute Modifications, never a whole-object rewrite) and Delete. Test
// checks the connection and reports what it found. A connector that can
// tell what changed since a resumable token also implements ChangeFeed, for
// live synchronization. A connector whose resource matches identifiers
// loosely implements KeyMatcher. A connector whose resource's data lives
// in local files registers a DataFilesFunc (in a DataFilesRegistry) that
// names them from the resource's settings without opening it; up -watch
// follows those files.
//
// Objects are an identifier plus Attributes: every attribute is a list of
// strings, one value for a single-valued attribute. Every failure is an
// *Error carrying the operation, the resource, the object or line, a cause
// and a hint; its Kind (ErrNotFound, ErrAlreadyExists, ErrUnreachable,
// ErrInvalidObject, …) is matched with errors.Is. Callers keep pending
// operations when a resource is ErrUnreachable, and skip a single object
// that is ErrInvalidObject.
//
// Implementations live in the packages below this one: csvfile and
// sqltable, chosen by the connector name through a Registry (builtin holds
// the registry of the connectors compiled in). connectortest is the shared
// conformance suite each implementation runs. The connection settings come
// from config (config.Connectors is their schema); Settings reads them,
// unmarking secrets only at the point of use. docs/connectors.md describes
// the connectors for users.
package connector
