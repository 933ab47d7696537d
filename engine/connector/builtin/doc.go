// Package builtin is the registry of the connectors compiled into this
// binary: csv (engine/connector/csvfile), sql (engine/connector/sqltable)
// and ldap (engine/connector/ldap). Callers open resources with Open, or
// look connectors up in Registry. DataFiles answers the optional
// connector.DataFilesFunc capability (DataFilesRegistry): which local
// files a resource's data lives in, for up -watch; csv says its file, sql
// and ldap say none.
package builtin
