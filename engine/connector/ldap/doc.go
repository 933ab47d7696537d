// Package ldap is the ldap connector: the entries of one object class
// under a base DN of an LDAP directory (OpenLDAP's slapd in the tests),
// reached through github.com/go-ldap/ldap/v3.
//
// Opening connects — ldap://, ldap:// with StartTLS, or ldaps://, the
// server's certificate checked against ca_file or the system's
// authorities — binds simply (anonymously without bind_dn), reads the
// directory's schema from its subschema entry and checks the settings
// against it. One connection is shared by all calls but Search and
// Apply; when it drops, the next call dials and binds again (and a call
// that found it dropped is tried once more).
//
// Apply (batch.go) writes on a connection of its own too (write_conn.go,
// write_encode.go): requests encoded straight into one buffer, a window
// of them sent in one write, the answers read as the server sends them
// and sorted into errors as single calls sort them.
//
// Search pages with the RFC 2696 control under base_dn, with the filter
// (&(objectClass=CLASS)FILTER), on a connection of its own that the
// search reader (search_reader.go, search_conn.go, ber.go) dials, binds
// and decodes without go-ldap, straight into objects; Get, Update and Delete find an entry by
// its identifier (entryUUID by default), every value escaped with
// EscapeFilter. New entries are named NAMING=VALUE,CONTAINER with the
// value escaped per RFC 4514 (EscapeDNValue) and get the classes of
// object_classes. An update reads the entry and sends the smallest LDAP
// modify (add, delete or replace per attribute) with the Permissive
// Modify control when the server offers it. Attributes are shown under
// their schema names; values of binary syntaxes (jpegPhoto,
// userCertificate) are base64 text; write-only attributes (userPassword
// and the like) are written but never read back. Server result codes are
// sorted into the connector error kinds with the server's message and a
// hint (errors.go).
//
// The change feed (feed.go) reads modifyTimestamp and entryCSN; deleted
// entries leave nothing to read, so a reconciliation finds them.
//
// Neighbours: engine/connector defines the contract; connectortest is the
// conformance suite this package runs against a real slapd that ldaptest
// starts.
package ldap
