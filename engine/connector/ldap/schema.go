package ldap

import (
	"fmt"
	"github.com/syncline/syncline/config"
	"slices"
	"strings"
)

// attributeType is one attribute type of the directory's schema
// (RFC 4512 section 4.1.2), with what it inherits from its superior
// resolved.
type attributeType struct {
	oid         string
	names       []string // the first is the canonical name
	sup         string
	equality    string
	syntax      string // the syntax OID, without a length bound
	singleValue bool
	noUserMod   bool   // NO-USER-MODIFICATION: the server sets it
	usage       string // "" (userApplications) or an operational usage
	secret      bool   // write-only (secretAttributes)
}

// name is the attribute's canonical name.
func (a *attributeType) name() string {
	if len(a.names) > 0 {
		return a.names[0]
	}
	return a.oid
}

// operational reports whether the server keeps the attribute (entryUUID,
// modifyTimestamp): a search for "*" does not return it.
func (a *attributeType) operational() bool {
	return a.usage != "" && a.usage != "userApplications"
}

// objectClass is one object class of the schema (RFC 4512 section 4.1.1).
type objectClass struct {
	oid       string
	names     []string
	sup       []string
	kind      string // STRUCTURAL, AUXILIARY or ABSTRACT
	must, may []string
}

// schema is the directory's subschema, looked up by any name or OID,
// case-insensitively.
type schema struct {
	attrs map[string]*attributeType
	// spelled holds the attributes by their names and OIDs as the
	// schema spells them: what attr finds without lower-casing, since
	// entries and mappings mostly spell names so.
	spelled map[string]*attributeType
	classes map[string]*objectClass
}

// parseSchema reads the attributeTypes and objectClasses values of a
// subschema entry.
func parseSchema(attributeTypes, objectClasses []string) (*schema, error) {
	s := &schema{attrs: map[string]*attributeType{}, spelled: map[string]*attributeType{}, classes: map[string]*objectClass{}}
	for _, d := range attributeTypes {
		fields, err := parseDescription(d)
		if err != nil {
			return nil, fmt.Errorf("attribute type %s: %w", d, err)
		}
		a := &attributeType{oid: fields.oid, names: fields.list["NAME"], sup: fields.one("SUP"), equality: fields.one("EQUALITY"),
			syntax: stripLength(fields.one("SYNTAX")), singleValue: fields.flags["SINGLE-VALUE"],
			noUserMod: fields.flags["NO-USER-MODIFICATION"], usage: fields.one("USAGE")}
		s.addAttr(a)
	}
	for _, a := range s.attrs {
		s.inherit(a, 0)
	}
	for _, d := range objectClasses {
		fields, err := parseDescription(d)
		if err != nil {
			return nil, fmt.Errorf("object class %s: %w", d, err)
		}
		oc := &objectClass{oid: fields.oid, names: fields.list["NAME"], sup: fields.list["SUP"],
			must: fields.list["MUST"], may: fields.list["MAY"], kind: "STRUCTURAL"}
		for _, k := range []string{"ABSTRACT", "AUXILIARY"} {
			if fields.flags[k] {
				oc.kind = k
			}
		}
		for _, n := range append([]string{oc.oid}, oc.names...) {
			s.classes[strings.ToLower(n)] = oc
		}
	}
	return s, nil
}

func (s *schema) addAttr(a *attributeType) {
	a.secret = slices.Contains(secretAttributes, strings.ToLower(a.name()))
	for _, n := range append([]string{a.oid}, a.names...) {
		s.attrs[strings.ToLower(n)] = a
		s.spelled[n] = a
	}
}

// inherit fills in the syntax and equality rule a takes from its
// superiors.
func (s *schema) inherit(a *attributeType, depth int) {
	sup := s.attrs[strings.ToLower(a.sup)]
	if sup == nil || sup == a || depth > 20 {
		return
	}
	s.inherit(sup, depth+1)
	if a.syntax == "" {
		a.syntax = sup.syntax
	}
	if a.equality == "" {
		a.equality = sup.equality
	}
}

// attr returns the attribute type of a name, ignoring case and options
// ("userCertificate;binary"), or nil.
func (s *schema) attr(name string) *attributeType {
	if a := s.spelled[name]; a != nil {
		return a
	}
	base, _, _ := strings.Cut(name, ";")
	return s.attrs[strings.ToLower(base)]
}

// class returns the object class of a name, ignoring case, or nil.
func (s *schema) class(name string) *objectClass {
	return s.classes[strings.ToLower(name)]
}

// classAttributes returns the attributes an entry of class may hold,
// MUST ones first, each once, with those of its superior classes.
func (s *schema) classAttributes(class string) (must, may []string) {
	seen := map[string]bool{}
	var walk func(oc *objectClass, depth int)
	walk = func(oc *objectClass, depth int) {
		if oc == nil || depth > 20 {
			return
		}
		for _, sup := range oc.sup {
			walk(s.class(sup), depth+1)
		}
		for _, group := range []struct {
			names []string
			dst   *[]string
		}{{oc.must, &must}, {oc.may, &may}} {
			for _, n := range group.names {
				name := n
				if a := s.attr(n); a != nil {
					name = a.name()
				}
				if !seen[strings.ToLower(name)] {
					seen[strings.ToLower(name)] = true
					*group.dst = append(*group.dst, name)
				}
			}
		}
	}
	walk(s.class(class), 0)
	return must, may
}

// stripLength removes a syntax's length bound: "1.3.6…15{256}" → "1.3.6…15".
func stripLength(syntax string) string {
	if i := strings.IndexByte(syntax, '{'); i >= 0 {
		return syntax[:i]
	}
	return syntax
}

// description is a parsed RFC 4512 definition: its OID, its keywords with
// values (NAME, SUP, MUST, …) and its flags (SINGLE-VALUE, …).
type description struct {
	oid   string
	list  map[string][]string
	flags map[string]bool
}

func (d description) one(key string) string {
	if vs := d.list[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// flagKeywords take no value.
var flagKeywords = []string{"OBSOLETE", "SINGLE-VALUE", "COLLECTIVE", "NO-USER-MODIFICATION", "ABSTRACT", "STRUCTURAL", "AUXILIARY"}

// parseDescription parses "( OID KEYWORD value KEYWORD ( v1 $ v2 ) … )".
func parseDescription(s string) (description, error) {
	toks, err := tokenize(s)
	if err != nil {
		return description{}, err
	}
	if len(toks) < 3 || toks[0] != "(" || toks[len(toks)-1] != ")" {
		return description{}, fmt.Errorf("not a parenthesized definition")
	}
	d := description{oid: toks[1], list: map[string][]string{}, flags: map[string]bool{}}
	toks = toks[2 : len(toks)-1]
	for len(toks) > 0 {
		key := toks[0]
		toks = toks[1:]
		if slices.Contains(flagKeywords, key) {
			d.flags[key] = true
			continue
		}
		if len(toks) == 0 {
			return d, fmt.Errorf("%s has no value", key)
		}
		if toks[0] != "(" {
			d.list[key] = []string{unquote(toks[0])}
			toks = toks[1:]
			continue
		}
		end := slices.Index(toks, ")")
		if end < 0 {
			return d, fmt.Errorf("%s: unclosed list", key)
		}
		for _, v := range toks[1:end] {
			if v != "$" {
				d.list[key] = append(d.list[key], unquote(v))
			}
		}
		toks = toks[end+1:]
	}
	return d, nil
}

// tokenize splits a definition into "(", ")", "$", quoted strings (kept
// with their quotes) and words.
func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == '$':
			toks = append(toks, string(c))
			i++
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unclosed quote")
			}
			toks = append(toks, s[i:i+end+2])
			i += end + 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r()$'", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1]
	}
	return s
}

// Syntaxes (RFC 4517 and others) whose values are bytes, not text:
// connectors show them base64-encoded.
var binarySyntaxes = map[string]bool{
	"1.3.6.1.4.1.1466.115.121.1.4":  true, // Audio
	"1.3.6.1.4.1.1466.115.121.1.5":  true, // Binary
	"1.3.6.1.4.1.1466.115.121.1.8":  true, // Certificate
	"1.3.6.1.4.1.1466.115.121.1.9":  true, // Certificate List
	"1.3.6.1.4.1.1466.115.121.1.10": true, // Certificate Pair
	"1.3.6.1.4.1.1466.115.121.1.23": true, // Fax
	"1.3.6.1.4.1.1466.115.121.1.28": true, // JPEG
	"1.3.6.1.4.1.1466.115.121.1.40": true, // Octet String
	"1.3.6.1.4.1.1466.115.121.1.49": true, // Supported Algorithm
}

// syntaxNames name the common syntaxes for connection tests.
var syntaxNames = map[string]string{
	"1.3.6.1.4.1.1466.115.121.1.7":  "Boolean",
	"1.3.6.1.4.1.1466.115.121.1.12": "DN",
	"1.3.6.1.4.1.1466.115.121.1.15": "Directory String",
	"1.3.6.1.4.1.1466.115.121.1.24": "Generalized Time",
	"1.3.6.1.4.1.1466.115.121.1.26": "IA5 String",
	"1.3.6.1.4.1.1466.115.121.1.27": "Integer",
	"1.3.6.1.4.1.1466.115.121.1.34": "Name and Optional UID",
	"1.3.6.1.4.1.1466.115.121.1.36": "Numeric String",
	"1.3.6.1.4.1.1466.115.121.1.38": "OID",
	"1.3.6.1.4.1.1466.115.121.1.41": "Postal Address",
	"1.3.6.1.4.1.1466.115.121.1.44": "Printable String",
	"1.3.6.1.4.1.1466.115.121.1.50": "Telephone Number",
	"1.3.6.1.1.16.1":                "UUID",
	"1.3.6.1.4.1.1466.115.121.1.5":  "Binary",
	"1.3.6.1.4.1.1466.115.121.1.8":  "Certificate",
	"1.3.6.1.4.1.1466.115.121.1.28": "JPEG",
	"1.3.6.1.4.1.1466.115.121.1.40": "Octet String",
}

// binary reports whether values of the attribute name are bytes: its
// syntax is binary, or the name has the ;binary option.
func (s *schema) binary(name string) bool {
	if strings.Contains(name, ";") && strings.Contains(strings.ToLower(name), ";binary") {
		return true
	}
	a := s.attr(name)
	return a != nil && binarySyntaxes[a.syntax]
}

// secretAttributes are write-only: they are written, never read back,
// returned or compared.
var secretAttributes = []string{"userpassword", "authpassword", "unicodepwd", "sambantpassword", "sambalmpassword",
	"pwdhistory", "krbprincipalkey", "ntpassword"}

// WriteOnly reports whether attr is one of the write-only attributes
// (userPassword and the like, with or without options), whatever the
// resource's schema: the engine asks without opening the resource.
func WriteOnly(_ *config.Resource, attr string) bool {
	base, _, _ := strings.Cut(attr, ";")
	return slices.Contains(secretAttributes, strings.ToLower(base))
}

// secret reports whether name is a write-only attribute.
func (s *schema) secret(name string) bool {
	base, _, _ := strings.Cut(name, ";")
	if a := s.attr(base); a != nil {
		return a.secret
	}
	return slices.Contains(secretAttributes, strings.ToLower(base))
}
