// Package builtin is the registry of the connectors compiled into this
// binary: csv (engine/connector/csvfile) and sql
// (engine/connector/sqltable). The ldap connector's settings are already
// part of the language; opening an ldap resource says it is not available
// yet. Callers open resources with Open, or look connectors up in
// Registry. DataFiles answers the optional connector.DataFilesFunc
// capability (DataFilesRegistry): which local files a resource's data
// lives in, for up -watch; csv says its file, sql says none.
package builtin
