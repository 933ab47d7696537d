package ldap

import (
	goldap "github.com/go-ldap/ldap/v3"
)

// The BER tags of the write requests and their responses (RFC 4511
// sections 4.6 to 4.9).
const (
	tagModifyRequest  = 0x66 // [APPLICATION 6] SEQUENCE
	tagModifyResponse = 0x67 // [APPLICATION 7]
	tagAddRequest     = 0x68 // [APPLICATION 8] SEQUENCE
	tagAddResponse    = 0x69 // [APPLICATION 9]
	tagDelRequest     = 0x4a // [APPLICATION 10] LDAPDN, primitive
	tagDelResponse    = 0x6b // [APPLICATION 11]
	tagModDNRequest   = 0x6c // [APPLICATION 12] SEQUENCE
	tagModDNResponse  = 0x6d // [APPLICATION 13]
	tagNewSuperior    = 0x80 // [0] in a ModifyDNRequest
	berTrue           = 0xff
)

// requestEncoder appends LDAP messages to one buffer, BER element by
// element: open writes a tag and a one-octet length, close fixes the
// length once the contents are known (moving them when the length needs
// more octets). No packet tree is built, and the buffer is reused from
// one window to the next.
type requestEncoder struct {
	b []byte
}

// open starts a constructed element and returns where its contents start.
func (e *requestEncoder) open(tag byte) int {
	e.b = append(e.b, tag, 0)
	return len(e.b)
}

// close ends the element whose contents start at start.
func (e *requestEncoder) close(start int) {
	n := len(e.b) - start
	if n < 0x80 {
		e.b[start-1] = byte(n)
		return
	}
	k := 1
	for m := n >> 8; m > 0; m >>= 8 {
		k++
	}
	e.b = append(e.b, make([]byte, k)...)
	copy(e.b[start+k:], e.b[start:start+n])
	e.b[start-1] = 0x80 | byte(k)
	for i := k - 1; i >= 0; i-- {
		e.b[start+i] = byte(n)
		n >>= 8
	}
}

// str appends a primitive element holding s.
func (e *requestEncoder) str(tag byte, s string) {
	start := e.open(tag)
	e.b = append(e.b, s...)
	e.close(start)
}

// integer appends an INTEGER or ENUMERATED in the fewest octets of two's
// complement.
func (e *requestEncoder) integer(tag byte, v int64) {
	k := 1
	for k < 8 && (v < -(1<<(8*k-1)) || v >= 1<<(8*k-1)) {
		k++
	}
	e.b = append(e.b, tag, byte(k))
	for i := k - 1; i >= 0; i-- {
		e.b = append(e.b, byte(v>>(8*i)))
	}
}

func (e *requestEncoder) boolean(v bool) {
	b := byte(0)
	if v {
		b = berTrue
	}
	e.b = append(e.b, tagBoolean, 1, b)
}

// attribute appends a SEQUENCE of a type and its SET of values (an
// Attribute of an add, a PartialAttribute of a modify).
func (e *requestEncoder) attribute(name string, vals []string) {
	seq := e.open(tagSequence)
	e.str(tagOctetString, name)
	set := e.open(tagSet)
	for _, v := range vals {
		e.str(tagOctetString, v)
	}
	e.close(set)
	e.close(seq)
}

// controls appends the controls of a message, if any.
func (e *requestEncoder) controls(ctls []goldap.Control) {
	if len(ctls) == 0 {
		return
	}
	list := e.open(tagControls)
	for _, ctl := range ctls {
		e.b = append(e.b, ctl.Encode().Bytes()...)
	}
	e.close(list)
}

// add appends an AddRequest's protocol operation.
func (e *requestEncoder) add(req *goldap.AddRequest) {
	op := e.open(tagAddRequest)
	e.str(tagOctetString, req.DN)
	attrs := e.open(tagSequence)
	for _, a := range req.Attributes {
		e.attribute(a.Type, a.Vals)
	}
	e.close(attrs)
	e.close(op)
}

// modify appends a ModifyRequest's protocol operation.
func (e *requestEncoder) modify(req *goldap.ModifyRequest) {
	op := e.open(tagModifyRequest)
	e.str(tagOctetString, req.DN)
	changes := e.open(tagSequence)
	for _, ch := range req.Changes {
		seq := e.open(tagSequence)
		e.integer(tagEnumerated, int64(ch.Operation))
		e.attribute(ch.Modification.Type, ch.Modification.Vals)
		e.close(seq)
	}
	e.close(changes)
	e.close(op)
}

// modifyDN appends a ModifyDNRequest's protocol operation.
func (e *requestEncoder) modifyDN(req *goldap.ModifyDNRequest) {
	op := e.open(tagModDNRequest)
	e.str(tagOctetString, req.DN)
	e.str(tagOctetString, req.NewRDN)
	e.boolean(req.DeleteOldRDN)
	if req.NewSuperior != "" {
		e.str(tagNewSuperior, req.NewSuperior)
	}
	e.close(op)
}

// writeRequest is one write of a batch: exactly one of its requests is
// set.
type writeRequest struct {
	add      *goldap.AddRequest
	modify   *goldap.ModifyRequest
	del      *goldap.DelRequest
	modifyDN *goldap.ModifyDNRequest
}

// encode appends the request as message id — the envelope, its
// protocol operation and its controls — and returns the tag its response
// must have.
func (e *requestEncoder) encode(id int64, r writeRequest) byte {
	msg := e.open(tagSequence)
	e.integer(tagInteger, id)
	var (
		ctls []goldap.Control
		tag  byte
	)
	switch {
	case r.add != nil:
		e.add(r.add)
		ctls, tag = r.add.Controls, tagAddResponse
	case r.modify != nil:
		e.modify(r.modify)
		ctls, tag = r.modify.Controls, tagModifyResponse
	case r.del != nil:
		e.str(tagDelRequest, r.del.DN)
		ctls, tag = r.del.Controls, tagDelResponse
	default:
		e.modifyDN(r.modifyDN)
		ctls, tag = r.modifyDN.Controls, tagModDNResponse
	}
	e.controls(ctls)
	e.close(msg)
	return tag
}
